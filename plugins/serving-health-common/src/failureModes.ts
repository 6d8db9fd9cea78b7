import { FailureModeId } from './types';

/** @public */
export interface FailureModeInfo {
  id: FailureModeId;
  title: string;
  /** What breaks, in the words an operator uses. */
  description: string;
  /** What the operator sees first. */
  symptom: string;
}

/**
 * The failure-mode catalogue: one cause, one name.
 *
 * @public
 */
export const FAILURE_MODES: Record<FailureModeId, FailureModeInfo> = {
  'webhook-no-endpoints': {
    id: 'webhook-no-endpoints',
    title: 'KServe webhook has no ready endpoints',
    description:
      "KServe's admission webhook Service has no ready endpoints, so the API server cannot call it: every InferenceService create or update is denied cluster-wide.",
    symptom:
      'failed calling webhook ... no endpoints available for service "kserve-webhook-server-service"',
  },
  'crd-missing': {
    id: 'crd-missing',
    title: 'InferenceService CRD is missing',
    description:
      'The inferenceservices.serving.kserve.io CRD is gone or not Established; deleting a CRD deletes every custom resource of that type.',
    symptom:
      'Every InferenceService vanished at once; Argo CD applications are OutOfSync / Missing.',
  },
  'label-policy-mismatch': {
    id: 'label-policy-mismatch',
    title: 'Labels do not match the Kyverno policy',
    description:
      'The manifest carries a label key that differs from the one the Kyverno policy requires (for example costCenter instead of cost-center), so admission denies it.',
    symptom:
      'Argo CD OutOfSync / Degraded with "validation error: ... failed at path /metadata/labels/..."',
  },
  'policy-engine-not-ready': {
    id: 'policy-engine-not-ready',
    title: 'Kyverno webhooks registered but not served',
    description:
      "Kyverno's webhook configurations are registered while its admission controller is not ready, so every request they match fails.",
    symptom:
      'Argo CD applications go Unknown; syncs fail with connection refused / no endpoints for kyverno-svc.',
  },
  'stale-webhook': {
    id: 'stale-webhook',
    title: 'Stale admission webhook',
    description:
      'A webhook configuration left behind by a removed component points at a Service that no longer exists or has no ready endpoints; requests of the kinds it matches fail.',
    symptom:
      'Creations of the matched kinds fail; the error shows only in Argo CD conditions.',
  },
};

/** @public */
export const FAILURE_MODE_IDS = Object.keys(FAILURE_MODES) as FailureModeId[];
