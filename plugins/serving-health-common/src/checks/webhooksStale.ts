import { isKServeWebhook } from './kserveWebhookEndpoints';
import { isPolicyEngineWebhook } from './policyEngineAdmission';
import { SERVICE_CHAIN_COLLECTIONS, analyzeServiceChain } from './serviceChain';
import { TriageCheck } from './types';
import { firstReadError } from './util';
import { WebhookEntry, describeRules, listWebhooks, webhookIntercepts } from './webhooks';

interface StaleWebhook {
  webhook: WebhookEntry;
  cause: string;
  interceptsEntity: boolean;
}

function blockingVerdict(s: StaleWebhook): string {
  if (!s.interceptsEntity) return "no (its rules do not match this entity's resources)";
  return s.webhook.failurePolicy === 'Fail'
    ? 'yes (failurePolicy Fail: requests are denied)'
    : 'slows it (failurePolicy Ignore: requests pass after the call fails)';
}

export const webhooksStale: TriageCheck = {
  id: 'webhooks.stale',
  stage: 'stale-webhooks',
  title: 'No stale webhooks',
  requires: ['cluster.reachable'],
  run({ snapshot, target }) {
    const { webhooks, unreadable } = listWebhooks(snapshot);
    const webhooksUnread = firstReadError(snapshot, unreadable);
    if (webhooksUnread) return webhooksUnread;
    const chainUnread = firstReadError(snapshot, SERVICE_CHAIN_COLLECTIONS);
    if (chainUnread) return chainUnread;
    const others = webhooks.filter(
      w =>
        w.service &&
        !isKServeWebhook(w, snapshot.namespaces.kserve) &&
        !isPolicyEngineWebhook(w, snapshot.namespaces.kyverno),
    );
    const namespaces = snapshot.collections.namespaces;
    const isvcNs = target.inferenceService?.namespace;
    const nsLabels = isvcNs
      ? (namespaces?.ok
          ? namespaces.items.find(n => n.metadata.name === isvcNs)?.metadata.labels
          : undefined) ?? { 'kubernetes.io/metadata.name': isvcNs }
      : undefined;

    const stale: StaleWebhook[] = [];
    for (const w of others) {
      const chain = analyzeServiceChain(snapshot, w.service!.namespace, w.service!.name);
      if (chain.service && chain.readyEndpoints > 0) continue;
      const interceptsEntity = ['CREATE', 'UPDATE'].some(
        op =>
          webhookIntercepts(w, {
            group: 'serving.kserve.io',
            resource: 'inferenceservices',
            operation: op,
            namespaceLabels: nsLabels,
          }) ||
          webhookIntercepts(w, {
            group: '',
            resource: 'pods',
            operation: op,
            namespaceLabels: nsLabels,
          }),
      );
      stale.push({
        webhook: w,
        cause: chain.service
          ? `no ready endpoints available for service "${w.service!.name}"`
          : `service "${w.service!.name}" not found`,
        interceptsEntity,
      });
    }
    const checked = `${others.length} webhook(s) of other components checked`;
    if (stale.length === 0) {
      return {
        status: 'pass',
        summary: `${checked}; each one's Service has ready endpoints.`,
        evidence: [{ label: 'Webhooks checked', lines: others.map(w => `${w.configKind}/${w.configName}: ${w.webhookName}`) }],
      };
    }
    const blocking = stale.filter(s => s.interceptsEntity && s.webhook.failurePolicy === 'Fail');
    const evidence = stale.map(s => ({
      object: { kind: s.webhook.configKind, name: s.webhook.configName, apiVersion: 'admissionregistration.k8s.io/v1' },
      label: `Stale webhook ${s.webhook.webhookName}`,
      fields: {
        'clientConfig.service': `${s.webhook.service!.namespace}/${s.webhook.service!.name}`,
        cause: s.cause,
        failurePolicy: s.webhook.failurePolicy,
        intercepts: describeRules(s.webhook) || 'nothing',
        namespaceSelector: JSON.stringify(s.webhook.namespaceSelector ?? {}),
        objectSelector: JSON.stringify(s.webhook.objectSelector ?? {}),
        'blocks this entity': blockingVerdict(s),
      },
    }));
    const kindOf = (w: WebhookEntry) =>
      w.configKind === 'MutatingWebhookConfiguration'
        ? 'mutatingwebhookconfiguration'
        : 'validatingwebhookconfiguration';
    return {
      status: blocking.length ? 'fail' : 'warn',
      failureMode: 'stale-webhook',
      summary: blocking.length
        ? `Stale webhook ${blocking[0].webhook.webhookName} (${blocking[0].cause}) intercepts this entity's InferenceService with failurePolicy Fail: creates and updates are denied with 'failed calling webhook "${blocking[0].webhook.webhookName}"'.`
        : `${stale.length} stale webhook(s) left behind (${stale.map(s => s.webhook.configName).join(', ')}); they do not block this entity's resources but fail the kinds they match.`,
      evidence,
      remediation: {
        why: 'A webhook configuration outlives the component that served it when the component is uninstalled without it. The API server still calls it for every request its rules match; the error surfaces only in Argo CD conditions, never on the resource.',
        steps: [
          ...stale.map(s => ({
            text: `Delete the configuration left behind by the removed component (after checking that ${s.webhook.service!.namespace}/${s.webhook.service!.name} is really gone for good).`,
            command: `kubectl delete ${kindOf(s.webhook)} ${s.webhook.configName}`,
          })),
          {
            text: 'Then hard-refresh and sync the affected Argo CD applications.',
            command: 'kubectl -n argocd annotate applications.argoproj.io <app> argocd.argoproj.io/refresh=hard --overwrite',
          },
        ],
      },
    };
  },
};
