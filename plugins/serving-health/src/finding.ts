import {
  CheckResult,
  FailureModeSummary,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';

/** What a report says about one failure mode: the check that found it and its own words. */
export interface Finding {
  /** The check whose summary names the objects and whose remediation fixes them. */
  check?: CheckResult;
  /** One sentence with the real object names, from that check's summary. */
  sentence?: string;
  /** The fix commands of that check, in order. */
  commands: { text: string; command: string }[];
}

const RANK: Record<string, number> = { fail: 0, error: 1, warn: 2 };

/**
 * The finding of one failure mode: of the checks that saw it, the one that failed (else erred, else warned),
 * preferring one that carries a fix.
 */
export function findingOf(
  report: TriageReport,
  mode: FailureModeSummary,
): Finding {
  const seen = mode.seenBy
    .map(id => report.checks.find(c => c.id === id))
    .filter((c): c is CheckResult => !!c && c.status in RANK)
    .sort(
      (a, b) =>
        RANK[a.status] - RANK[b.status] ||
        Number(!a.remediation) - Number(!b.remediation),
    );
  const check = seen[0];
  const commands = (check?.remediation?.steps ?? []).flatMap(step =>
    step.command ? [{ text: step.text, command: step.command }] : [],
  );
  return { check, sentence: check?.summary, commands };
}
