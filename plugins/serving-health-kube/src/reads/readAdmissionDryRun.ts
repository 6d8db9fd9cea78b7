import {
  AdmissionDryRunResult,
  ClusterSnapshot,
  TriageTarget,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesClient } from '../client/types';
import { ApiDiscovery, dryRunObject } from './dryRun';

// Where InferenceServices are served is known; asking discovery would cost a request per report.
const inferenceServices: ApiDiscovery = async () => ({
  resource: {
    apiPath: '/apis/serving.kserve.io/v1beta1',
    name: 'inferenceservices',
    namespaced: true,
  },
});

/**
 * Asks the API server whether it would admit the live InferenceService, with a server-side dry-run
 * create: every admission webhook and policy runs, nothing is persisted.
 *
 * @public
 */
export async function readAdmissionDryRun(
  client: KubernetesClient,
  snapshot: ClusterSnapshot,
  target: TriageTarget,
): Promise<AdmissionDryRunResult> {
  const isvcs = snapshot.collections.inferenceServices;
  if (!isvcs?.ok) {
    return { outcome: 'not-run', reason: 'InferenceServices could not be read.' };
  }
  const live = isvcs.items.find(i =>
    target.inferenceService
      ? i.metadata.name === target.inferenceService.name &&
        i.metadata.namespace === target.inferenceService.namespace
      : i.metadata.labels?.['backstage.io/kubernetes-id'] === target.kubernetesId,
  );
  if (!live) {
    return { outcome: 'not-run', reason: 'No live InferenceService to dry-run.' };
  }
  const namespace = live.metadata.namespace ?? 'default';
  const name = live.metadata.name;
  const { resourceVersion, uid, creationTimestamp, generation, ...metadata } =
    live.metadata as any;
  const res = await dryRunObject(
    client,
    {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata,
      spec: live.spec,
    },
    { mode: 'create', discover: inferenceServices },
  );
  if (res.allowed) return { outcome: 'admitted', object: { namespace, name } };
  const error = res.error;
  if (error?.reason === 'forbidden') {
    return {
      outcome: 'not-run',
      reason: 'Not allowed to create InferenceServices (dry run).',
      error: {
        ...error,
        missingRule: { apiGroup: 'serving.kserve.io', resource: 'inferenceservices', verb: 'create' },
      },
    };
  }
  if (error && ['timeout', 'unreachable', 'tls', 'unauthorized'].includes(error.reason)) {
    return { outcome: 'not-run', reason: error.message, error };
  }
  return {
    outcome: 'denied',
    object: { namespace, name },
    httpStatus: res.status,
    message: error?.message ?? res.message ?? `HTTP ${res.status}`,
  };
}
