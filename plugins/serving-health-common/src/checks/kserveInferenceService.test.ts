import { kserveInferenceService } from './kserveInferenceService';
import { commands, evidenceFields, runCheck } from './__fixtures__/context';
import {
  defaultTarget,
  forbidden,
  healthySnapshot,
  timeout,
  withInferenceService,
  withInferenceServiceNotReady,
  withModelLoadFailure,
  withReadError,
  withoutInferenceServiceCrd,
} from './__fixtures__/snapshots';

describe('kserve.inferenceservice', () => {
  it('passes when the InferenceService is Ready, giving its URL', () => {
    const out = runCheck(kserveInferenceService, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(
      'InferenceService models/fraud-detector is Ready at http://fraud-detector.models.example.com.',
    );
    expect(evidenceFields(out)).toMatchObject({
      'status.conditions[Ready].status': 'True',
      'status.modelStatus.transitionStatus': 'UpToDate',
      'status.modelStatus.states.activeModelState': 'Loaded',
    });
  });

  it('warns, without failing, for an InferenceService stopped on purpose (KServe 0.15+ serving.kserve.io/stop)', () => {
    const s = withInferenceServiceNotReady(
      withInferenceService(healthySnapshot(), i => {
        i.metadata.annotations = { 'serving.kserve.io/stop': 'true' };
      }),
    );
    const out = runCheck(kserveInferenceService, s);
    expect(out.status).toBe('warn');
    expect(out.summary).toContain('stopped on purpose');
    expect(
      evidenceFields(out)['metadata.annotations[serving.kserve.io/stop]'],
    ).toBe('true');
    expect(commands(out)).toEqual([
      'kubectl -n models annotate inferenceservice fraud-detector serving.kserve.io/stop=false --overwrite',
    ]);
  });

  it('fails a not Ready InferenceService whose stop annotation is "false"', () => {
    const s = withInferenceServiceNotReady(
      withInferenceService(healthySnapshot(), i => {
        i.metadata.annotations = { 'serving.kserve.io/stop': 'false' };
      }),
    );
    expect(runCheck(kserveInferenceService, s).status).toBe('fail');
  });

  it('is skipped when the entity names no InferenceService', () => {
    const out = runCheck(kserveInferenceService, healthySnapshot(), {
      target: defaultTarget({
        inferenceService: undefined,
        kubernetesId: undefined,
      }),
    });
    expect(out.status).toBe('skipped');
  });

  it('finds the InferenceService by its backstage.io/kubernetes-id label', () => {
    const out = runCheck(kserveInferenceService, healthySnapshot(), {
      target: defaultTarget({
        inferenceService: undefined,
        kubernetesId: 'fraud-detector',
      }),
    });
    expect(out.status).toBe('pass');
    expect(out.summary).toContain(
      'labelled backstage.io/kubernetes-id=fraud-detector',
    );
  });

  it('fails when the named InferenceService does not exist, with the list command for its namespace', () => {
    const out = runCheck(
      kserveInferenceService,
      withoutInferenceServiceCrd(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'InferenceService models/fraud-detector does not exist.',
    );
    expect(out.evidence[0].fields).toEqual({
      'models/fraud-detector': 'not found',
    });
    expect(commands(out)).toEqual(['kubectl get inferenceservices -n models']);
  });

  it('does not match an InferenceService of the same name in another namespace', () => {
    const out = runCheck(kserveInferenceService, healthySnapshot(), {
      target: defaultTarget({
        inferenceService: { namespace: 'staging', name: 'fraud-detector' },
      }),
    });
    expect(out.status).toBe('fail');
  });

  it('fails when Ready is False, naming the condition, reason and message as read', () => {
    const out = runCheck(
      kserveInferenceService,
      withInferenceServiceNotReady(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toBe(
      'InferenceService models/fraud-detector is not Ready: Ready False (RevisionMissing): Configuration "fraud-detector-predictor" does not have any ready Revision..',
    );
    expect(evidenceFields(out)).toMatchObject({
      'status.conditions[PredictorReady].status': 'False',
      'status.conditions[PredictorReady].reason': 'RevisionMissing',
    });
  });

  it('fails when there is no Ready condition yet', () => {
    const out = runCheck(
      kserveInferenceService,
      withInferenceService(healthySnapshot(), i => {
        i.status = {};
      }),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('(no Ready condition yet)');
  });

  it('fails on a modelStatus load failure, quoting lastFailureInfo', () => {
    const out = runCheck(
      kserveInferenceService,
      withModelLoadFailure(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'InferenceService models/fraud-detector failed to load its model: ModelLoadFailed: Failed to load model: unsupported pickle protocol: 5',
    );
    const fields = evidenceFields(out);
    expect(fields['status.modelStatus.transitionStatus']).toBe(
      'BlockedByFailedLoad',
    );
    expect(
      JSON.parse(fields['status.modelStatus.lastFailureInfo']),
    ).toMatchObject({ reason: 'ModelLoadFailed', exitCode: 1 });
  });

  it('fails on transitionStatus InvalidSpec even when Ready is still True', () => {
    const out = runCheck(
      kserveInferenceService,
      withInferenceService(healthySnapshot(), i => {
        i.status.modelStatus.transitionStatus = 'InvalidSpec';
      }),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'InferenceService models/fraud-detector is Ready, but its model is InvalidSpec: the current spec cannot be served.',
    );
  });

  it('passes a recovered model: lastFailureInfo is still recorded, but transitionStatus is UpToDate and Ready True', () => {
    const s = withInferenceService(
      withModelLoadFailure(healthySnapshot()),
      i => {
        i.status.conditions = i.status.conditions.map((c: any) => ({
          ...c,
          status: 'True',
          reason: undefined,
        }));
        i.status.modelStatus.transitionStatus = 'UpToDate';
        i.status.modelStatus.states = {
          activeModelState: 'Loaded',
          targetModelState: 'Loaded',
        };
      },
    );
    const out = runCheck(kserveInferenceService, s);
    expect(out.status).toBe('pass');
    expect(out.summary).toContain(
      'A past load failure is still recorded (ModelLoadFailed), but the model is UpToDate and Ready: it no longer counts.',
    );
  });

  it('fails on lastFailureInfo while the model is still BlockedByFailedLoad, even with Ready True', () => {
    const s = withInferenceService(
      withModelLoadFailure(healthySnapshot()),
      i => {
        i.status.conditions = i.status.conditions.map((c: any) => ({
          ...c,
          status: 'True',
          reason: undefined,
        }));
      },
    );
    const out = runCheck(kserveInferenceService, s);
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('failed to load its model: ModelLoadFailed');
  });

  it('fails on lastFailureInfo with transitionStatus InProgress while Ready is not True', () => {
    const s = withInferenceService(
      withModelLoadFailure(healthySnapshot()),
      i => {
        i.status.modelStatus.transitionStatus = 'InProgress';
      },
    );
    expect(runCheck(kserveInferenceService, s).status).toBe('fail');
  });

  it('warns (a failed rollout, the previous revision serves) on LatestDeploymentReady False under Ready True', () => {
    const s = withInferenceService(healthySnapshot(), i => {
      i.status.conditions.push({
        type: 'LatestDeploymentReady',
        status: 'False',
        reason: 'RevisionFailed',
        message:
          'Revision "fraud-detector-predictor-00004" failed with message: Container failed with: OOMKilled.',
      });
    });
    const out = runCheck(kserveInferenceService, s);
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      'is Ready, but its latest rollout failed: LatestDeploymentReady False (RevisionFailed)',
    );
    expect(out.summary).toContain('The previous revision still serves.');
  });

  it('passes when LatestDeploymentReady is True next to Ready True', () => {
    const s = withInferenceService(healthySnapshot(), i => {
      i.status.conditions.push({
        type: 'LatestDeploymentReady',
        status: 'True',
      });
    });
    expect(runCheck(kserveInferenceService, s).status).toBe('pass');
  });

  it('gives describe and logs commands with the real namespace and name', () => {
    const out = runCheck(
      kserveInferenceService,
      withInferenceServiceNotReady(healthySnapshot()),
    );
    expect(commands(out)).toEqual([
      'kubectl -n models describe inferenceservice fraud-detector',
      'kubectl -n models logs -l serving.kserve.io/inferenceservice=fraud-detector --all-containers --tail=100',
    ]);
  });

  it('is an error naming the serving.kserve.io RBAC rule when listing InferenceServices is forbidden', () => {
    const out = runCheck(
      kserveInferenceService,
      withReadError(
        healthySnapshot(),
        'inferenceServices',
        forbidden('inferenceservices', 'serving.kserve.io'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain(
      '{apiGroups: ["serving.kserve.io"], resources: ["inferenceservices"], verbs: ["list"]}',
    );
  });

  it('is an error when listing InferenceServices times out', () => {
    const out = runCheck(
      kserveInferenceService,
      withReadError(
        healthySnapshot(),
        'inferenceServices',
        timeout('list inferenceservices.serving.kserve.io -A'),
      ),
    );
    expect(out.status).toBe('error');
  });
});
