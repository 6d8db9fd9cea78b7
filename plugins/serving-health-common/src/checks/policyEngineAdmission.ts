import { SERVICE_CHAIN_COLLECTIONS, describeChainCause } from './serviceChain';
import { TriageCheck } from './types';
import { findCondition, firstReadError, ref } from './util';
import { kyvernoAdmissionController } from './kyvernoControlPlane';
import {
  WebhookEntry,
  describeRules,
  entityAdmissionRequests,
  interception,
  listWebhooks,
  webhookServiceChain,
} from './webhooks';

export const KYVERNO_SERVICE = 'kyverno-svc';
export const KYVERNO_ADMISSION_CONTROLLER = 'kyverno-admission-controller';

/**
 * Kyverno's admission webhooks: the resource configurations its admission controller registers for policies'
 * match blocks (names fixed in Kyverno's pkg/config). Its policy, exception, cleanup, TTL, global-context and
 * verify webhooks guard Kyverno's own objects, which no model deployment creates.
 */
const KYVERNO_RESOURCE_CONFIGS = new Set([
  'kyverno-resource-validating-webhook-cfg',
  'kyverno-resource-mutating-webhook-cfg',
]);

export function isPolicyEngineWebhook(w: WebhookEntry) {
  return KYVERNO_RESOURCE_CONFIGS.has(w.configName) && w.service !== undefined;
}

export const policyEngineAdmission: TriageCheck = {
  id: 'policy-engine.admission',
  stage: 'webhooks',
  title: 'Kyverno admission webhooks',
  requires: ['cluster.reachable'],
  run(ctx) {
    const { snapshot } = ctx;
    const ns = snapshot.namespaces.kyverno;
    const { webhooks, unreadable } = listWebhooks(snapshot);
    const webhooksUnread = firstReadError(snapshot, unreadable);
    if (webhooksUnread) return webhooksUnread;
    const kyverno = webhooks.filter(isPolicyEngineWebhook);
    if (kyverno.length === 0) {
      return {
        status: 'pass',
        summary: 'No policy-engine (Kyverno) resource webhooks are registered.',
        evidence: [{ label: 'Kyverno webhooks', fields: { registered: '0' } }],
      };
    }
    // Unreadable Services or EndpointSlices say nothing about the engine: the check could not run.
    const chainUnread = firstReadError(snapshot, SERVICE_CHAIN_COLLECTIONS);
    if (chainUnread) return chainUnread;
    const chainOf = new Map(
      kyverno.map(w => [w, webhookServiceChain(snapshot, w)!]),
    );
    const chains = [
      ...new Map(
        [...chainOf.values()].map(c => [
          `${c.namespace}/${c.name}:${c.port}`,
          c,
        ]),
      ).values(),
    ];
    // Found behind the Service its webhooks call: the release may have named it anything (1.10+ charts:
    // kyverno-admission-controller).
    const deploy = kyvernoAdmissionController(
      snapshot,
      ns,
      chains.find(c => c.service)?.service,
    );
    const controller = deploy?.metadata.name ?? KYVERNO_ADMISSION_CONTROLLER;
    const deployEvidence = deploy
      ? [
          {
            object: ref(deploy, 'Deployment'),
            label: 'Admission controller',
            fields: {
              'status.readyReplicas': `${deploy.status?.readyReplicas ?? 0}/${
                deploy.spec?.replicas ?? 1
              }`,
              'status.conditions[Available].status': String(
                findCondition(deploy, 'Available')?.status ?? 'missing',
              ),
            },
          },
        ]
      : [];
    const webhookLines = kyverno.map(
      w =>
        `${w.configKind}/${w.configName}: ${w.webhookName} -> ${
          w.service!.name
        } (failurePolicy ${w.failurePolicy}; ${
          describeRules(w) || 'no rules'
        })`,
    );
    const gone = chains.filter(c => c.verdict === 'gone');
    if (gone.length) {
      // Kyverno was uninstalled (or its Service deleted) and left its configurations: that is stale-webhook, judged
      // with what each one intercepts by webhooks.stale; an engine that is not installed cannot be "not ready".
      return {
        status: 'warn',
        summary: `${
          kyverno.filter(w => chainOf.get(w)!.verdict === 'gone').length
        } Kyverno resource webhook(s) are left without their Service (${gone
          .map(describeChainCause)
          .join(
            '; ',
          )}): Kyverno is uninstalled, not unready; webhooks.stale reports the configurations left behind as stale-webhook.`,
        evidence: [
          ...deployEvidence,
          { label: 'Kyverno webhooks', lines: webhookLines },
          ...gone.flatMap(c => c.evidence),
        ],
      };
    }
    const unknown = chains.filter(c => c.verdict === 'not-checkable');
    const dead = chains.filter(c => c.verdict === 'not-served');
    if (dead.length === 0) {
      return {
        status: unknown.length === chains.length ? 'skipped' : 'pass',
        summary: `${kyverno.length} Kyverno webhook(s) registered${
          unknown.length
            ? `; not checkable: ${unknown.map(c => c.cause).join('; ')}`
            : ''
        }${
          unknown.length < chains.length
            ? ` and served (${chains
                .filter(c => c.verdict === 'served')
                .map(c => `${c.name}: ${c.readyEndpoints} ready`)
                .join(', ')})`
            : ''
        }.`,
        evidence: [
          ...deployEvidence,
          { label: 'Kyverno webhooks', lines: webhookLines },
        ],
      };
    }
    const affected = kyverno.filter(
      w => chainOf.get(w)!.verdict === 'not-served',
    );
    // Kyverno registers rules for what its policies match: only those that reach this entity's objects block it.
    const requests = entityAdmissionRequests(ctx);
    const verdicts = affected.map(w => ({ w, i: interception(w, requests) }));
    const blocking = verdicts.filter(v => v.i.verdict === 'yes').map(v => v.w);
    // Conditions the triage cannot decide (matchConditions on the user, an unread label): said, never a verdict.
    const maybe = verdicts.filter(v => v.i.verdict === 'maybe');
    const failing = blocking.filter(w => w.failurePolicy === 'Fail');
    const chain = dead[0];
    let scope: string;
    if (blocking.length) {
      scope = `${
        failing.length
      } with failurePolicy Fail reject every request they match (${
        failing[0]?.webhookName ?? 'none'
      }), this entity's included; Argo CD applications go Unknown.`;
    } else if (maybe.length) {
      scope = `They may intercept this entity's objects, which cannot be decided here (${
        maybe[0].w.webhookName
      }: ${maybe[0].i.why ?? 'undecidable'}).`;
    } else {
      scope =
        "Their rules match nothing this entity's deployment creates: a cluster warning, not this entity's failure.";
    }
    return {
      status: failing.length ? 'fail' : 'warn',
      failureMode: blocking.length ? 'policy-engine-not-ready' : undefined,
      summary: `${
        affected.length
      } Kyverno webhook(s) are registered but not served: ${describeChainCause(
        chain,
      )}. ${scope}`,
      evidence: [
        ...deployEvidence,
        { label: 'Kyverno webhooks', lines: webhookLines },
        ...dead.flatMap(c => c.evidence),
      ],
      remediation: {
        why: 'Kyverno registers its webhooks before (or while) its admission controller is ready, e.g. during an install window or a crash loop. The webhookAnnotations setting does not prevent that: order and readiness do.',
        steps: [
          {
            text: `Get ${controller} Ready again; read why it is not.`,
            command: `kubectl -n ${ns} describe pods -l app.kubernetes.io/component=admission-controller`,
          },
          {
            text: `Wait for it before syncing anything that Kyverno admits.`,
            command: `kubectl -n ${ns} rollout status deployment/${controller} --timeout=5m`,
          },
          {
            text: 'Order the install with Argo CD sync waves: Kyverno (and its readiness) in an earlier wave than the applications its policies admit.',
            patch:
              'metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: "-1"',
          },
        ],
      },
    };
  },
};
