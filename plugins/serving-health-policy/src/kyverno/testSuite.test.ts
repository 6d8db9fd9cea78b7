import fs from 'fs';
import path from 'path';
import {
  loadKyvernoTestSuite,
  parseKyvernoTest,
  runKyvernoTestSuite,
} from './testSuite';

const suiteDir = path.resolve(__dirname, '../__fixtures__/kyverno-test-suite');
const read = (file: string) =>
  fs.readFileSync(path.join(suiteDir, file), 'utf8');

describe('runKyvernoTestSuite', () => {
  const report = runKyvernoTestSuite(
    loadKyvernoTestSuite(read('kyverno-test.yaml'), read),
  );
  const row = (resource: string) =>
    report.results.filter(r => r.resource === resource);

  it('compares each expected result with the evaluator, per resource', () => {
    expect(row('labelled')).toEqual([
      expect.objectContaining({
        actual: 'pass',
        expected: 'pass',
        agrees: true,
      }),
    ]);
    expect(row('default/unlabelled')).toEqual([
      expect.objectContaining({
        actual: 'fail',
        expected: 'pass',
        agrees: false,
        message: expect.stringContaining(
          'rule check-cost-center failed at path /metadata/labels/',
        ),
      }),
    ]);
  });

  it('judges a Pod controller by the autogen rule of the named rule', () => {
    expect(row('web')).toEqual([
      expect.objectContaining({
        rule: 'autogen-check-cost-center',
        actual: 'fail',
        agrees: true,
      }),
    ]);
  });

  it('says when the suite names a resource its files do not hold', () => {
    expect(row('missing')).toEqual([
      expect.objectContaining({
        actual: 'notFound',
        agrees: false,
        message: "Pod missing is not in the suite's resource files",
      }),
    ]);
    expect(report.summary).toEqual({
      total: 4,
      agree: 2,
      disagree: 1,
      notEvaluated: 0,
      notFound: 1,
    });
  });

  it('reads the values file (namespace labels) of the suite', () => {
    const input = loadKyvernoTestSuite(read('kyverno-test.yaml'), read);
    expect(input.values?.namespaceSelector).toEqual([
      { name: 'default', labels: { team: 'ml' } },
    ]);
  });
});

describe('parseKyvernoTest', () => {
  it('reads the older un-versioned format (status, resource)', () => {
    expect(parseKyvernoTest(read('old-format.yaml'))).toEqual({
      name: 'old-format',
      policies: ['policy.yaml'],
      resources: ['resources.yaml'],
      results: [
        {
          policy: 'require-cost-center',
          rule: 'check-cost-center',
          kind: 'Deployment',
          resources: ['web'],
          result: 'fail',
        },
      ],
    });
  });

  it('qualifies names with the deprecated namespace field', () => {
    const test = parseKyvernoTest(
      'policies: [p.yaml]\nresults:\n- {policy: p, rule: r, resource: x, namespace: team-a, kind: Pod, result: skip}\n',
    );
    expect(test.results[0]).toMatchObject({
      policy: 'team-a/p',
      resources: ['team-a/x'],
    });
  });

  it('names what is wrong in a malformed result', () => {
    expect(() =>
      parseKyvernoTest(
        'results:\n- {policy: p, resources: [x], result: maybe}\n',
      ),
    ).toThrow(
      'kyverno-test.yaml: results[0].result must be one of pass, fail, skip, warn, error, got "maybe"',
    );
    expect(() => parseKyvernoTest('apiVersion: v1\nkind: ConfigMap\n')).toThrow(
      'kind is "ConfigMap", expected Test',
    );
  });

  it('names the file it cannot read', () => {
    expect(() =>
      loadKyvernoTestSuite(read('kyverno-test.yaml'), () => {
        throw new Error('ENOENT');
      }),
    ).toThrow('require-cost-center: cannot read policy.yaml: ENOENT');
  });
});
