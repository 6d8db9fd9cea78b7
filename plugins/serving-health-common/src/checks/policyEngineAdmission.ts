import {
  SERVICE_CHAIN_COLLECTIONS,
  analyzeServiceChain,
  describeChainCause,
} from './serviceChain';
import { TriageCheck } from './types';
import { findCondition, firstReadError, ref } from './util';
import { WebhookEntry, describeRules, listWebhooks } from './webhooks';

export const KYVERNO_SERVICE = 'kyverno-svc';
export const KYVERNO_ADMISSION_CONTROLLER = 'kyverno-admission-controller';

/** The policy engine's webhooks: served by kyverno-svc, or named as Kyverno names them. */
export function isPolicyEngineWebhook(w: WebhookEntry, kyvernoNamespace: string) {
  return (
    (w.service?.namespace === kyvernoNamespace && w.service?.name === KYVERNO_SERVICE) ||
    (w.configName.startsWith('kyverno-') && w.service?.namespace === kyvernoNamespace)
  );
}

export const policyEngineAdmission: TriageCheck = {
  id: 'policy-engine.admission',
  stage: 'webhooks',
  title: 'Policy engine admission served',
  requires: ['cluster.reachable'],
  run({ snapshot }) {
    const ns = snapshot.namespaces.kyverno;
    const { webhooks, unreadable } = listWebhooks(snapshot);
    const webhooksUnread = firstReadError(snapshot, unreadable);
    if (webhooksUnread) return webhooksUnread;
    const kyverno = webhooks.filter(w => isPolicyEngineWebhook(w, ns));
    if (kyverno.length === 0) {
      return {
        status: 'pass',
        summary: 'No policy-engine (Kyverno) webhooks are registered.',
        evidence: [{ label: 'Kyverno webhooks', fields: { registered: '0' } }],
      };
    }
    const services = [...new Set(kyverno.map(w => w.service!.name))];
    // Unreadable Services or EndpointSlices say nothing about the engine: the check could not run.
    const chainUnread = firstReadError(snapshot, SERVICE_CHAIN_COLLECTIONS);
    if (chainUnread) return chainUnread;
    const chains = services.map(s => analyzeServiceChain(snapshot, ns, s));
    const deployments = snapshot.collections.controlPlaneDeployments;
    const deploy = deployments?.ok
      ? deployments.items.find(
          d => d.metadata.namespace === ns && d.metadata.name === KYVERNO_ADMISSION_CONTROLLER,
        )
      : undefined;
    const deployEvidence = deploy
      ? [
          {
            object: ref(deploy, 'Deployment'),
            label: 'Admission controller',
            fields: {
              'status.readyReplicas': `${deploy.status?.readyReplicas ?? 0}/${deploy.spec?.replicas ?? 1}`,
              'status.conditions[Available].status': String(
                findCondition(deploy, 'Available')?.status ?? 'missing',
              ),
            },
          },
        ]
      : [];
    const dead = chains.filter(c => !c.service || c.readyEndpoints === 0);
    const webhookLines = kyverno.map(
      w => `${w.configKind}/${w.configName}: ${w.webhookName} -> ${w.service!.name} (failurePolicy ${w.failurePolicy}; ${describeRules(w) || 'no rules'})`,
    );
    if (dead.length === 0) {
      return {
        status: 'pass',
        summary: `${kyverno.length} Kyverno webhook(s) registered and served (${chains.map(c => `${c.name}: ${c.readyEndpoints} ready`).join(', ')}).`,
        evidence: [...deployEvidence, { label: 'Kyverno webhooks', lines: webhookLines }],
      };
    }
    const deadNames = new Set(dead.map(c => c.name));
    const affected = kyverno.filter(w => deadNames.has(w.service!.name));
    const failing = affected.filter(w => w.failurePolicy === 'Fail');
    const chain = dead[0];
    return {
      status: failing.length ? 'fail' : 'warn',
      failureMode: 'policy-engine-not-ready',
      summary: `${affected.length} Kyverno webhook(s) are registered but not served: ${describeChainCause(chain)}. ${failing.length} with failurePolicy Fail reject every request they match (${failing[0]?.webhookName ?? 'none'}); Argo CD applications go Unknown.`,
      evidence: [
        ...deployEvidence,
        { label: 'Kyverno webhooks', lines: webhookLines },
        ...dead.flatMap(c => c.evidence),
      ],
      remediation: {
        why: 'Kyverno registers its webhooks before (or while) its admission controller is ready, e.g. during an install window or a crash loop. The webhookAnnotations setting does not prevent that: order and readiness do.',
        steps: [
          {
            text: `Get ${KYVERNO_ADMISSION_CONTROLLER} Ready again; read why it is not.`,
            command: `kubectl -n ${ns} describe pods -l app.kubernetes.io/component=admission-controller`,
          },
          {
            text: `Wait for it before syncing anything that Kyverno admits.`,
            command: `kubectl -n ${ns} rollout status deployment/${KYVERNO_ADMISSION_CONTROLLER} --timeout=5m`,
          },
          {
            text: 'Order the install with Argo CD sync waves: Kyverno (and its readiness) in an earlier wave than the applications its policies admit.',
            patch: 'metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: "-1"',
          },
        ],
      },
    };
  },
};
