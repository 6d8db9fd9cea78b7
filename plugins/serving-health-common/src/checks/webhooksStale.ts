import { KSERVE_CONTROLLER } from './kserveController';
import { isKServeWebhook } from './kserveWebhookEndpoints';
import { kyvernoAdmissionController } from './kyvernoControlPlane';
import { isPolicyEngineWebhook } from './policyEngineAdmission';
import { ClusterSnapshot } from '../snapshot';
import { KubeObject } from '../types';
import { ServiceChain } from './serviceChain';
import { TriageCheck } from './types';
import {
  Interception,
  WebhookEntry,
  argoRefreshStep,
  deadWebhookEvidence,
  entityAdmissionRequests,
  interception,
  readWebhooksWithChains,
  webhookKindResource,
  webhookServiceChain,
} from './webhooks';

interface StaleWebhook {
  webhook: WebhookEntry;
  chain: ServiceChain;
  interception: Interception;
}

const IMPACT: Record<Interception['verdict'], number> = {
  yes: 2,
  maybe: 1,
  no: 0,
};

/** The Deployment that served a webhook, when its owner is one the triage knows and it still runs. */
function runningOwner(
  snapshot: ClusterSnapshot,
  w: WebhookEntry,
): { deployment: KubeObject; release: string } | undefined {
  const kserve = snapshot.namespaces.kserve;
  const deployments = snapshot.collections.controlPlaneDeployments;
  if (isKServeWebhook(w, kserve)) {
    const deployment = deployments?.ok
      ? deployments.items.find(
          d =>
            d.metadata.namespace === kserve &&
            d.metadata.name === KSERVE_CONTROLLER,
        )
      : undefined;
    return (
      deployment && { deployment, release: 'the KServe release manifests' }
    );
  }
  if (isPolicyEngineWebhook(w)) {
    const deployment = kyvernoAdmissionController(
      snapshot,
      w.service!.namespace,
    );
    return (
      deployment && {
        deployment,
        release: `Kyverno's Helm chart (helm upgrade kyverno kyverno/kyverno -n ${
          w.service!.namespace
        })`,
      }
    );
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
      stale.push({
        webhook,
        chain,
        interception: interception(webhook, requests),
      });
    }
    const checked = `${withService.length} webhook(s) checked`;
    if (stale.length === 0) {
      return {
        status: 'pass',
        summary: `${checked}; each one's Service exists.`,
        evidence: [
          {
            label: 'Webhooks checked',
            lines: withService.map(
              w => `${w.configKind}/${w.configName}: ${w.webhookName}`,
            ),
          },
        ],
      };
    }
    const intercepting = stale.filter(s => s.interception.verdict === 'yes');
    const blocking = intercepting.filter(
      s => s.webhook.failurePolicy === 'Fail',
    );
    const slowing = intercepting.filter(
      s => s.webhook.failurePolicy === 'Ignore',
    );
    const possible = stale.filter(s => s.interception.verdict === 'maybe');
    // Configurations that block this entity first: they are the ones to fix before anything else.
    const byImpact = [...stale].sort(
      (a, b) => IMPACT[b.interception.verdict] - IMPACT[a.interception.verdict],
    );
    const configs = [
      ...new Map(
        byImpact.map(s => [
          `${s.webhook.configKind}/${s.webhook.configName}`,
          s,
        ]),
      ).values(),
    ];
    const steps = configs.map(({ webhook: w }) => {
      const svc = `${w.service!.namespace}/${w.service!.name}`;
      // Its owner still runs: the Service was lost, not the component; restore it instead of unregistering the webhook.
      const owner = runningOwner(snapshot, w);
      if (owner) {
        const { namespace, name } = owner.deployment.metadata;
        return {
          text: `Deployment ${namespace}/${name} still runs: recreate the Service ${svc} from ${owner.release} rather than deleting ${w.configName}.`,
          command: `kubectl -n ${namespace} get deployment ${name}`,
        };
      }
      return {
        text: `Delete ${w.configName}, left behind by the removed component (after checking that ${svc} is gone for good).`,
        command: `kubectl delete ${webhookKindResource(w)} ${w.configName}`,
      };
    });
    const first = blocking[0] ?? slowing[0];
    const configNames = configs.map(c => c.webhook.configName).join(', ');
    let summary: string;
    if (first) {
      summary = `Stale webhook ${first.webhook.webhookName} (${
        first.chain.cause
      }) intercepts this entity's deployment with failurePolicy ${
        first.webhook.failurePolicy
      }: ${
        first.webhook.failurePolicy === 'Fail'
          ? `creates and updates are denied with 'failed calling webhook "${first.webhook.webhookName}"'.`
          : 'requests pass only after the call fails.'
      }${first.interception.why ? ` (${first.interception.why})` : ''}`;
    } else if (possible.length) {
      const p = possible[0];
      summary = `Stale webhook ${p.webhook.webhookName} (${
        p.chain.cause
      }) may intercept this entity's deployment, which the triage cannot decide: ${
        p.interception.why
      }. If it does, failurePolicy ${p.webhook.failurePolicy} ${
        p.webhook.failurePolicy === 'Fail'
          ? 'denies those requests'
          : 'only slows them'
      }. ${stale.length} stale webhook(s) left behind (${configNames}).`;
    } else {
      summary = `${stale.length} stale webhook(s) left behind (${configNames}); they intercept nothing this entity's deployment creates, but fail the kinds they match cluster-wide.`;
    }
    return {
      // Only a webhook that intercepts what this entity creates is its failure; any other is a cluster warning.
      status: blocking.length ? 'fail' : 'warn',
      failureMode: first ? 'stale-webhook' : undefined,
      summary,
      evidence: stale.map(s =>
        deadWebhookEvidence(
          'Stale webhook',
          s.webhook,
          s.chain,
          s.interception,
        ),
      ),
      remediation: {
        why: 'A webhook configuration outlives the component that served it when the component is uninstalled without it (Kyverno creates its configurations at runtime, so its chart removes them only when webhooksCleanup.enabled is set). The API server still calls it for every request its rules match; the error surfaces only in Argo CD conditions, never on the resource.',
        steps: [
          ...steps,
          argoRefreshStep(
            ctx.target,
            'Then hard-refresh and sync the affected Argo CD applications.',
          ),
        ],
      },
    };
  },
};
