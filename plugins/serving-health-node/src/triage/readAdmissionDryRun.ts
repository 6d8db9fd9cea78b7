import {
  AdmissionDryRunResult,
  ClusterSnapshot,
  TriageTarget,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesClient } from '../client/types';

/**
 * Asks the API server whether it would admit the live InferenceService, with
 * `dryRun=All`: every admission webhook and policy runs, nothing is persisted.
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
  // A dry-run *create* of the live object runs the whole admission chain a
  // create meets (what Argo CD does for a missing resource); the API server
  // checks for an existing object only after admission, so AlreadyExists means
  // every webhook and policy admitted it.
  const { resourceVersion, uid, creationTimestamp, generation, ...metadata } = live.metadata as any;
  const res = await client.request({
    method: 'POST',
    path: `/apis/serving.kserve.io/v1beta1/namespaces/${namespace}/inferenceservices`,
    query: { dryRun: 'All', fieldManager: 'serving-health' },
    body: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata,
      spec: live.spec,
    },
  });
  if (res.ok || (res.status === 409 && res.body?.reason === 'AlreadyExists')) {
    return { outcome: 'admitted', object: { namespace, name } };
  }
  if (res.error.reason === 'forbidden') {
    return {
      outcome: 'not-run',
      reason: 'Not allowed to create InferenceServices (dry run).',
      error: {
        ...res.error,
        missingRule: { apiGroup: 'serving.kserve.io', resource: 'inferenceservices', verb: 'create' },
      },
    };
  }
  if (['timeout', 'unreachable', 'tls', 'unauthorized'].includes(res.error.reason)) {
    return { outcome: 'not-run', reason: res.error.message, error: res.error };
  }
  return {
    outcome: 'denied',
    object: { namespace, name },
    httpStatus: res.status,
    message: res.error.message,
  };
}
