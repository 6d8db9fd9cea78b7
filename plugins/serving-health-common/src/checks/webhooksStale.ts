import { KSERVE_CONTROLLER } from './kserveController';
import { isKServeWebhook } from './kserveWebhookEndpoints';
import { KYVERNO_ADMISSION_CONTROLLER, isPolicyEngineWebhook } from './policyEngineAdmission';
import { ServiceChain } from './serviceChain';
import { TriageCheck } from './types';
import {
  WebhookEntry,
  argoRefreshStep,
  deadWebhookEvidence,
  entityAdmissionRequests,
  interceptsAny,
  readWebhooksWithChains,
  webhookKindResource,
  webhookServiceChain,
} from './webhooks';

interface StaleWebhook {
  webhook: WebhookEntry;
  chain: ServiceChain;
  interceptsEntity: boolean;
}

/** The Deployment that serves a webhook, for the owners the triage knows. */
function ownerDeployment(w: WebhookEntry, kserveNamespace: string) {
  if (isKServeWebhook(w, kserveNamespace)) {
    return { ns: kserveNamespace, name: KSERVE_CONTROLLER, release: 'the KServe release manifests' };
  }
  if (isPolicyEngineWebhook(w)) {
    return { ns: w.service!.namespace, name: KYVERNO_ADMISSION_CONTROLLER, release: "Kyverno's Helm chart (helm upgrade kyverno kyverno/kyverno -n kyverno)" };
  }
  return undefined;
}

export const webhooksStale: TriageCheck = {
  id: 'webhooks.stale',
  stage: 'stale-webhooks',
  title: 'Webhook configurations and their Services',
  requires: ['cluster.reachable'],
  run(ctx) {
    const { snapshot } = ctx;
    const read = readWebhooksWithChains(snapshot);
    if ('unread' in read) return read.unread;
    const { webhooks } = read;
    // A Service or namespace that is gone is stale whoever owned it: KServe's and Kyverno's included.
    const withService = webhooks.filter(w => w.service);
    const requests = entityAdmissionRequests(ctx);
    const stale: StaleWebhook[] = [];
    for (const webhook of withService) {
      const chain = webhookServiceChain(snapshot, webhook)!;
      if (chain.verdict !== 'gone') continue;
      stale.push({ webhook, chain, interceptsEntity: interceptsAny(webhook, requests) });
    }
    const checked = `${withService.length} webhook(s) checked`;
    if (stale.length === 0) {
      return {
        status: 'pass',
        summary: `${checked}; each one's Service exists.`,
        evidence: [{ label: 'Webhooks checked', lines: withService.map(w => `${w.configKind}/${w.configName}: ${w.webhookName}`) }],
      };
    }
    const blocking = stale.filter(s => s.interceptsEntity && s.webhook.failurePolicy === 'Fail');
    const slowing = stale.filter(s => s.interceptsEntity && s.webhook.failurePolicy === 'Ignore');
    // Configurations that block this entity first: they are the ones to fix before anything else.
    const byImpact = [...stale].sort((a, b) => Number(b.interceptsEntity) - Number(a.interceptsEntity));
    const configs = [...new Map(byImpact.map(s => [`${s.webhook.configKind}/${s.webhook.configName}`, s])).values()];
    const deployments = snapshot.collections.controlPlaneDeployments;
    const installed = (ns: string, name: string) =>
      deployments?.ok === true && deployments.items.some(d => d.metadata.namespace === ns && d.metadata.name === name);
    const steps = configs.map(({ webhook: w }) => {
      const svc = `${w.service!.namespace}/${w.service!.name}`;
      // Its owner still runs: the Service was lost, not the component; restore it instead of unregistering the webhook.
      const owner = ownerDeployment(w, snapshot.namespaces.kserve);
      if (owner && installed(owner.ns, owner.name)) {
        return {
          text: `Deployment ${owner.ns}/${owner.name} still runs: recreate the Service ${svc} from ${owner.release} rather than deleting ${w.configName}.`,
          command: `kubectl -n ${owner.ns} get deployment ${owner.name}`,
        };
      }
      return {
        text: `Delete ${w.configName}, left behind by the removed component (after checking that ${svc} is gone for good).`,
        command: `kubectl delete ${webhookKindResource(w)} ${w.configName}`,
      };
    });
    const first = blocking[0] ?? slowing[0];
    return {
      // Only a webhook that intercepts what this entity creates is its failure; any other is a cluster warning.
      status: blocking.length ? 'fail' : 'warn',
      failureMode: first ? 'stale-webhook' : undefined,
      summary: first
        ? `Stale webhook ${first.webhook.webhookName} (${first.chain.cause}) intercepts this entity's deployment with failurePolicy ${first.webhook.failurePolicy}: ${
            first.webhook.failurePolicy === 'Fail'
              ? `creates and updates are denied with 'failed calling webhook "${first.webhook.webhookName}"'.`
              : 'requests pass only after the call fails.'
          }`
        : `${stale.length} stale webhook(s) left behind (${configs.map(s => s.webhook.configName).join(', ')}); they intercept nothing this entity's deployment creates, but fail the kinds they match cluster-wide.`,
      evidence: stale.map(s => deadWebhookEvidence('Stale webhook', s.webhook, s.chain, s.interceptsEntity)),
      remediation: {
        why: 'A webhook configuration outlives the component that served it when the component is uninstalled without it (Kyverno creates its configurations at runtime, so its chart removes them only when webhooksCleanup.enabled is set). The API server still calls it for every request its rules match; the error surfaces only in Argo CD conditions, never on the resource.',
        steps: [
          ...steps,
          argoRefreshStep(ctx.target, 'Then hard-refresh and sync the affected Argo CD applications.'),
        ],
      },
    };
  },
};
