/* Running one check on a snapshot, outside the engine. */
import { ClusterSnapshot, TargetReads } from '../../snapshot';
import { CheckResult, CheckStatus, FailureModeId, TriageTarget } from '../../types';
import { CheckContext, CheckOutcome, TriageCheck } from '../types';
import { defaultTarget, healthySnapshot } from './snapshots';

export function checkContext(o: {
  snapshot?: ClusterSnapshot;
  target?: TriageTarget;
  reads?: TargetReads;
  results?: CheckResult[];
} = {}): CheckContext {
  return {
    entityRef: 'component:default/fraud-detector',
    target: o.target ?? defaultTarget(),
    snapshot: o.snapshot ?? healthySnapshot(),
    reads: o.reads ?? {},
    results: new Map((o.results ?? []).map(r => [r.id, r])),
  };
}

export function runCheck(
  check: TriageCheck,
  snapshot: ClusterSnapshot,
  o: { target?: TriageTarget; reads?: TargetReads; results?: CheckResult[] } = {},
): CheckOutcome {
  return check.run(checkContext({ snapshot, ...o }));
}

/** A prior check's result, as the engine would have stored it. */
export function priorResult(id: string, status: CheckStatus, failureMode?: FailureModeId): CheckResult {
  return {
    id,
    stage: 'webhooks',
    title: id,
    status,
    summary: `${id} is ${status}`,
    evidence: [],
    ...(failureMode ? { failureMode } : {}),
  };
}

/** All evidence fields of an outcome, flattened into one object (later keys win). */
export function evidenceFields(outcome: CheckOutcome): Record<string, string> {
  return Object.assign({}, ...outcome.evidence.map(e => e.fields ?? {}));
}

/** All evidence lines of an outcome. */
export function evidenceLines(outcome: CheckOutcome): string[] {
  return outcome.evidence.flatMap(e => e.lines ?? []);
}

/** Every remediation command of an outcome. */
export function commands(outcome: CheckOutcome): string[] {
  return (outcome.remediation?.steps ?? []).flatMap(s => (s.command ? [s.command] : []));
}
