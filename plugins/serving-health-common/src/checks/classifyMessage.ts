import { FailureModeId } from '../types';

const FAILED_WEBHOOK = /failed calling webhook "([^"]+)"/;

/**
 * Names the failure mode an Argo CD or admission message describes, from the
 * API server's and Kyverno's own wording. Secondary evidence: the cluster state
 * decides when the two disagree.
 */
export function classifyMessage(message: string): FailureModeId | undefined {
  if (!message) return undefined;
  const webhook = FAILED_WEBHOOK.exec(message)?.[1];
  if (webhook) {
    if (/kserve-webhook-server/.test(webhook) || /service "kserve-webhook-server-service"/.test(message)) {
      return 'webhook-no-endpoints';
    }
    if (/kyverno/.test(webhook) || /service "kyverno-svc"|kyverno-svc\.kyverno\.svc/.test(message)) {
      return 'policy-engine-not-ready';
    }
    return 'stale-webhook';
  }
  if (/validation error: .*failed at path \/metadata\/labels\//s.test(message)) {
    return 'label-policy-mismatch';
  }
  if (/was blocked due to the following policies/.test(message) && /labels/.test(message)) {
    return 'label-policy-mismatch';
  }
  if (/kyverno-svc/.test(message) && /(connection refused|no endpoints available)/.test(message)) {
    return 'policy-engine-not-ready';
  }
  if (
    /no matches for kind "InferenceService"/.test(message) ||
    /could not find serving\.kserve\.io\/InferenceService/.test(message) ||
    /could not find the requested resource.*(InferenceService|inferenceservices|serving\.kserve\.io)/s.test(message) ||
    /the server doesn't have a resource type "inferenceservices"/.test(message)
  ) {
    return 'crd-missing';
  }
  return undefined;
}
