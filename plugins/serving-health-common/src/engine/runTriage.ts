import { toError } from '@backstage/errors';
import { ClusterSnapshot, TargetReads } from '../snapshot';
import { CheckContext, TriageCheck } from '../checks/types';
import {
  TargetBinding,
  CheckResult,
  CheckStatus,
  FailureModeSummary,
  OverallStatus,
  TRIAGE_STAGES,
  TriageReport,
  TriageStage,
  TriageTarget,
} from '../types';
import { FAILURE_MODES } from '../failureModes';
import { reportSources } from './argocdHub';

const STAGE_ORDER = new Map(TRIAGE_STAGES.map(s => [s.id, s.order]));
const RUNS_AFTER: ReadonlySet<CheckStatus> = new Set(['pass', 'warn']);

/**
 * Checks in triage order; within a stage, in the order given.
 *
 * @public
 */
export function orderChecks(checks: TriageCheck[]): TriageCheck[] {
  return checks
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        (STAGE_ORDER.get(a.c.stage) ?? 99) -
          (STAGE_ORDER.get(b.c.stage) ?? 99) || a.i - b.i,
    )
    .map(x => x.c);
}

function runOne(check: TriageCheck, ctx: CheckContext): CheckResult {
  const base = { id: check.id, stage: check.stage, title: check.title };
  const blocker = (check.requires ?? [])
    .map(id => ctx.results.get(id))
    .find(r => r && !RUNS_AFTER.has(r.status));
  if (blocker) {
    return {
      ...base,
      status: 'skipped',
      summary: `Skipped: ${blocker.title} is ${blocker.status}.`,
      evidence: [],
      blockedBy: blocker.id,
    };
  }
  try {
    return { ...base, ...check.run(ctx) };
  } catch (e) {
    return {
      ...base,
      status: 'error',
      summary: `The check itself failed: ${toError(e).message}`,
      evidence: [],
    };
  }
}

/** @public */
export function overallStatus(checks: CheckResult[]): OverallStatus {
  if (checks.some(c => c.status === 'fail')) return 'failing';
  if (checks.find(c => c.id === 'cluster.reachable')?.status === 'error') {
    return 'unknown';
  }
  if (checks.some(c => c.status === 'warn' || c.status === 'error')) {
    return 'degraded';
  }
  return 'healthy';
}

function firstStage(
  checks: CheckResult[],
  statuses: CheckStatus[],
): TriageStage | undefined {
  return checks.find(c => statuses.includes(c.status))?.stage;
}

/**
 * Runs the checks in triage order with stage gating and names the failure modes, once each.
 *
 * @public
 */
export function runTriage(options: {
  entityRef: string;
  target: TriageTarget;
  snapshot: ClusterSnapshot;
  reads?: TargetReads;
  checks: TriageCheck[];
  /** When the target is not bound to the entity, checks that read its objects are withheld. */
  binding?: TargetBinding;
  now?: Date;
}): TriageReport {
  const results = new Map<string, CheckResult>();
  const ctx: CheckContext = {
    entityRef: options.entityRef,
    target: options.target,
    snapshot: options.snapshot,
    reads: options.reads ?? {},
    results,
  };
  const checks: CheckResult[] = [];
  const withheld =
    options.binding?.bound === false ? options.binding : undefined;
  for (const check of orderChecks(options.checks)) {
    const result: CheckResult =
      withheld && check.readsTargetObjects
        ? {
            id: check.id,
            stage: check.stage,
            title: check.title,
            status: 'skipped',
            summary: `Not shown: ${withheld.detail}`,
            evidence: [],
          }
        : runOne(check, ctx);
    results.set(check.id, result);
    checks.push(result);
  }
  const sources = reportSources(options.target, options.snapshot);
  const modes = new Map<string, FailureModeSummary>();
  for (const c of checks) {
    if (!c.failureMode || (c.status !== 'fail' && c.status !== 'warn'))
      continue;
    const m = modes.get(c.failureMode) ?? {
      id: c.failureMode,
      title: FAILURE_MODES[c.failureMode]?.title ?? c.failureMode,
      seenBy: [],
    };
    m.seenBy.push(c.id);
    modes.set(c.failureMode, m);
  }
  return {
    entityRef: options.entityRef,
    target: options.target,
    // Without the target's own objects, passing cluster checks do not make the endpoint healthy.
    overall:
      withheld && overallStatus(checks) === 'healthy'
        ? 'unknown'
        : overallStatus(checks),
    failingStage:
      firstStage(checks, ['fail']) ??
      firstStage(checks, ['error']) ??
      firstStage(checks, ['warn']),
    failureModes: [...modes.values()],
    checks,
    snapshotTime: options.snapshot.readAt,
    ...(options.binding ? { binding: options.binding } : {}),
    ...(sources ? { sources } : {}),
    generatedAt: (options.now ?? new Date()).toISOString(),
  };
}

/**
 * Whether the per-target log read is worth making: only when something is already wrong.
 *
 * @public
 */
export function needsControllerLogs(report: TriageReport): boolean {
  const watched = [
    'kserve.controller',
    'kserve.webhook-endpoints',
    'kserve.inferenceservice',
    'argocd.sync',
  ];
  return (
    report.checks.some(
      c =>
        watched.includes(c.id) && (c.status === 'fail' || c.status === 'warn'),
    ) &&
    report.checks.find(c => c.id === 'cluster.reachable')?.status === 'pass'
  );
}
