/*
 * Bad input to the CLI: each gets a clear error (exit 2) or an explicit
 * "not evaluated", never a crash, a hang or a silent pass. No cluster is
 * contacted: every case fails before the first request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from './index';
import { runValidateCommand } from './commands/validate';

let dir: string;
let stderr: string;
let stdout: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serving-health-cli-bad-input-'));
  stderr = '';
  stdout = '';
  jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => {
    stderr += String(s);
    return true;
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => {
    stdout += String(s);
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

/** A kubeconfig for a port nothing listens on: these cases must fail before any request. */
const kubeconfig = () =>
  write(
    'kubeconfig.yaml',
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n'),
  );

const run = async (...args: string[]) => {
  const t = performance.now();
  await main(['node', 'serving-health', ...args]);
  return performance.now() - t;
};

describe('serving-health triage with bad input', () => {
  it('invalid YAML in the entity file: exit 2 naming file and line', async () => {
    const entity = write(
      'catalog-info.yaml',
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [unclosed\n',
    );
    await run('triage', '--kubeconfig', kubeconfig(), '--entity', entity);
    expect(process.exitCode).toBe(2);
    expect(stderr).toMatch(
      /^serving-health triage: .*catalog-info\.yaml:\d+: /,
    );
    expect(stdout).toBe('');
  });

  it('invalid YAML in the kubeconfig: exit 2 saying so', async () => {
    const bad = write('kubeconfig.yaml', 'clusters: [\n  - {name: c\n');
    await run(
      'triage',
      '--kubeconfig',
      bad,
      '--entity',
      write('e.yaml', 'kind: Component\n'),
    );
    expect(process.exitCode).toBe(2);
    expect(stderr).toContain('is not valid YAML');
  });

  it('a malformed annotation: exit 2 naming the annotation', async () => {
    const entity = write(
      'catalog-info.yaml',
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: m\n  annotations:\n    serving.kserve.io/inferenceservice: Not/A/Valid/Name\n',
    );
    await run('triage', '--kubeconfig', kubeconfig(), '--entity', entity);
    expect(process.exitCode).toBe(2);
    expect(stderr).toContain('serving.kserve.io/inferenceservice');
  });

  it('a 5 MB single-line entity file: exit 2 in bounded time', async () => {
    const entity = write(
      'catalog-info.yaml',
      `kind: Component\nmetadata: {name: big}\ndescription: "${'x'.repeat(
        5 * 1024 * 1024,
      )}"\n`,
    );
    const ms = await run(
      'triage',
      '--kubeconfig',
      kubeconfig(),
      '--entity',
      entity,
    );
    // eslint-disable-next-line no-console
    console.log(`triage of a 5 MB entity file: ${Math.round(ms)} ms`);
    expect(process.exitCode).toBe(2);
    expect(stderr).toContain('has no entity with serving annotations');
    expect(ms).toBeLessThan(10_000);
  });
});

describe('serving-health validate with bad input', () => {
  const isvc = [
    'apiVersion: serving.kserve.io/v1beta1',
    'kind: InferenceService',
    'metadata:',
    '  name: fraud',
    '  namespace: models',
    '  labels: {owner: team-ml, cost-center: cc-1}',
    'spec: {predictor: {model: {modelFormat: {name: sklearn}}}}',
  ].join('\n');

  it('a ClusterPolicy with unsupported features: listed as not evaluated, never passed silently', async () => {
    write('isvc.yaml', isvc);
    fs.mkdirSync(path.join(dir, 'policies'));
    write(
      'policies/unsupported.yaml',
      [
        'apiVersion: kyverno.io/v1',
        'kind: ClusterPolicy',
        'metadata: {name: unsupported}',
        'spec:',
        '  validationFailureAction: Enforce',
        '  rules:',
        '    - name: deny-rule',
        '      match: {any: [{resources: {kinds: [InferenceService]}}]}',
        '      validate:',
        '        deny: {conditions: {any: [{key: "{{ request.userInfo.username }}", operator: Equals, value: ""}]}}',
        '    - name: foreach-rule',
        '      match: {any: [{resources: {kinds: [InferenceService]}}]}',
        '      validate:',
        '        foreach: [{list: "request.object.metadata.labels", context: [{name: quota, apiCall: {urlPath: /api/v1/resourcequotas}}], deny: {conditions: {any: [{key: "{{ quota.items }}", operator: Equals, value: []}]}}}]',
        '    - name: cel-rule',
        '      match: {any: [{resources: {kinds: [InferenceService]}}]}',
        '      validate:',
        '        cel: {paramKind: {apiVersion: v1, kind: ConfigMap}, paramRef: {name: teams}, expressions: [{expression: "object.metadata.labels.team in params.data"}]}',
        '    - name: context-rule',
        '      match: {any: [{resources: {kinds: [InferenceService]}}]}',
        '      context: [{name: cm, configMap: {name: allowed, namespace: kyverno}}]',
        '      validate:',
        '        pattern: {metadata: {labels: {team: "{{ cm.data.team }}"}}}',
      ].join('\n'),
    );
    const json = await runValidateCommand({
      cwd: dir,
      paths: ['isvc.yaml'],
      policies: 'policies',
      output: 'json',
    });
    expect(json.code).not.toBe(2);
    const { notEvaluated } = JSON.parse(json.stdout);
    const byRule = Object.fromEntries(
      notEvaluated.map((n: any) => [n.rule, n.feature]),
    );
    // Each needs what only the cluster or the admission request has.
    expect(byRule['deny-rule']).toBe('userInfo');
    expect(byRule['foreach-rule']).toBe('context.apiCall');
    expect(byRule['cel-rule']).toBe('validate.cel.paramKind');
    expect(byRule['context-rule']).toContain('context');

    const text = await runValidateCommand({
      cwd: dir,
      paths: ['isvc.yaml'],
      policies: 'policies',
      output: 'text',
    });
    expect(text.stdout).toContain('not evaluated');
    expect(text.stdout).toMatch(/4 not evaluated/);

    const strict = await runValidateCommand({
      cwd: dir,
      paths: ['isvc.yaml'],
      policies: 'policies',
      output: 'json',
      strict: true,
    });
    expect(strict.code).toBe(1);
  });

  it('invalid YAML in a policy file: exit 2 naming file and line', async () => {
    write('isvc.yaml', isvc);
    write(
      'policy.yaml',
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: x\n',
    );
    await run(
      'validate',
      path.join(dir, 'isvc.yaml'),
      '--policies',
      path.join(dir, 'policy.yaml'),
    );
    expect(process.exitCode).toBe(2);
    expect(stdout + stderr).toMatch(/policy\.yaml:\d+/);
  });

  it('a path that does not exist: exit 2', async () => {
    await run('validate', path.join(dir, 'missing'));
    expect(process.exitCode).toBe(2);
    expect(stderr).toContain('cannot read');
  });
});
