import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ClusterKyvernoPolicies,
  KubeObject,
  ReadResult,
  servingHealthPoliciesReadPermission,
} from '@serving-health/plugin-serving-health-common';
import { redactDeep } from '@serving-health/plugin-serving-health-kube';
import {
  KubernetesCallerAuth,
  ServingHealthClusterClients,
  ServingHealthSnapshotSource,
} from '@serving-health/plugin-serving-health-node';

/** The one annotation the evaluator reads: which Pod controllers Kyverno generates rules for. */
const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';
/** The spec fields evaluatePolicy reads; the rest (status, webhook settings, generate targets) stays behind. */
const SPEC_FIELDS = [
  'rules',
  'validationFailureAction',
  'validationFailureActionOverrides',
  'background',
  'admission',
] as const;

export interface PolicyReader {
  /**
   * The cluster's ClusterPolicies, and the namespace's Policies when one is given, from the cluster snapshot
   * (read with the plugin's credentials, or the caller's for clusters read as the user). Throws NotAllowedError
   * (no servingHealth.policies.read), NotFoundError (cluster not configured), ServiceUnavailableError
   * (ClusterPolicies unreadable).
   */
  policies(
    cluster: string,
    options: {
      namespace?: string;
      credentials: BackstageCredentials;
      callerAuth?: KubernetesCallerAuth;
    },
  ): Promise<ClusterKyvernoPolicies>;
}

function slim(kind: 'ClusterPolicy' | 'Policy', item: KubeObject): KubeObject {
  const autogen = item.metadata.annotations?.[AUTOGEN_ANNOTATION];
  const spec: Record<string, unknown> = {};
  for (const field of SPEC_FIELDS) {
    if (item.spec?.[field] !== undefined) spec[field] = item.spec[field];
  }
  return {
    apiVersion: 'kyverno.io/v1',
    kind,
    metadata: {
      name: item.metadata.name,
      ...(item.metadata.namespace
        ? { namespace: item.metadata.namespace }
        : {}),
      ...(autogen !== undefined
        ? { annotations: { [AUTOGEN_ANNOTATION]: autogen } }
        : {}),
    },
    spec,
  };
}

const describe = (r: ReadResult & { ok: false }) =>
  `${r.error.request}: ${r.error.message}`;

export function createPolicyReader(options: {
  permissions: PermissionsService;
  clusters: ServingHealthClusterClients;
  snapshots: ServingHealthSnapshotSource;
}): PolicyReader {
  const { permissions, clusters, snapshots } = options;
  return {
    async policies(cluster, { namespace, credentials, callerAuth }) {
      const [decision] = await permissions.authorize(
        [{ permission: servingHealthPoliciesReadPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Not allowed to read the Kyverno policies of cluster '${cluster}' (permission ${servingHealthPoliciesReadPermission.name})`,
        );
      }
      await clusters.refresh();
      if (!clusters.cluster(cluster)) {
        throw new NotFoundError(
          `Cluster '${cluster}' is not configured (known: ${
            clusters.names().join(', ') || 'none'
          })`,
        );
      }
      const { snapshot } = await snapshots.get(cluster, {
        refresh: false,
        caller: credentials,
        callerAuth,
      });
      const notEvaluated: ClusterKyvernoPolicies['notEvaluated'] = [];
      const cps = snapshot.collections.clusterPolicies;
      let policies: KubeObject[] = [];
      if (cps?.ok) {
        policies = cps.items.map(p => slim('ClusterPolicy', p));
      } else if (!cps || cps.error.reason !== 'not-installed') {
        // Without them every verdict would be a guess: the field says so rather than show a pass.
        throw new ServiceUnavailableError(
          `The Kyverno ClusterPolicies of cluster '${cluster}' could not be read${
            cps ? ` (${describe(cps)})` : ''
          }`,
        );
      }
      let namespaceLabels: Record<string, string> | undefined;
      if (namespace) {
        const namespaced = snapshot.collections.kyvernoPolicies;
        if (namespaced?.ok) {
          policies.push(
            ...namespaced.items
              .filter(p => p.metadata.namespace === namespace)
              .map(p => slim('Policy', p)),
          );
        } else if (namespaced && namespaced.error.reason !== 'not-installed') {
          notEvaluated.push({
            feature: 'Policy',
            reason: `the Kyverno Policies of namespace ${namespace} could not be read (${describe(
              namespaced,
            )})`,
          });
        }
        const namespaces = snapshot.collections.namespaces;
        if (namespaces?.ok) {
          namespaceLabels = (namespaces.items.find(
            n => n.metadata.name === namespace,
          )?.metadata.labels ?? undefined) as
            | Record<string, string>
            | undefined;
        } else if (namespaces) {
          notEvaluated.push({
            feature: 'namespaceSelector',
            reason: `the labels of namespace ${namespace} could not be read (${describe(
              namespaces,
            )})`,
          });
        }
      }
      // Policies are cluster data like any other: messages and patterns may carry what must not reach a browser.
      return redactDeep({
        cluster,
        ...(namespace ? { namespace } : {}),
        policies,
        ...(namespaceLabels ? { namespaceLabels } : {}),
        notEvaluated,
      });
    },
  };
}
