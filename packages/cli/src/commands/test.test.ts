import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseJUnit } from 'junit2json';
import { sarifSchemaErrors } from '../__testUtils__/sarifSchema';
import { runTestCommand, TestUsageError } from './test';

const repoRoot = path.resolve(__dirname, '../../../..');
const fixtures = path.join(__dirname, '__fixtures__/test');

describe('serving-health test', () => {
  let out: string;
  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'serving-health-test-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  it('passes the suite shipped for the sample policy, which has a passing and a failing case', () => {
    const { code, runs, stdout } = runTestCommand({ cwd: repoRoot, paths: ['templates'] });
    expect(runs.map(r => r.file)).toEqual([
      'templates/kserve-model-endpoint/policy-tests/kyverno-test.yaml',
    ]);
    expect(runs[0].report.results.map(r => [r.resource, r.expected, r.actual])).toEqual([
      ['models/credit-scoring', 'pass', 'pass'],
      ['models/credit-scoring-camelcase', 'fail', 'fail'],
    ]);
    expect(stdout).toContain('1 suite(s): 1 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('fails a suite that has no failing case for a policy it tests, naming the policy', () => {
    const { code, stdout } = runTestCommand({ cwd: fixtures, paths: ['only-pass'] });
    expect(code).toBe(1);
    expect(stdout).toContain(
      'require-labels: no failing case; add a resource the policy must reject (result: fail)',
    );
  });

  it('fails a suite whose expectations the evaluator contradicts, and writes it as JUnit and valid SARIF', async () => {
    const { code, stdout } = runTestCommand({
      cwd: fixtures,
      paths: ['wrong-expectation'],
      output: 'json',
      junit: path.join(out, 'test.xml'),
      sarif: path.join(out, 'test.sarif'),
    });
    expect(code).toBe(1);
    const [suite] = JSON.parse(stdout);
    expect(suite.passed).toBe(false);
    expect(suite.summary).toEqual(expect.objectContaining({ total: 2, agree: 0, disagree: 2 }));

    const junit: any = await parseJUnit(fs.readFileSync(path.join(out, 'test.xml'), 'utf8'));
    const cases = junit.testsuite[0].testcase;
    expect(cases.map((c: any) => [c.name, c.failure?.[0].message])).toEqual([
      ['require-labels/check-for-labels InferenceService models/credit-scoring-camelcase expects pass', 'expected pass, got fail'],
      ['require-labels/check-for-labels InferenceService models/credit-scoring expects fail', 'expected fail, got pass'],
      ['require-labels has a failing case', undefined],
    ]);
    expect(junit.failures).toBe(2);

    const sarif = JSON.parse(fs.readFileSync(path.join(out, 'test.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results.map((r: any) => r.ruleId)).toEqual([
      'kyverno-test:require-labels/check-for-labels',
      'kyverno-test:require-labels/check-for-labels',
    ]);
  });

  it('exits 2 when there is no suite to run, or a suite names a file that is not there', () => {
    expect(() => runTestCommand({ cwd: fixtures, paths: ['../validate/good'] })).toThrow(
      /no kyverno-test.yaml under/,
    );
    const dir = fs.mkdtempSync(path.join(out, 'broken-'));
    fs.writeFileSync(
      path.join(dir, 'kyverno-test.yaml'),
      'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: { name: broken }\npolicies: [nope.yaml]\nresources: []\nresults: []\n',
    );
    expect(() => runTestCommand({ cwd: dir, paths: ['.'] })).toThrow(TestUsageError);
    expect(() => runTestCommand({ cwd: dir, paths: ['.'] })).toThrow(/kyverno-test.yaml: broken: cannot read nope.yaml/);
  });
});
