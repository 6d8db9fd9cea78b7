import { KubeObject } from '../types';
import { STOP_ANNOTATION, isStopped } from './kserveLayout';
import { TriageCheck } from './types';
import {
  conditionEvidence,
  describeTargetIsvc,
  findCondition,
  readCollection,
  targetInferenceServices,
} from './util';

const BLOCKED = ['BlockedByFailedLoad', 'InvalidSpec'];

export const kserveInferenceService: TriageCheck = {
  id: 'kserve.inferenceservice',
  stage: 'app',
  title: 'InferenceService status',
  requires: ['cluster.reachable', 'kserve.crds'],
  readsTargetObjects: true,
  run(ctx) {
    const { target } = ctx;
    if (!target.inferenceService && !target.kubernetesId) {
      return {
        status: 'skipped',
        summary: 'The entity names no InferenceService.',
        evidence: [],
      };
    }
    const isvcs = readCollection(ctx.snapshot, 'inferenceServices');
    if (!isvcs.ok) return isvcs.outcome;
    const found = targetInferenceServices(ctx, isvcs.items);
    const what = describeTargetIsvc(ctx);
    if (found.length === 0) {
      return {
        status: 'fail',
        summary: `InferenceService ${what} does not exist.`,
        evidence: [
          { label: 'InferenceService', fields: { [what]: 'not found' } },
        ],
        remediation: {
          why: 'Its Argo CD application did not create it, or admission denied it (see the checks above and argocd.sync).',
          steps: [
            {
              text: 'List what exists in the namespace.',
              command: `kubectl get inferenceservices -n ${
                target.inferenceService?.namespace ?? '<namespace>'
              }`,
            },
          ],
        },
      };
    }
    // KServe 0.15+ stops an InferenceService on request: not Ready on purpose, and nothing to repair.
    const stopped = found.filter(isStopped);
    if (stopped.length === found.length) {
      const i = stopped[0];
      return {
        status: 'warn',
        summary: `InferenceService ${i.metadata.namespace}/${i.metadata.name} is stopped on purpose (${STOP_ANNOTATION}: "true"): KServe removed its serving resources, so it is not Ready and serves nothing until it is started again.`,
        evidence: found.map(x => {
          const e = conditionEvidence(
            x,
            ['Ready', 'Stopped'],
            'InferenceService',
          );
          e.fields![`metadata.annotations[${STOP_ANNOTATION}]`] = String(
            x.metadata.annotations?.[STOP_ANNOTATION] ?? '(unset)',
          );
          return e;
        }),
        remediation: {
          why: 'Stopping keeps the InferenceService and its configuration but deletes what serves it.',
          steps: [
            {
              text: 'Start it again when it should serve.',
              command: `kubectl -n ${i.metadata.namespace} annotate inferenceservice ${i.metadata.name} ${STOP_ANNOTATION}=false --overwrite`,
            },
          ],
        },
      };
    }
    const mine = found.filter(i => !isStopped(i));
    const ready = (i: KubeObject) =>
      findCondition(i, 'Ready')?.status === 'True';
    const blocked = (i: KubeObject) =>
      BLOCKED.includes(i.status?.modelStatus?.transitionStatus);
    // KServe never clears lastFailureInfo (SetModelFailureInfo): it is current only while the model is blocked or not Ready.
    const currentFailure = (i: KubeObject) =>
      blocked(i) || !ready(i)
        ? i.status?.modelStatus?.lastFailureInfo
        : undefined;
    const notReady = mine.filter(i => !ready(i));
    const failedLoads = mine.filter(blocked);
    const evidence = mine.map(i => {
      const e = conditionEvidence(
        i,
        ['Ready', 'PredictorReady', 'IngressReady', 'LatestDeploymentReady'],
        'InferenceService',
      );
      const ms = i.status?.modelStatus;
      if (ms?.transitionStatus)
        e.fields!['status.modelStatus.transitionStatus'] = String(
          ms.transitionStatus,
        );
      if (ms?.states?.activeModelState)
        e.fields!['status.modelStatus.states.activeModelState'] = String(
          ms.states.activeModelState,
        );
      if (ms?.lastFailureInfo)
        e.fields!['status.modelStatus.lastFailureInfo'] = JSON.stringify(
          ms.lastFailureInfo,
        );
      if (i.status?.url) e.fields!['status.url'] = String(i.status.url);
      return e;
    });
    if (notReady.length === 0 && failedLoads.length === 0) {
      const past = mine.find(i => i.status?.modelStatus?.lastFailureInfo);
      const pastNote = past
        ? ` A past load failure is still recorded (${
            past.status.modelStatus.lastFailureInfo.reason
          }), but the model is ${
            past.status.modelStatus.transitionStatus ?? 'loaded'
          } and Ready: it no longer counts.`
        : '';
      // Ready depends on PredictorReady and IngressReady only: the previous revision keeps serving.
      const rollout = mine.find(
        i => findCondition(i, 'LatestDeploymentReady')?.status === 'False',
      );
      if (rollout) {
        const c = findCondition(rollout, 'LatestDeploymentReady');
        return {
          status: 'warn',
          summary: `InferenceService ${rollout.metadata.namespace}/${
            rollout.metadata.name
          } is Ready, but its latest rollout failed: LatestDeploymentReady False${
            c.reason ? ` (${c.reason})` : ''
          }${
            c.message ? `: ${c.message}` : ''
          }. The previous revision still serves.${pastNote}`,
          evidence,
          remediation: {
            why: 'KServe keeps routing to the last ready revision while the new one does not become ready, so the endpoint answers with the old model.',
            steps: [
              {
                text: 'Read why the latest revision is not ready.',
                command: `kubectl -n ${rollout.metadata.namespace} describe inferenceservice ${rollout.metadata.name}`,
              },
              {
                text: "Read the new predictor pods' logs.",
                command: `kubectl -n ${rollout.metadata.namespace} logs -l serving.kserve.io/inferenceservice=${rollout.metadata.name} --all-containers --tail=100`,
              },
            ],
          },
        };
      }
      return {
        status: 'pass',
        summary: `InferenceService ${what} is Ready${
          mine[0].status?.url ? ` at ${mine[0].status.url}` : ''
        }.${pastNote}`,
        evidence,
      };
    }
    const i = notReady[0] ?? failedLoads[0];
    const failedCond = ['Ready', 'PredictorReady', 'IngressReady']
      .map(t => findCondition(i, t))
      .find(c => c && c.status !== 'True');
    const failure = currentFailure(i);
    const name = `InferenceService ${i.metadata.namespace}/${i.metadata.name}`;
    let summary = `${name} is not Ready${
      failedCond
        ? `: ${failedCond.type} ${failedCond.status}${
            failedCond.reason ? ` (${failedCond.reason})` : ''
          }${failedCond.message ? `: ${failedCond.message}` : ''}`
        : ' (no Ready condition yet)'
    }.`;
    if (failure)
      summary = `${name} failed to load its model: ${failure.reason}: ${
        failure.message ?? ''
      }`;
    else if (ready(i))
      summary = `${name} is Ready, but its model is ${i.status.modelStatus.transitionStatus}: the current spec cannot be served.`;
    return {
      status: 'fail',
      summary,
      evidence,
      remediation: {
        why: 'KServe sets Ready only when the predictor and the ingress are ready.',
        steps: [
          {
            text: 'Describe the InferenceService and its predictor pods.',
            command: `kubectl -n ${i.metadata.namespace} describe inferenceservice ${i.metadata.name}`,
          },
          {
            text: 'Read the predictor logs.',
            command: `kubectl -n ${i.metadata.namespace} logs -l serving.kserve.io/inferenceservice=${i.metadata.name} --all-containers --tail=100`,
          },
        ],
      },
    };
  },
};
