import { policiesWithoutFailingCase } from './testCoverage';
import { parseKyvernoTest } from './testSuite';

const suite = (results: string) =>
  parseKyvernoTest(`apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: { name: labels }
policies: [policy.yaml]
resources: [resources.yaml]
results:
${results}`);

describe('policiesWithoutFailingCase', () => {
  it('is empty when every tested policy has a failing case', () => {
    const test = suite(`  - { policy: require-labels, rule: check, kind: Pod, resources: [a], result: pass }
  - { policy: require-labels, rule: check, kind: Pod, resources: [b], result: fail }`);
    expect(policiesWithoutFailingCase(test, ['require-labels'])).toEqual([]);
  });

  it('names a policy the suite only expects to pass, and a policy file it never tests', () => {
    const test = suite(`  - { policy: require-labels, rule: check, kind: Pod, resources: [a], result: pass }
  - { policy: require-probes, rule: check, kind: Pod, resources: [b], result: fail }`);
    expect(
      policiesWithoutFailingCase(test, ['require-labels', 'require-probes', 'disallow-latest']),
    ).toEqual(['disallow-latest', 'require-labels']);
  });
});
