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
      "Kyverno's resource webhooks (kyverno-resource-validating-webhook-cfg, kyverno-resource-mutating-webhook-cfg) are registered while its admission controller is not ready, so every request they match fails. Its policy, cleanup, exception, TTL and global-context webhooks never reach a model deployment and are not this mode.",
    symptom:
      'Argo CD applications go Unknown; syncs fail with connection refused / no endpoints for kyverno-svc.',
  },
  'stale-webhook': {
    id: 'stale-webhook',
    title: 'Stale admission webhook',
    description:
      "A webhook configuration points at a Service (or a namespace) that no longer exists, whoever owned it: a removed component's, Kyverno's own configurations after an uninstall, or KServe's. Requests of the kinds it matches fail; the fix is to delete the configuration (or restore the Service when its owner is still installed).",
    symptom:
      'Creations of the matched kinds fail with service "<name>" not found; the error shows only in Argo CD conditions.',
  },
  'webhook-unavailable': {
    id: 'webhook-unavailable',
    title: "Another component's webhook is not served",
    description:
      "A webhook of another component (istiod, cert-manager, Knative, ingress-nginx, ...) points at a Service that exists but cannot serve it (no ready endpoints, headless, or without the webhook's port), and it intercepts what this entity's deployment creates. The fix is to repair that component, never to delete its configuration: it is still installed.",
    symptom:
      'The same denials as a dead KServe webhook: failed calling webhook "<webhook>": ... no endpoints available for service "<service>".',
  },
};

/** @public */
export const FAILURE_MODE_IDS = Object.keys(FAILURE_MODES) as FailureModeId[];
