import { KyvernoTestDefinition } from './testSuite';

/**
 * The policies a suite tests without one failing case: a suite that only ever expects `pass` cannot tell a
 * policy that works from one that admits everything.
 *
 * @param policyNames - names of the policies in the suite's policy files (as results name them)
 * @public
 */
export function policiesWithoutFailingCase(
  test: KyvernoTestDefinition,
  policyNames: string[],
): string[] {
  const tested = new Set([
    ...policyNames,
    ...test.results.map(r => r.policy),
  ]);
  const failing = new Set(
    test.results.filter(r => r.result === 'fail').map(r => r.policy),
  );
  return [...tested].filter(p => !failing.has(p)).sort();
}
