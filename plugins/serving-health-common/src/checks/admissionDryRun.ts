import { classifyMessage } from './classifyMessage';
import { TriageCheck } from './types';
import { readErrorOutcome } from './util';

/**
 * Opt-in: the API server's own admission answer for the live
 * InferenceService (server-side dry-run create, nothing persisted). Not among
 * the default checks: it needs create rights (deploy/rbac.yaml, serving-health-dry-run).
 */
export const admissionDryRun: TriageCheck = {
  id: 'admission.dry-run',
  stage: 'app',
  title: 'Admission dry run',
  requires: ['cluster.reachable'],
  readsTargetObjects: true,
  run({ reads }) {
    const r = reads.admissionDryRun;
    if (!r) {
      return { status: 'skipped', summary: 'The dry run was not made.', evidence: [] };
    }
    if (r.outcome === 'not-run') {
      return r.error ? readErrorOutcome(r.error) : { status: 'skipped', summary: r.reason, evidence: [] };
    }
    const { namespace, name } = r.object;
    const object = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', namespace, name };
    const request = `kubectl -n ${namespace} get inferenceservice ${name} -o yaml | kubectl create --dry-run=server -f -`;
    if (r.outcome === 'admitted') {
      return {
        status: 'pass',
        summary: `Admission passes for ${namespace}/${name}: every webhook and policy a create meets admits it (server-side dry run; nothing was persisted).`,
        evidence: [{ object, label: 'Dry-run create', fields: { request, answer: 'admitted (AlreadyExists after admission)' } }],
      };
    }
    const mode = classifyMessage(r.message);
    return {
      status: 'fail',
      failureMode: mode,
      summary: `The API server's admission denies ${namespace}/${name}: ${r.message}`,
      evidence: [
        {
          object,
          label: 'Dry-run create (the API server\'s answer, verbatim)',
          fields: { request, ...(r.httpStatus ? { httpStatus: String(r.httpStatus) } : {}) },
          lines: [r.message],
        },
      ],
      remediation: {
        why: 'This is what a create of the resource gets now, an Argo CD sync included.',
        steps: [{ text: 'Reproduce it yourself.', command: request }],
      },
    };
  },
};
