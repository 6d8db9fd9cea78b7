import { FailureModeId } from '../types';
import { classifyMessage } from './classifyMessage';
import { TriageCheck } from './types';
import { clip, readCollection, ref } from './util';

/** The check that judges each failure mode from the cluster state itself. */
const AUTHORITATIVE: Record<FailureModeId, string> = {
  'webhook-no-endpoints': 'kserve.webhook-endpoints',
  'policy-engine-not-ready': 'policy-engine.admission',
  'stale-webhook': 'webhooks.stale',
  'webhook-unavailable': 'webhooks.unavailable',
  'crd-missing': 'kserve.crds',
  'label-policy-mismatch': 'policy.labels',
};

const BAD_HEALTH = new Set(['Degraded', 'Missing', 'Unknown']);
const ERROR_CONDITIONS = new Set([
  'SyncError',
  'ComparisonError',
  'InvalidSpecError',
  'UnknownError',
  'DeletionError',
]);

function whyFailing(
  mode: FailureModeId | undefined,
  unconfirmed: boolean,
): string {
  if (mode)
    return `Argo CD's own message names the cause (${mode}); the checks above show it in the cluster.`;
  if (unconfirmed) {
    return 'Argo CD still reports the failure, but the cluster no longer shows the cause its message names: sync again to see whether it recurs, and read the new message.';
  }
  return 'Argo CD reports the application is not in the desired state.';
}

export const argocdSync: TriageCheck = {
  id: 'argocd.sync',
  stage: 'app',
  title: 'Argo CD application sync',
  requires: ['cluster.reachable', 'argocd.applications'],
  readsTargetObjects: true,
  run({ snapshot, target, results }) {
    if (!target.argoApp) {
      return {
        status: 'skipped',
        summary: 'The entity has no argocd/app-name annotation.',
        evidence: [],
      };
    }
    const { namespace, name } = target.argoApp;
    const apps = readCollection(snapshot, 'applications');
    if (!apps.ok) return apps.outcome;
    const app = apps.items.find(
      a => a.metadata.name === name && a.metadata.namespace === namespace,
    );
    if (!app) {
      return {
        status: 'fail',
        summary: `Argo CD Application ${namespace}/${name} does not exist.`,
        evidence: [
          {
            object: { kind: 'Application', namespace, name },
            label: 'Application',
            fields: { exists: 'false' },
          },
        ],
        remediation: {
          why: 'The entity names an Application that Argo CD does not have.',
          steps: [
            {
              text: 'Fix the argocd/app-name (and argocd/app-namespace) annotation, or create the Application.',
              command: `kubectl get applications.argoproj.io -A | grep ${name}`,
            },
          ],
        },
      };
    }
    const st = app.status ?? {};
    const sync = st.sync?.status ?? 'Unknown';
    const health = st.health?.status ?? 'Unknown';
    const conditions: any[] = (st.conditions ?? []).filter((c: any) =>
      ERROR_CONDITIONS.has(c.type),
    );
    const op = st.operationState;
    const failedResources: any[] = (op?.syncResult?.resources ?? []).filter(
      (r: any) => r.status === 'SyncFailed',
    );
    const resources: any[] = st.resources ?? [];
    // Argo CD 3.x no longer records health per resource by default (only the app's status.health): a resource is
    // then judged by its sync status alone.
    const perResourceHealth = resources.some(r => r?.health);
    const badResources = resources.filter(
      r => BAD_HEALTH.has(r?.health?.status) || r?.status === 'OutOfSync',
    );
    const opTime: string | undefined = op?.finishedAt ?? op?.startedAt;
    const messages: Array<{ text: string; time?: string }> = [
      ...conditions.map(c => ({
        text: String(c.message ?? ''),
        time: c.lastTransitionTime,
      })),
      ...(op && ['Failed', 'Error'].includes(op.phase)
        ? [{ text: String(op.message ?? ''), time: opTime }]
        : []),
      ...failedResources.map(r => ({
        text: String(r.message ?? ''),
        time: opTime,
      })),
      ...(st.health?.message ? [{ text: String(st.health.message) }] : []),
    ].filter(m => m.text);

    const fields: Record<string, string> = {
      'status.sync.status': sync,
      'status.health.status': health,
    };
    if (st.health?.message)
      fields['status.health.message'] = clip(st.health.message);
    if (op) {
      fields['status.operationState.phase'] = String(op.phase);
      if (op.message)
        fields['status.operationState.message'] = clip(op.message, 1000);
    }
    conditions.forEach((c, i) => {
      fields[`status.conditions[${i}] ${c.type}`] = clip(c.message, 1000);
    });
    failedResources.forEach(r => {
      fields[`syncResult ${r.kind} ${r.namespace ?? ''}/${r.name}`] = `${
        r.status
      }: ${clip(r.message, 600)}`;
    });
    badResources.slice(0, 10).forEach(r => {
      fields[`resources ${r.kind} ${r.namespace ?? ''}/${r.name}`] = `${
        r.status ?? ''
      } ${r.health?.status ?? ''}`.trim();
    });
    if (resources.length && !perResourceHealth) {
      fields['status.resources[].health'] =
        'not recorded (Argo CD 3.x default): health is read from status.health';
    }
    const evidence = [
      { object: ref(app, 'Application'), label: 'Application status', fields },
    ];

    const healthy =
      sync === 'Synced' && health === 'Healthy' && messages.length === 0;
    // A message is history only once Argo CD itself has moved past it: the app is Synced, or an operation that
    // finished after the message succeeded.
    const outdated = (m: { time?: string }) =>
      sync === 'Synced' ||
      (op?.phase === 'Succeeded' && (!m.time || !opTime || opTime >= m.time));
    if (healthy) {
      return {
        status: 'pass',
        summary: `Application ${namespace}/${name} is Synced and Healthy.`,
        evidence,
      };
    }

    // The failure mode the messages describe, unless the cluster state says otherwise.
    let mode: FailureModeId | undefined;
    let contradicted: { mode: FailureModeId; outdated: boolean } | undefined;
    for (const m of messages) {
      const c = classifyMessage(m.text);
      if (!c) continue;
      const judge = results.get(AUTHORITATIVE[c]);
      if (judge?.status === 'pass')
        contradicted ??= { mode: c, outdated: outdated(m) };
      else {
        mode = c;
        break;
      }
    }
    // An InferenceService Argo CD cannot find: health Missing (2.x), or only OutOfSync where 3.x records no health.
    const isvcMissing = badResources.some(
      r =>
        r.kind === 'InferenceService' &&
        (r.health?.status === 'Missing' ||
          (!perResourceHealth && r.status === 'OutOfSync')),
    );
    if (!mode && isvcMissing) {
      const crds = results.get('kserve.crds');
      if (crds?.failureMode === 'crd-missing') mode = 'crd-missing';
    }
    const failing =
      BAD_HEALTH.has(health) ||
      conditions.length > 0 ||
      failedResources.length > 0 ||
      (op && ['Failed', 'Error'].includes(op.phase));
    const refresh = {
      text: 'Once the cause is fixed, hard-refresh and sync the application.',
      // The argocd CLI names an Application outside its control-plane namespace as <namespace>/<name>.
      command: `kubectl -n ${namespace} annotate applications.argoproj.io ${name} argocd.argoproj.io/refresh=hard --overwrite && argocd app sync ${
        namespace === 'argocd' ? name : `${namespace}/${name}`
      }`,
    };
    if (!mode && contradicted?.outdated) {
      return {
        status: 'warn',
        summary: `Application ${namespace}/${name} is ${sync}/${health}; an earlier error points at ${
          contradicted.mode
        }, but the cluster shows that part healthy now and Argo CD has ${
          sync === 'Synced' ? 'synced' : 'succeeded in an operation'
        } since: the message is outdated.`,
        evidence,
        remediation: {
          why: "Argo CD keeps a condition's message until the next reconciliation.",
          steps: [refresh],
        },
      };
    }
    // Nothing in Argo CD says the failure is over: it stays a failure, but the cluster does not show the cause it names.
    const unconfirmed =
      !mode && contradicted
        ? `; cause not confirmed by the cluster state (the message points at ${
            contradicted.mode
          }, which ${AUTHORITATIVE[contradicted.mode]} finds healthy now)`
        : '';
    return {
      status: failing ? 'fail' : 'warn',
      failureMode: mode,
      summary: `Application ${namespace}/${name} is ${sync}/${health}${
        messages[0] ? `: ${clip(messages[0].text, 300)}` : ''
      }${unconfirmed}`,
      evidence,
      remediation: {
        why: whyFailing(mode, unconfirmed !== ''),
        steps: [
          {
            text: "Read the application's conditions and last operation.",
            command: `kubectl -n ${namespace} get applications.argoproj.io ${name} -o yaml`,
          },
          refresh,
        ],
      },
    };
  },
};
