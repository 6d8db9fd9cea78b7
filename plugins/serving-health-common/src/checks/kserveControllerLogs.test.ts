import { kserveControllerLogs } from './kserveControllerLogs';
import { commands, evidenceFields, evidenceLines, runCheck } from './__fixtures__/context';
import { ISVC_NAME, KSERVE_POD, forbidden, healthySnapshot, timeout } from './__fixtures__/snapshots';
import { TargetReads } from '../snapshot';

const INFO = '{"level":"info","ts":"2025-11-24T09:28:01Z","logger":"v1beta1Controllers","msg":"Reconciling inference service","apiVersion":"serving.kserve.io/v1beta1","isvc":"other-model"}';
const ERR_OTHER = '{"level":"error","ts":"2025-11-24T09:28:02Z","msg":"Reconciler error","controller":"inferenceservice","name":"other-model","namespace":"models","error":"fails to reconcile predictor"}';
const ERR_MINE = `{"level":"error","ts":"2025-11-24T09:28:03Z","msg":"Reconciler error","controller":"inferenceservice","name":"${ISVC_NAME}","namespace":"models","error":"fails to create knative service"}`;

function logs(lines: string[]): TargetReads {
  return { controllerLogs: { ok: true, items: lines, pod: KSERVE_POD, container: 'manager' } };
}

describe('kserve.controller-logs', () => {
  it('is skipped when no logs were read (nothing was wrong)', () => {
    const out = runCheck(kserveControllerLogs, healthySnapshot());
    expect(out.status).toBe('skipped');
  });

  it('passes when the last lines have no error line, showing counts but no line of another model', () => {
    const out = runCheck(kserveControllerLogs, healthySnapshot(), { reads: logs([INFO]) });
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(`No error lines in the last 1 line(s) of kserve/${KSERVE_POD} container manager.`);
    expect(evidenceLines(out)).toEqual([]);
    expect(evidenceFields(out)).toMatchObject({ 'lines read': '1', 'error lines': '0' });
  });

  it("warns when error lines exist but none names this InferenceService, without showing other teams' lines", () => {
    const out = runCheck(kserveControllerLogs, healthySnapshot(), { reads: logs([INFO, ERR_OTHER]) });
    expect(out.status).toBe('warn');
    expect(out.summary).toContain(`none naming this InferenceService (${ISVC_NAME})`);
    expect(evidenceLines(out)).toEqual([]);
    expect(JSON.stringify(out)).not.toContain('other-model');
    expect(evidenceFields(out)).toMatchObject({ 'error lines': '1', [`error lines naming ${ISVC_NAME}`]: '0' });
  });

  it('fails when an error line names this InferenceService, showing only those lines', () => {
    const out = runCheck(kserveControllerLogs, healthySnapshot(), { reads: logs([INFO, ERR_OTHER, ERR_MINE]) });
    expect(out.status).toBe('fail');
    expect(out.summary).toContain(`name this InferenceService (${ISVC_NAME})`);
    expect(evidenceLines(out)).toEqual([ERR_MINE]);
    expect(JSON.stringify(out)).not.toContain('other-model');
    expect(commands(out)).toEqual([
      `kubectl -n kserve logs deployment/kserve-controller-manager -c manager --tail=200 | grep ${ISVC_NAME}`,
    ]);
  });

  it('recognises klog-style error lines (E1124 ...)', () => {
    const line = 'E1124 09:28:03.123456       1 reflector.go:147] failed to list *v1beta1.InferenceService';
    const out = runCheck(kserveControllerLogs, healthySnapshot(), { reads: logs([line]) });
    expect(out.status).toBe('warn');
  });

  it('is an error naming the pods/log RBAC rule when reading logs is forbidden', () => {
    const error = { ...forbidden('pods/log', '', 'kserve'), missingRule: { apiGroup: '', resource: 'pods/log', verb: 'get' } };
    const out = runCheck(kserveControllerLogs, healthySnapshot(), { reads: { controllerLogs: { ok: false, error } } });
    expect(out.status).toBe('error');
    expect(out.summary).toContain('{apiGroups: [""], resources: ["pods/log"], verbs: ["get"]}');
  });

  it('is an error when reading logs times out', () => {
    const out = runCheck(kserveControllerLogs, healthySnapshot(), {
      reads: { controllerLogs: { ok: false, error: timeout('logs kserve-controller-manager -c manager') } },
    });
    expect(out.status).toBe('error');
    expect(out.summary).toContain('in time');
  });
});
