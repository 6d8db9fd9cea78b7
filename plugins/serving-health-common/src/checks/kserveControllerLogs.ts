import { KSERVE_CONTROLLER } from './kserveController';
import { TriageCheck } from './types';
import { readErrorOutcome } from './util';

// Severity markers only: an info line that mentions "error" is not an error line.
const ERROR_LINE = /(\bERROR\b|^E\d{4} |"level":"error"|\blevel=error\b|\bpanic:|Reconciler error)/;
const MAX_LINES_SHOWN = 20;

export const kserveControllerLogs: TriageCheck = {
  id: 'kserve.controller-logs',
  stage: 'logs',
  title: 'KServe controller logs',
  requires: ['cluster.reachable'],
  readsTargetObjects: true,
  run({ reads, target, snapshot }) {
    const logs = reads.controllerLogs;
    if (!logs) {
      return {
        status: 'skipped',
        summary: 'Logs are read only when a control-plane, webhook or application check finds a problem; none did.',
        evidence: [],
      };
    }
    if (!logs.ok) return readErrorOutcome(logs.error);
    const where = `${snapshot.namespaces.kserve}/${logs.pod ?? KSERVE_CONTROLLER} container ${logs.container ?? 'manager'}`;
    const errors = logs.items.filter(l => ERROR_LINE.test(l));
    const name = target.inferenceService?.name ?? target.kubernetesId;
    // The controller logs every team's models: an entity is shown only the lines that name its own.
    const naming = name ? errors.filter(l => l.includes(name)) : [];
    const counts = {
      'lines read': String(logs.items.length),
      'error lines': String(errors.length),
      [`error lines naming ${name ?? 'this InferenceService'}`]: String(naming.length),
    };
    if (naming.length === 0) {
      return {
        status: errors.length ? 'warn' : 'pass',
        summary: errors.length
          ? `${errors.length} error line(s) in ${where}, none naming this InferenceService${name ? ` (${name})` : ''}; lines about other InferenceServices are not shown.`
          : `No error lines in the last ${logs.items.length} line(s) of ${where}.`,
        evidence: [{ label: `Lines of ${where}`, fields: counts }],
      };
    }
    return {
      status: 'fail',
      summary: `${naming.length} error line(s) in ${where} name this InferenceService (${name}).`,
      evidence: [
        { label: `Lines of ${where}`, fields: counts },
        { label: `Error lines naming ${name} (redacted)`, lines: naming.slice(-MAX_LINES_SHOWN) },
      ],
      remediation: {
        why: 'The controller logs say why it could not reconcile.',
        steps: [
          {
            text: 'Read the full context around these lines.',
            command: `kubectl -n ${snapshot.namespaces.kserve} logs deployment/${KSERVE_CONTROLLER} -c manager --tail=200 | grep ${name}`,
          },
        ],
      },
    };
  },
};
