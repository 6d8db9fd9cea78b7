import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestEnv, startTestEnv } from '@internal/testenv';
import { runValidateCommand, ValidateUsageError } from './validate';

const fixtures = path.join(__dirname, '__fixtures__/validate');
const bin = path.resolve(__dirname, '../../bin/serving-health');
const base = { cwd: fixtures, output: 'json' as const };
// One scratch dir for the files these tests write, removed when they end.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-validate-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('runValidateCommand', () => {
  it('exits 0 with empty violations for conventional manifests', async () => {
    const { code, stdout } = await runValidateCommand({
      ...base,
      paths: ['good'],
      policies: 'policies',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ violations: [], notEvaluated: [] });
  });

  it('exits 1 and reports the costCenter near miss and the Kyverno denial in the JSON contract', async () => {
    const { code, stdout } = await runValidateCommand({
      ...base,
      paths: ['bad'],
      policies: 'policies',
    });
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['violations', 'notEvaluated']);
    expect(json.violations.map((v: any) => v.rule)).toEqual([
      'label-near-miss',
      'kyverno:require-labels/check-for-labels',
    ]);
    for (const v of json.violations) {
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining([
          'file',
          'resource',
          'rule',
          'severity',
          'message',
          'path',
        ]),
      );
      expect(v.file).toBe('bad/model-endpoint-costCenter.yaml');
      expect(v.resource).toEqual({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        namespace: 'models',
        name: 'credit-scoring',
      });
    }
    expect(json.violations[1].message).toBe(
      'validation error: The labels `owner` and `cost-center` are required. rule check-for-labels failed at path /metadata/labels/cost-center/',
    );
    expect(json.violations[1].path).toBe('/metadata/labels/cost-center/');
  });

  it('prints one line per violation in text, starting with file:line and the rule', async () => {
    const { stdout } = await runValidateCommand({
      ...base,
      output: 'text',
      paths: ['bad'],
    });
    expect(stdout.split('\n')[0]).toMatch(
      /^bad\/model-endpoint-costCenter\.yaml:9: error label-near-miss: `costCenter` should be `cost-center`/,
    );
  });

  it('exits 2 for malformed YAML, naming file and line', async () => {
    const { code, stdout } = await runValidateCommand({
      ...base,
      paths: ['malformed.yaml.txt'],
    });
    expect(code).toBe(2);
    expect(JSON.parse(stdout).errors[0]).toMatchObject({
      file: 'malformed.yaml.txt',
      line: 6,
    });
  });

  it('rejects an unreadable path and --cluster-policies when no kubeconfig exists', async () => {
    await expect(
      runValidateCommand({ ...base, paths: ['missing.yaml'] }),
    ).rejects.toThrow(
      new ValidateUsageError('cannot read missing.yaml: ENOENT'),
    );
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = path.join(
      os.tmpdir(),
      'serving-health-no-such-kubeconfig',
    );
    try {
      await expect(
        runValidateCommand({ ...base, paths: ['good'], clusterPolicies: true }),
      ).rejects.toThrow(
        /No kubeconfig: none given, and no file of \$KUBECONFIG/,
      );
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it('applies a conventions file', async () => {
    const { code, report } = await runValidateCommand({
      ...base,
      paths: ['good'],
      conventions: 'conventions.yaml',
    });
    expect(code).toBe(1);
    expect(report.violations.map(v => `${v.rule}:${v.message}`)).toEqual([
      'label-required:required label `team` is missing',
      'label-key-style:label key `cost-center` is not snake_case: use `cost_center`',
    ]);
  });

  it('rejects a malformed conventions file as a usage error', async () => {
    const dir = fs.mkdtempSync(path.join(scratch, 'conventions-'));
    fs.writeFileSync(path.join(dir, 'c.yaml'), 'keyStyle: SCREAMING\n');
    await expect(
      runValidateCommand({
        ...base,
        paths: ['good'],
        conventions: path.join(dir, 'c.yaml'),
      }),
    ).rejects.toThrow(/keyStyle/);
  });
});

describe('serving-health validate as a process in a pipeline', () => {
  const out = path.join(fs.mkdtempSync(path.join(scratch, 'pipeline-')), 'out');
  const shell = (script: string) =>
    spawnSync('bash', ['-c', script], {
      cwd: fixtures,
      encoding: 'utf8',
      env: { ...process.env, INIT_CWD: fixtures },
      timeout: 60_000,
    });
  const cmd = `node ${JSON.stringify(bin)} validate bad --policies policies`;

  it('fails the pipeline under set -o pipefail (exit 1), with the report in the tee file', () => {
    const r = shell(
      `set -o pipefail; ${cmd} | tee ${JSON.stringify(out)} > /dev/null`,
    );
    expect(r.status).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toMatch(
      /label-near-miss: `costCenter` should be `cost-center`/,
    );
  });

  it("keeps its own status in PIPESTATUS even without pipefail, where $? is tee's", () => {
    const r = shell(
      `${cmd} | tee ${JSON.stringify(
        out,
      )} > /dev/null; echo "pipe=\${PIPESTATUS[0]} tee=$?"`,
    );
    expect(r.stdout.trim()).toBe('pipe=1 tee=0');
  });

  it('exits 2 for a path that does not exist, 0 for clean manifests', () => {
    expect(shell(`node ${JSON.stringify(bin)} validate nope`).status).toBe(2);
    expect(
      shell(`node ${JSON.stringify(bin)} validate good --policies policies`)
        .status,
    ).toBe(0);
  });
});

describe('serving-health validate --cluster-policies against the testenv', () => {
  jest.setTimeout(120_000);
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ scenario: 'healthy' });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("evaluates the cluster's ClusterPolicies", async () => {
    const { code, report } = await runValidateCommand({
      ...base,
      paths: ['bad'],
      kubeconfig: env.kubeconfigPath,
      clusterPolicies: true,
    });
    expect(code).toBe(1);
    expect(report.stats.policies).toBeGreaterThan(0);
    expect(report.violations.map(v => v.rule)).toContain(
      'kyverno:require-labels/check-for-labels',
    );
  });

  it('reads the cluster of $KUBECONFIG when --cluster-policies comes without --kubeconfig', () => {
    const r = spawnSync(
      process.execPath,
      [
        bin,
        'validate',
        path.join(fixtures, 'bad'),
        '--cluster-policies',
        '--output',
        'json',
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, KUBECONFIG: env.kubeconfigPath },
      },
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).violations.map((v: any) => v.rule)).toContain(
      'kyverno:require-labels/check-for-labels',
    );
  });
});
