import { FailureModeId } from '../types';

const FAILED_WEBHOOK = /failed calling webhook "([^"]+)"/;
/**
 * Kyverno's resource webhooks (`validate.kyverno.svc-fail`, `mutate.kyverno.svc-ignore`, fine-grained
 * `...-finegrained-<policy>`), and from 1.14 those of its CEL policies, named with the policy kind's prefix
 * (`vpol.validate.kyverno.svc-fail`, `ivpol.`, `gpol.`, 1.15 `mpol.mutate.`): all served by the admission controller.
 */
const KYVERNO_RESOURCE_WEBHOOK =
  /^(?:[a-z]+\.)?(?:validate|mutate)\.kyverno\.svc-(?:fail|ignore)/;

/**
 * Whether one of `later` occurs after `first` in the message. A plain search instead of a regex with `.*`
 * between them: messages come from the cluster, and `.*` re-scanned from every occurrence of `first` makes
 * a crafted message quadratic.
 */
function follows(message: string, first: string, later: string[]): boolean {
  const at = message.indexOf(first);
  return at >= 0 && later.some(l => message.indexOf(l, at + first.length) >= 0);
}

/**
 * Names the failure mode an Argo CD or admission message describes, from the
 * API server's and Kyverno's own wording. Secondary evidence: the cluster state
 * decides when the two disagree.
 */
export function classifyMessage(message: string): FailureModeId | undefined {
  if (!message) return undefined;
  const webhook = FAILED_WEBHOOK.exec(message)?.[1];
  if (webhook) {
    // The API server's reason for the failed call decides the mode; a TLS error or a timeout reached a Service
    // that exists and has endpoints, so it names none of these modes.
    const serviceGone =
      /service "[^"]+" not found|namespaces? "[^"]+" not found/.test(message);
    const unserved =
      /no endpoints available for service|connection refused|cannot route to service with ClusterIP "None"|no service port \d+ found/.test(
        message,
      );
    if (serviceGone) return 'stale-webhook';
    if (!unserved) return undefined;
    if (
      /kserve-webhook-server/.test(webhook) ||
      /service "kserve-webhook-server-service"/.test(message)
    ) {
      return 'webhook-no-endpoints';
    }
    if (KYVERNO_RESOURCE_WEBHOOK.test(webhook))
      return 'policy-engine-not-ready';
    return 'webhook-unavailable';
  }
  if (
    follows(message, 'validation error: ', ['failed at path /metadata/labels/'])
  ) {
    return 'label-policy-mismatch';
  }
  if (
    /was blocked due to the following policies/.test(message) &&
    /labels/.test(message)
  ) {
    return 'label-policy-mismatch';
  }
  if (
    /kyverno-svc/.test(message) &&
    /(connection refused|no endpoints available)/.test(message)
  ) {
    return 'policy-engine-not-ready';
  }
  if (
    /no matches for kind "InferenceService"/.test(message) ||
    /could not find serving\.kserve\.io\/InferenceService/.test(message) ||
    follows(message, 'could not find the requested resource', [
      'InferenceService',
      'inferenceservices',
      'serving.kserve.io',
    ]) ||
    /the server doesn't have a resource type "inferenceservices"/.test(
      message,
    ) ||
    // The CRD is being deleted (apiextensions refuses creates until it is gone).
    /create not allowed while custom resource definition is terminating/.test(
      message,
    )
  ) {
    return 'crd-missing';
  }
  return undefined;
}
