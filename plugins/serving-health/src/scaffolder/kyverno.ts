import { ClusterKyvernoPolicies } from '@serving-health/plugin-serving-health-common';
import type { KubeObject } from '@serving-health/plugin-serving-health-policy';
import { ApiHolder } from '@backstage/core-plugin-api';
import {
  kubernetesAuthProvidersApiRef,
  ServingHealthApi,
  servingHealthApiRef,
} from '../api';
import type { KyvernoVerdict } from './kyvernoEvaluation';

/**
 * `ui:options.kyverno` of the ServingHealthLabels field: evaluate a cluster's Kyverno policies in the browser on
 * the resource the labels go to.
 *
 * @public
 */
export type LabelsFieldKyvernoOptions = {
  /** A cluster configured for Serving Health whose policies are read. */
  cluster: string;
  /** The resource's namespace: the namespace's Policies apply too (default: ClusterPolicies only). */
  namespace?: string;
  /** Default serving.kserve.io/v1beta1. */
  apiVersion?: string;
  /** Default InferenceService. */
  kind?: string;
  /** The resource's name in the evaluation and in Kyverno's message (default `new`). */
  name?: string;
  /**
   * Labels the template sets from other fields of the form: label key to field name, e.g.
   * `{ cost-center: costCenter }`, so that a policy requiring them does not deny what the template adds.
   */
  labelsFrom?: Record<string, string>;
};

/** The policies and the evaluator, or why they are not there. */
export type KyvernoEvaluator = {
  policies: ClusterKyvernoPolicies;
  evaluate(resource: KubeObject): KyvernoVerdict;
};

const loads = new WeakMap<
  ServingHealthApi,
  Map<string, Promise<KyvernoEvaluator>>
>();

/**
 * Fetches the policies and loads the evaluator once per API, cluster and namespace: the field and its validator
 * share one load. A failed load is forgotten, so the next attempt asks again. For clusters read as the user, the
 * user's token goes along as the tab sends it (the Kubernetes plugin's auth providers, when the app has them).
 */
export function loadKyverno(
  apis: ApiHolder,
  options: Pick<LabelsFieldKyvernoOptions, 'cluster' | 'namespace'>,
): Promise<KyvernoEvaluator> {
  const api = apis.get(servingHealthApiRef);
  if (!api) {
    return Promise.reject(
      new Error('the Serving Health API is not installed in this app'),
    );
  }
  let byKey = loads.get(api);
  if (!byKey) {
    byKey = new Map();
    loads.set(api, byKey);
  }
  const key = `${options.cluster}\u0000${options.namespace ?? ''}`;
  let load = byKey.get(key);
  if (!load) {
    const kubernetesAuth = apis.get(kubernetesAuthProvidersApiRef);
    load = Promise.all([
      api.getKyvernoPolicies(options.cluster, {
        namespace: options.namespace,
        clusterCredentials:
          kubernetesAuth && (p => kubernetesAuth.getCredentials(p)),
      }),
      import('./kyvernoEvaluation'),
    ]).then(([policies, { evaluateKyverno }]) => ({
      policies,
      evaluate: (resource: KubeObject) => evaluateKyverno(policies, resource),
    }));
    byKey.set(key, load);
    const forget = byKey;
    load.catch(() => forget.delete(key));
  }
  return load;
}

/** The resource Kyverno would be asked about: the template's other labels, then the field's. */
export function kyvernoResource(
  options: LabelsFieldKyvernoOptions,
  labels: Record<string, string>,
  formData: Record<string, unknown> | undefined,
): KubeObject {
  const fromForm: Record<string, string> = {};
  for (const [key, field] of Object.entries(options.labelsFrom ?? {})) {
    const value = formData?.[field];
    if (typeof value === 'string' && value !== '') fromForm[key] = value;
  }
  return {
    apiVersion: options.apiVersion ?? 'serving.kserve.io/v1beta1',
    kind: options.kind ?? 'InferenceService',
    metadata: {
      name: options.name ?? 'new',
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { ...fromForm, ...labels },
    },
  };
}
