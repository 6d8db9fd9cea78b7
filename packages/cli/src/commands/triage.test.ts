import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TestEnv,
  expectedOverall,
  listScenarios,
  startTestEnv,
} from '@internal/testenv';
import { runTriageCommand } from './triage';

jest.setTimeout(120_000);

const bin = path.resolve(__dirname, '../../bin/serving-health');
const base = {
  output: 'json' as const,
  kserveNamespace: 'kserve',
  kyvernoNamespace: 'kyverno',
};

// A scenario that expects nothing (a hub holding only Applications) is read by the scenarios that use it.
const triaged = listScenarios().filter(s => s.manifest?.expect.length);

describe.each(triaged.map(s => [s.name, s] as const))(
  'triage of scenario %s',
  (_n, scenario) => {
    let env: TestEnv;
    /** Hub and spoke: the cluster that runs the scenario's Argo CD, read with --argocd-kubeconfig. */
    let hub: TestEnv | undefined;
    beforeAll(async () => {
      env = await startTestEnv({ scenario: scenario.dir });
      const hubScenario = scenario.manifest?.argocdInstances?.[0]?.scenario;
      if (hubScenario) hub = await startTestEnv({ scenario: hubScenario });
    });
    afterAll(async () => {
      await env?.stop();
      await hub?.stop();
    });

    it('returns exactly the declared failure modes per entity and the matching exit code', async () => {
      const { code, stdout } = await runTriageCommand({
        ...base,
        kubeconfig: env.kubeconfigPath,
        entity: path.join(scenario.dir, 'catalog-info.yaml'),
        argocdKubeconfig: hub?.kubeconfigPath,
      });
      const { reports } = JSON.parse(stdout);
      for (const expected of scenario.manifest!.expect) {
        const report = reports.find((r: any) => r.entity === expected.entity);
        expect(report).toBeDefined();
        expect([...report.failureModes].sort()).toEqual(
          [...expected.failureModes].sort(),
        );
        expect([expected.entity, report.overall]).toEqual([
          expected.entity,
          expectedOverall(expected),
        ]);
        expect(report.sources?.map((s: any) => s.cluster)).toEqual(
          hub ? [hub.name, env.name] : undefined,
        );
        for (const c of report.checks) {
          expect(Object.keys(c)).toEqual(
            expect.arrayContaining([
              'id',
              'stage',
              'title',
              'status',
              'summary',
              'evidence',
            ]),
          );
        }
      }
      // Any report that is not healthy (a failure mode, or a warning) is a finding.
      const anyProblem = scenario.manifest!.expect.some(
        e => expectedOverall(e) !== 'healthy',
      );
      expect(code).toBe(anyProblem ? 1 : 0);
    });
  },
);

describe('serving-health triage as a process', () => {
  let env: TestEnv;
  const entity = path.join(
    listScenarios().find(s => s.name === 'webhook-no-endpoints')!.dir,
    'catalog-info.yaml',
  );

  beforeAll(async () => {
    env = await startTestEnv({ scenario: 'webhook-no-endpoints' });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const run = (args: string[], processEnv: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, [bin, 'triage', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: processEnv,
    });

  it('reads $KUBECONFIG and its current context when --kubeconfig is not given', () => {
    const r = run(['--entity', entity, '--page-size', '2'], {
      ...process.env,
      KUBECONFIG: env.kubeconfigPath,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('webhook-no-endpoints');
  });

  it('--context selects another context of the default kubeconfig', () => {
    // `nobody` has no RBAC binding: every collection is forbidden, which the report names.
    const r = run(
      ['--entity', entity, '--context', 'nobody', '--output', 'json'],
      {
        ...process.env,
        KUBECONFIG: env.kubeconfigPath,
      },
    );
    const { reports } = JSON.parse(r.stdout);
    expect(JSON.stringify(reports[0].checks)).toContain('forbidden');
  });

  it('exits 2 naming the file when there is no kubeconfig, or no such context', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-cli-home-'));
    const noKubeconfig: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    delete noKubeconfig.KUBECONFIG;
    const none = run(['--entity', entity], noKubeconfig);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(
      `No kubeconfig: none given, and ${path.join(
        home,
        '.kube',
        'config',
      )} does not exist`,
    );
    const wrong = run(['--entity', entity, '--context', 'prod'], {
      ...process.env,
      KUBECONFIG: env.kubeconfigPath,
    });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain(
      `Kubeconfig ${env.kubeconfigPath} has no context 'prod'`,
    );
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('exits 1 and prints a runbook naming the failure mode and the fix', () => {
    const r = run(['--kubeconfig', env.kubeconfigPath, '--entity', entity]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('webhook-no-endpoints');
    expect(r.stdout).toContain('4. Webhook availability');
    expect(r.stdout).toContain('kubectl -n kserve');
  });

  it('exits 2 when the cluster is unreachable for every target', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-cli-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    const text = fs
      .readFileSync(env.kubeconfigPath, 'utf8')
      .replace(
        /server: https:\/\/127\.0\.0\.1:\d+/g,
        'server: https://127.0.0.1:1',
      );
    fs.writeFileSync(kubeconfig, text);
    const r = run([
      '--kubeconfig',
      kubeconfig,
      '--entity',
      entity,
      '--output',
      'json',
      '--timeout',
      '2000',
    ]);
    expect(r.status).toBe(2);
    const { reports } = JSON.parse(r.stdout);
    expect(reports[0].checks[0]).toMatchObject({
      id: 'cluster.reachable',
      status: 'error',
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with a clear message for a missing entity file', () => {
    const r = run([
      '--kubeconfig',
      env.kubeconfigPath,
      '--entity',
      '/nonexistent/catalog-info.yaml',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read /nonexistent/catalog-info.yaml');
  });

  it('exits 2 for a malformed annotation, naming it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-cli-'));
    const file = path.join(dir, 'catalog-info.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bad\n  annotations:\n    serving.kserve.io/inferenceservice: "a/b/c"\nspec: {type: model-endpoint}\n',
    );
    const r = run(['--kubeconfig', env.kubeconfigPath, '--entity', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('serving.kserve.io/inferenceservice');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 for an unknown option', () => {
    const r = run([
      '--kubeconfig',
      env.kubeconfigPath,
      '--entity',
      entity,
      '--output',
      'yaml',
    ]);
    expect(r.status).toBe(2);
  });
});
