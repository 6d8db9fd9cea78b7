import type { SuiteRun } from '../commands/test';
import { JUnitCase, toJUnit } from './junit';
import { SarifFinding, toSarif } from './sarif';

const ruleId = (policy: string, rule: string) => `kyverno-test:${policy}/${rule}`;
const MISSING_FAIL = 'kyverno-test:no-failing-case';

/** Each result that disagrees with its suite, and each policy without a failing case, at the suite's file. */
export function testSarif(runs: SuiteRun[]): string {
  const findings: SarifFinding[] = runs.flatMap(run => [
    ...run.report.results
      .filter(r => !r.agrees)
      .map(r => ({
        ruleId: ruleId(r.policy, r.rule),
        level: 'error' as const,
        message: `${run.report.name}: ${r.kind} ${r.resource} expected ${r.expected}, got ${r.actual}: ${r.message}`,
        file: run.file,
      })),
    ...run.withoutFailingCase.map(p => ({
      ruleId: MISSING_FAIL,
      level: 'error' as const,
      message: `${run.report.name}: policy ${p} has no failing case; add a resource it must reject`,
      file: run.file,
    })),
  ]);
  const ids = [...new Set(findings.map(f => f.ruleId))].sort();
  return JSON.stringify(
    toSarif(
      'test',
      ids.map(id => ({
        id,
        description:
          id === MISSING_FAIL
            ? 'A policy test suite has a failing case for every policy it tests'
            : `Kyverno test expectation of ${id.slice('kyverno-test:'.length)}`,
      })),
      findings,
    ),
    null,
    2,
  );
}

/** One JUnit suite per kyverno-test.yaml: a case per expected result, and one per policy for its failing case. */
export function testJUnit(runs: SuiteRun[]): string {
  return toJUnit(
    'serving-health test',
    runs.map(run => {
      const policies = [
        ...new Set([
          ...run.report.results.map(r => r.policy),
          ...run.withoutFailingCase,
        ]),
      ].sort();
      const cases: JUnitCase[] = [
        ...run.report.results.map(r => {
          const name = `${r.policy}/${r.rule} ${r.kind} ${r.resource} expects ${r.expected}`;
          const base = { name, classname: run.file };
          if (r.agrees) return base;
          // Not evaluated is not a pass: it fails the case as it fails the exit code.
          return {
            ...base,
            failure: { message: `expected ${r.expected}, got ${r.actual}`, text: r.message },
          };
        }),
        ...policies.map(p => ({
          name: `${p} has a failing case`,
          classname: run.file,
          ...(run.withoutFailingCase.includes(p)
            ? {
                failure: {
                  message: 'no failing case',
                  text: `the suite never expects ${p} to fail: it cannot tell a working policy from one that admits everything`,
                },
              }
            : {}),
        })),
      ];
      return { name: `${run.report.name} (${run.file})`, cases };
    }),
  );
}
