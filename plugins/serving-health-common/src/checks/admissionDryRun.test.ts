import { admissionDryRun } from './admissionDryRun';
import { runCheck } from './__fixtures__/context';
import { healthySnapshot } from './__fixtures__/snapshots';

const object = { namespace: 'models', name: 'fraud-detector' };
const denial =
  'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": no endpoints available for service "kserve-webhook-server-service"';

describe('admission.dry-run', () => {
  it('is skipped when the dry run was not made', () => {
    expect(runCheck(admissionDryRun, healthySnapshot()).status).toBe('skipped');
  });

  it('passes when admission admitted the object', () => {
    const r = runCheck(admissionDryRun, healthySnapshot(), {
      reads: { admissionDryRun: { outcome: 'admitted', object } },
    });
    expect(r.status).toBe('pass');
    expect(r.failureMode).toBeUndefined();
  });

  it("fails with the API server's denial verbatim and names its failure mode", () => {
    const r = runCheck(admissionDryRun, healthySnapshot(), {
      reads: { admissionDryRun: { outcome: 'denied', object, httpStatus: 500, message: denial } },
    });
    expect(r.status).toBe('fail');
    expect(r.failureMode).toBe('webhook-no-endpoints');
    expect(r.evidence[0].lines).toEqual([denial]);
    expect(r.remediation!.steps[0].command).toContain('kubectl -n models get inferenceservice fraud-detector');
  });

  it('is an error naming the missing rule when the identity may not create', () => {
    const r = runCheck(admissionDryRun, healthySnapshot(), {
      reads: {
        admissionDryRun: {
          outcome: 'not-run',
          reason: 'Not allowed',
          error: {
            reason: 'forbidden',
            request: 'POST inferenceservices',
            message: 'forbidden',
            missingRule: { apiGroup: 'serving.kserve.io', resource: 'inferenceservices', verb: 'create' },
          },
        },
      },
    });
    expect(r.status).toBe('error');
    expect(r.summary).toContain('create inferenceservices.serving.kserve.io');
  });
});
