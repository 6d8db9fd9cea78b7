import { TriageCheck } from './types';
import { conditionEvidence, describeTargetIsvc, findCondition, readCollection, targetInferenceServices } from './util';

export const kserveInferenceService: TriageCheck = {
  id: 'kserve.inferenceservice',
  stage: 'app',
  title: 'InferenceService ready',
  requires: ['cluster.reachable', 'kserve.crds'],
  run(ctx) {
    const { target } = ctx;
    if (!target.inferenceService && !target.kubernetesId) {
      return { status: 'skipped', summary: 'The entity names no InferenceService.', evidence: [] };
    }
    const isvcs = readCollection(ctx.snapshot, 'inferenceServices');
    if (!isvcs.ok) return isvcs.outcome;
    const mine = targetInferenceServices(ctx, isvcs.items);
    const what = describeTargetIsvc(ctx);
    if (mine.length === 0) {
      return {
        status: 'fail',
        summary: `InferenceService ${what} does not exist.`,
        evidence: [{ label: 'InferenceService', fields: { [what]: 'not found' } }],
        remediation: {
          why: 'Its Argo CD application did not create it, or admission denied it (see the checks above and argocd.sync).',
          steps: [{ text: 'List what exists in the namespace.', command: `kubectl get inferenceservices -n ${target.inferenceService?.namespace ?? '<namespace>'}` }],
        },
      };
    }
    const notReady = mine.filter(i => findCondition(i, 'Ready')?.status !== 'True');
    const failedLoads = mine.filter(
      i => i.status?.modelStatus?.lastFailureInfo || ['BlockedByFailedLoad', 'InvalidSpec'].includes(i.status?.modelStatus?.transitionStatus),
    );
    const evidence = mine.map(i => {
      const e = conditionEvidence(i, ['Ready', 'PredictorReady', 'IngressReady', 'LatestDeploymentReady'], 'InferenceService');
      const ms = i.status?.modelStatus;
      if (ms?.transitionStatus) e.fields!['status.modelStatus.transitionStatus'] = String(ms.transitionStatus);
      if (ms?.states?.activeModelState) e.fields!['status.modelStatus.states.activeModelState'] = String(ms.states.activeModelState);
      if (ms?.lastFailureInfo) e.fields!['status.modelStatus.lastFailureInfo'] = JSON.stringify(ms.lastFailureInfo);
      if (i.status?.url) e.fields!['status.url'] = String(i.status.url);
      return e;
    });
    if (notReady.length === 0 && failedLoads.length === 0) {
      return { status: 'pass', summary: `InferenceService ${what} is Ready${mine[0].status?.url ? ` at ${mine[0].status.url}` : ''}.`, evidence };
    }
    const i = notReady[0] ?? failedLoads[0];
    const failedCond = ['Ready', 'PredictorReady', 'IngressReady'].map(t => findCondition(i, t)).find(c => c && c.status !== 'True');
    const failure = i.status?.modelStatus?.lastFailureInfo;
    return {
      status: 'fail',
      summary: failure
        ? `InferenceService ${i.metadata.namespace}/${i.metadata.name} failed to load its model: ${failure.reason}: ${failure.message ?? ''}`
        : `InferenceService ${i.metadata.namespace}/${i.metadata.name} is not Ready${failedCond ? `: ${failedCond.type} ${failedCond.status}${failedCond.reason ? ` (${failedCond.reason})` : ''}${failedCond.message ? `: ${failedCond.message}` : ''}` : ' (no Ready condition yet)'}.`,
      evidence,
      remediation: {
        why: 'KServe sets Ready only when the predictor and the ingress are ready.',
        steps: [
          { text: 'Describe the InferenceService and its predictor pods.', command: `kubectl -n ${i.metadata.namespace} describe inferenceservice ${i.metadata.name}` },
          { text: 'Read the predictor logs.', command: `kubectl -n ${i.metadata.namespace} logs -l serving.kserve.io/inferenceservice=${i.metadata.name} --all-containers --tail=100` },
        ],
      },
    };
  },
};
