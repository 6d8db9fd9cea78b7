import { isKServeWebhook } from './kserveWebhookEndpoints';
import { isPolicyEngineWebhook } from './policyEngineAdmission';
import { ServiceChain } from './serviceChain';
import { TriageCheck } from './types';
import {
  Interception,
  WebhookEntry,
  argoRefreshStep,
  deadWebhookEvidence,
  describeRules,
  entityAdmissionRequests,
  interception,
  readWebhooksWithChains,
  webhookServiceChain,
} from './webhooks';

interface Unserved {
  webhook: WebhookEntry;
  chain: ServiceChain;
  interception: Interception;
}

/**
 * Webhooks of other components (istiod, cert-manager, Knative, ingress-nginx, Kyverno's non-resource ones, ...)
 * whose Service exists but cannot serve them. Their owner is still installed, so the fix is to repair it; a
 * Service that is gone is stale-webhook (webhooks.stale), KServe's and Kyverno's resource webhooks have checks of
 * their own.
 */
function selectorArg(chain: ServiceChain): string {
  const selector: Record<string, string> = chain.service?.spec?.selector ?? {};
  return (
    Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || '<selector>'
  );
}

export const webhooksUnavailable: TriageCheck = {
  id: 'webhooks.unavailable',
  stage: 'webhooks',
  title: "Other components' webhooks",
  requires: ['cluster.reachable'],
  run(ctx) {
    const { snapshot } = ctx;
    const read = readWebhooksWithChains(snapshot);
    if ('unread' in read) return read.unread;
    const { webhooks } = read;
    const others = webhooks.filter(
      w =>
        !isKServeWebhook(w, snapshot.namespaces.kserve) &&
        !isPolicyEngineWebhook(w),
    );
    const requests = entityAdmissionRequests(ctx);
    const unserved: Unserved[] = [];
    const notCheckable: string[] = [];
    const served: WebhookEntry[] = [];
    for (const webhook of others) {
      const chain = webhookServiceChain(snapshot, webhook);
      if (!chain) {
        notCheckable.push(
          `${webhook.configName}: ${webhook.webhookName} calls ${
            webhook.url ?? 'an unset address'
          } directly (clientConfig.url): no cluster object says whether it answers`,
        );
      } else if (chain.verdict === 'not-checkable') {
        notCheckable.push(
          `${webhook.configName}: ${webhook.webhookName}: ${chain.cause}`,
        );
      } else if (chain.verdict === 'not-served') {
        unserved.push({
          webhook,
          chain,
          interception: interception(webhook, requests),
        });
      } else if (chain.verdict === 'served') {
        served.push(webhook);
      }
    }
    const notCheckableEvidence = notCheckable.length
      ? [{ label: 'Not checkable', lines: notCheckable }]
      : [];
    const notCheckableNote = notCheckable.length
      ? ` ${notCheckable.length} not checkable (called by URL or through DNS).`
      : '';
    if (unserved.length === 0) {
      return {
        status: 'pass',
        summary: `${served.length} webhook(s) of other components have a Service that serves them.${notCheckableNote}`,
        evidence: [
          {
            label: 'Webhooks checked',
            lines: served.map(
              w =>
                `${w.configKind}/${w.configName}: ${w.webhookName} -> ${
                  w.service!.namespace
                }/${w.service!.name}`,
            ),
          },
          ...notCheckableEvidence,
        ],
      };
    }
    const intercepting = unserved.filter(u => u.interception.verdict === 'yes');
    const blocking = intercepting.filter(
      u => u.webhook.failurePolicy === 'Fail',
    );
    const first = blocking[0] ?? intercepting[0];
    const possible = unserved.filter(u => u.interception.verdict === 'maybe');
    const svcs = [
      ...new Map(
        unserved.map(u => [`${u.chain.namespace}/${u.chain.name}`, u]),
      ).values(),
    ];
    // The fix is for the components that (may) block this entity; the others are named in the evidence only.
    const concerned = intercepting.length ? intercepting : possible;
    const toRepair = concerned.length
      ? svcs.filter(u =>
          concerned.some(
            x =>
              x.chain.name === u.chain.name &&
              x.chain.namespace === u.chain.namespace,
          ),
        )
      : svcs;
    const svcNames = svcs
      .map(u => `${u.chain.namespace}/${u.chain.name}`)
      .join(', ');
    let summary: string;
    if (first) {
      summary = `Webhook ${first.webhook.webhookName} (${
        first.webhook.configName
      }) intercepts this entity's deployment (${describeRules(
        first.webhook,
      )}) with failurePolicy ${first.webhook.failurePolicy}, but Service ${
        first.chain.namespace
      }/${first.chain.name} cannot serve it: ${first.chain.cause}. ${
        first.webhook.failurePolicy === 'Fail'
          ? `Requests are denied with 'failed calling webhook "${first.webhook.webhookName}"'.`
          : 'Requests pass only after the call fails.'
      }${
        first.interception.why ? ` (${first.interception.why}.)` : ''
      } Repair ${first.chain.namespace}/${
        first.chain.name
      }; its component is still installed.${notCheckableNote}`;
    } else if (possible.length) {
      const p = possible[0];
      summary = `Webhook ${p.webhook.webhookName} (${
        p.webhook.configName
      }) is not served (Service ${p.chain.namespace}/${p.chain.name}: ${
        p.chain.cause
      }) and may intercept this entity's deployment, which the triage cannot decide: ${
        p.interception.why
      }. If it does, failurePolicy ${p.webhook.failurePolicy} ${
        p.webhook.failurePolicy === 'Fail'
          ? 'denies those requests'
          : 'only slows them'
      }.${notCheckableNote}`;
    } else {
      summary = `${unserved.length} webhook(s) of other components are not served (${svcNames}); they intercept nothing this entity's deployment creates, but fail the kinds they match cluster-wide.${notCheckableNote}`;
    }
    return {
      // Only a webhook that intercepts what this entity creates is its failure; any other is a cluster warning.
      status: blocking.length ? 'fail' : 'warn',
      failureMode: first ? 'webhook-unavailable' : undefined,
      summary,
      evidence: [
        ...unserved.map(u =>
          deadWebhookEvidence(
            'Unserved webhook',
            u.webhook,
            u.chain,
            u.interception,
          ),
        ),
        ...svcs.flatMap(u => u.chain.evidence),
        ...notCheckableEvidence,
      ],
      remediation: {
        why: "The Service exists, so the component that owns the webhook is installed but not serving it (pods not Ready, a headless Service, or a Service without the webhook's port). Deleting its webhook configuration would silently turn off what it enforces or injects (sidecars, certificates, defaults) and the component re-registers it anyway: repair the component instead.",
        steps: [
          ...toRepair.flatMap(({ chain }) => [
            {
              text: `Service ${chain.namespace}/${chain.name} cannot serve port ${chain.port} (${chain.cause}): read it and its EndpointSlices.`,
              command: `kubectl -n ${chain.namespace} get service ${chain.name} -o wide && kubectl -n ${chain.namespace} get endpointslices -l kubernetes.io/service-name=${chain.name} -o wide`,
            },
            {
              text: 'Find the pods the Service selects and why they are not Ready (rollout, image pull, crash loop, certificate).',
              command: `kubectl -n ${
                chain.namespace
              } describe pods -l ${selectorArg(chain)}`,
            },
          ]),
          argoRefreshStep(
            ctx.target,
            'Once the Service has a ready endpoint again, hard-refresh and sync the affected Argo CD application.',
          ),
        ],
      },
    };
  },
};
