import { SERVICE_CHAIN_COLLECTIONS, describeChainCause } from './serviceChain';
import { KSERVE_CONTROLLER } from './kserveController';
import { TriageCheck } from './types';
import { firstReadError } from './util';
import {
  WebhookEntry,
  entityAdmissionRequests,
  interception,
  listWebhooks,
  webhookServiceChain,
} from './webhooks';

export const KSERVE_WEBHOOK_SERVICE = 'kserve-webhook-server-service';

/** KServe's webhooks are the ones served by its webhook Service. */
export function isKServeWebhook(w: WebhookEntry, kserveNamespace: string) {
  return (
    w.service?.namespace === kserveNamespace &&
    w.service?.name === KSERVE_WEBHOOK_SERVICE
  );
}

export const kserveWebhookEndpoints: TriageCheck = {
  id: 'kserve.webhook-endpoints',
  stage: 'webhooks',
  title: 'KServe webhook endpoints',
  requires: ['cluster.reachable'],
  run(ctx) {
    const { snapshot } = ctx;
    const ns = snapshot.namespaces.kserve;
    const { webhooks, unreadable } = listWebhooks(snapshot);
    const webhooksUnread = firstReadError(snapshot, unreadable);
    if (webhooksUnread) return webhooksUnread;
    const kserve = webhooks.filter(w => isKServeWebhook(w, ns));
    if (kserve.length === 0) {
      return {
        status: 'warn',
        summary: `No webhook configuration points at ${ns}/${KSERVE_WEBHOOK_SERVICE}: InferenceServices are neither defaulted nor validated.`,
        evidence: [{ label: 'KServe webhooks', fields: { registered: '0' } }],
      };
    }
    // Unreadable Services or EndpointSlices say nothing about the webhook: the check could not run.
    const chainUnread = firstReadError(snapshot, SERVICE_CHAIN_COLLECTIONS);
    if (chainUnread) return chainUnread;
    const chains = [
      ...new Map(
        kserve
          .map(w => webhookServiceChain(snapshot, w)!)
          .map(c => [c.port, c]),
      ).values(),
    ];
    const chain = chains.find(c => c.verdict !== 'served') ?? chains[0];
    const webhookEvidence = {
      label: 'Webhooks served by this Service',
      lines: kserve.map(
        w =>
          `${w.configKind}/${w.configName}: ${w.webhookName} (failurePolicy ${w.failurePolicy})`,
      ),
    };
    if (chain.verdict === 'served') {
      return {
        status: 'pass',
        summary: `${ns}/${KSERVE_WEBHOOK_SERVICE} has ${chain.readyEndpoints} ready endpoint(s) for ${kserve.length} webhook(s).`,
        evidence: [webhookEvidence, ...chain.evidence],
      };
    }
    if (chain.verdict === 'not-checkable') {
      return {
        status: 'skipped',
        summary: `Not checkable: ${chain.cause}.`,
        evidence: [webhookEvidence, ...chain.evidence],
      };
    }
    if (chain.verdict === 'gone') {
      // The configurations outlived their Service: one cause, one name (stale-webhook), reported by webhooks.stale.
      return {
        status: 'warn',
        summary: `${describeChainCause(chain)}: KServe's ${
          kserve.length
        } webhook configuration(s) point at nothing; webhooks.stale reports them as stale-webhook.`,
        evidence: [webhookEvidence, ...chain.evidence],
      };
    }
    // KServe's webhooks intercept every InferenceService, unless a namespaceSelector or matchCondition added by the
    // cluster's admins excludes this entity's: judged like any other webhook.
    const requests = entityAdmissionRequests(ctx);
    const judged = kserve.map(w => ({ w, i: interception(w, requests) }));
    const intercepting = judged.filter(j => j.i.verdict === 'yes');
    const possible = judged.filter(j => j.i.verdict === 'maybe');
    const blocking = kserve.filter(w => w.failurePolicy === 'Fail');
    const blockingEntity = intercepting.filter(
      j => j.w.failurePolicy === 'Fail',
    );
    const defaulter =
      kserve.find(w => w.webhookName.endsWith('.defaulter')) ?? kserve[0];
    const problem = chain.containerProblems[0];
    const steps = [];
    if (problem) {
      steps.push({
        text: `Fix container ${problem.container} of ${problem.pod}${
          problem.event ? ` (${problem.event})` : ''
        }; once every container is ready the pod rejoins the Service's endpoints.`,
        command: `kubectl -n ${ns} describe pod ${problem.pod}`,
      });
      if (/ImagePull|ErrImage/.test(problem.reason) && problem.image) {
        steps.push({
          text: 'Point the container at an image the cluster can pull (mirror it, or fix the pull secret).',
          command: `kubectl -n ${ns} set image deployment/${KSERVE_CONTROLLER} ${
            problem.container
          }=<reachable-registry>/${problem.image.split('/').slice(-1)[0]}`,
        });
      }
    } else if (chain.problem === 'headless' || chain.problem === 'no-port') {
      steps.push({
        text: `Restore the Service as KServe ships it (clusterIP assigned, port 443 -> webhook-server): ${chain.cause}.`,
        command: `kubectl -n ${ns} get service ${KSERVE_WEBHOOK_SERVICE} -o yaml`,
      });
    } else {
      steps.push({
        text: 'Find out why the controller pods are not Ready.',
        command: `kubectl -n ${ns} get pods -l control-plane=${KSERVE_CONTROLLER} -o wide`,
      });
    }
    steps.push({
      text: 'Verify: the Service has ready endpoints again, then re-sync the Argo CD application.',
      command: `kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${KSERVE_WEBHOOK_SERVICE}`,
    });
    const cause = `${describeChainCause(chain)}. ${
      blocking.length
    } KServe webhook(s) with failurePolicy Fail deny every InferenceService create/update they match: the API server answers 'failed calling webhook "${
      defaulter.webhookName
    }": ... ${chain.cause}'.`;
    let verdict = '';
    if (intercepting.length === 0) {
      verdict = possible.length
        ? ` Whether they intercept this entity's deployment cannot be decided: ${possible[0].w.webhookName}: ${possible[0].i.why}.`
        : " None of them intercepts this entity's deployment (their selectors or matchConditions exclude it): a cluster warning, not this entity's failure.";
    }
    return {
      // failurePolicy Ignore fails open: requests pass after the call fails.
      status: blockingEntity.length ? 'fail' : 'warn',
      failureMode: intercepting.length ? 'webhook-no-endpoints' : undefined,
      summary: `${cause}${verdict}`,
      evidence: [webhookEvidence, ...chain.evidence],
      remediation: {
        why: 'The admission webhook is served by the `manager` container, but a pod is a Service endpoint only when all its containers are ready: one failing sidecar takes the webhook down cluster-wide.',
        steps,
      },
    };
  },
};
