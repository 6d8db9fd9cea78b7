import {
  containerProblems,
  isPodReady,
  supersededReason,
} from './serviceChain';
import { TriageCheck } from './types';
import { detailSuffix, findCondition, readCollection, ref } from './util';

/** @public */
export const KSERVE_CONTROLLER = 'kserve-controller-manager';

export const kserveController: TriageCheck = {
  id: 'kserve.controller',
  stage: 'control-plane',
  title: 'KServe controller',
  requires: ['cluster.reachable'],
  run({ snapshot }) {
    const ns = snapshot.namespaces.kserve;
    const deployments = readCollection(snapshot, 'controlPlaneDeployments');
    if (!deployments.ok) return deployments.outcome;
    const pods = readCollection(snapshot, 'controlPlanePods');
    if (!pods.ok) return pods.outcome;
    const events = snapshot.collections.controlPlaneEvents;
    const eventItems = events?.ok ? events.items : [];

    const deploy = deployments.items.find(
      d => d.metadata.name === KSERVE_CONTROLLER && d.metadata.namespace === ns,
    );
    if (!deploy) {
      return {
        status: 'fail',
        summary: `Deployment ${ns}/${KSERVE_CONTROLLER} does not exist: KServe is not installed in namespace ${ns}.`,
        evidence: [
          {
            object: {
              kind: 'Deployment',
              namespace: ns,
              name: KSERVE_CONTROLLER,
            },
            label: 'Deployment',
            fields: { exists: 'false' },
          },
        ],
        remediation: {
          why: 'The controller reconciles InferenceServices and serves the admission webhook.',
          steps: [
            {
              text: 'Install KServe, or set servingHealth.namespaces.kserve if it runs elsewhere.',
              command: `kubectl get deployments -A | grep ${KSERVE_CONTROLLER}`,
            },
          ],
        },
      };
    }
    const selector = deploy.spec?.selector?.matchLabels ?? {
      'control-plane': KSERVE_CONTROLLER,
    };
    const mine = pods.items.filter(
      p =>
        p.metadata.namespace === ns &&
        Object.entries(selector).every(
          ([k, v]) => p.metadata.labels?.[k] === v,
        ),
    );
    // Finished, terminating and replaced pods are history: only the current ones can be the problem.
    const superseded = new Map(
      mine.map(p => [p, supersededReason(p, mine, deploy)]),
    );
    const problems = mine
      .filter(p => !superseded.get(p))
      .flatMap(p => containerProblems(p, eventItems));
    const available = findCondition(deploy, 'Available')?.status === 'True';
    const readyReplicas = deploy.status?.readyReplicas ?? 0;
    const replicas = deploy.spec?.replicas ?? 1;
    const evidence = [
      {
        object: ref(deploy, 'Deployment'),
        label: 'Deployment',
        fields: {
          'status.readyReplicas': `${readyReplicas}/${replicas}`,
          'status.conditions[Available].status': String(
            findCondition(deploy, 'Available')?.status ?? 'missing',
          ),
          ...(findCondition(deploy, 'Available')?.message
            ? {
                'status.conditions[Available].message': String(
                  findCondition(deploy, 'Available').message,
                ),
              }
            : {}),
        },
      },
      ...mine.map(p => {
        const statuses: any[] = p.status?.containerStatuses ?? [];
        return {
          object: ref(p, 'Pod'),
          label: superseded.get(p)
            ? 'Controller pod (not counted)'
            : 'Controller pod',
          fields: {
            ...(superseded.get(p) ? { 'not counted': superseded.get(p)! } : {}),
            ready: `${statuses.filter(s => s.ready).length}/${statuses.length}`,
            'status.conditions[Ready].status': String(
              findCondition(p, 'Ready')?.status ?? 'unknown',
            ),
            ...Object.fromEntries(
              statuses
                .filter(s => !s.ready)
                .map(s => [
                  `containerStatuses[${s.name}].state.waiting`,
                  JSON.stringify(s.state?.waiting ?? s.state ?? {}),
                ]),
            ),
          },
        };
      }),
      ...problems
        .filter(pr => pr.event)
        .map(pr => ({
          object: { kind: 'Pod', namespace: ns, name: pr.pod },
          label: `Event (container ${pr.container})`,
          lines: [pr.event!],
        })),
    ];
    if (available && mine.some(isPodReady) && problems.length === 0) {
      return {
        status: 'pass',
        summary: `${KSERVE_CONTROLLER} is available (${readyReplicas}/${replicas} ready).`,
        evidence,
      };
    }
    const first = problems[0];
    const pull =
      first &&
      /ImagePull|ErrImage|RegistryUnavailable|InvalidImageName/.test(
        first.reason,
      );
    const cause = first
      ? `container ${first.container} of pod ${first.pod} is ${
          first.reason
        }${detailSuffix(first.event ?? first.message, ': ')}`
      : 'no controller pod is Ready';
    const steps = pull
      ? [
          {
            text: `The registry refused the image ${
              first.image ?? ''
            }. Mirror it to a registry the cluster can pull from (or fix the imagePullSecret), then point the Deployment at it.`,
            command: `kubectl -n ${ns} set image deployment/${KSERVE_CONTROLLER} ${
              first.container
            }=<reachable-registry>/${
              (first.image ?? '').split('/').slice(-1)[0]
            }`,
          },
          // Which image a KServe release ships tells the user the way out: 0.13 and earlier kubebuilder's, 0.14+ brancz's.
          ...((first.image ?? '').includes('kubebuilder/kube-rbac-proxy')
            ? [
                {
                  text: 'This kube-rbac-proxy image is the one KServe 0.13 and earlier ship; KServe 0.14 and later use quay.io/brancz/kube-rbac-proxy instead (config/default/manager_auth_proxy_patch.yaml). Mirror either, or upgrade KServe.',
                },
              ]
            : []),
          {
            text: 'Watch the rollout until every container is ready.',
            command: `kubectl -n ${ns} rollout status deployment/${KSERVE_CONTROLLER}`,
          },
        ]
      : [
          {
            text: 'Inspect the pod and its recent events.',
            command: `kubectl -n ${ns} describe pods -l control-plane=${KSERVE_CONTROLLER}`,
          },
        ];
    return {
      status: available && problems.length ? 'warn' : 'fail',
      summary: `${KSERVE_CONTROLLER} is ${
        available ? 'available but degraded' : 'not available'
      } (${readyReplicas}/${replicas} ready): ${cause}.`,
      evidence,
      remediation: {
        why: "A pod with one container not ready is not Ready, so it leaves the webhook Service's ready endpoints even though the webhook itself is served by `manager`.",
        steps,
      },
    };
  },
};
