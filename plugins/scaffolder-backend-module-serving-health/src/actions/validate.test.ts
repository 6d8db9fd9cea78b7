import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { useTestEnv } from '@internal/testenv';
import { staticCredentials } from '@serving-health/plugin-serving-health-kube';
import {
  actionOptions,
  exampleInputs,
  workspaceWith,
} from '../__testUtils__/workspace';
import { createValidateAction } from './validate';
import { examples } from './validate.examples';

const run = async (
  action: ReturnType<typeof createValidateAction>,
  workspacePath: string,
  input: Record<string, any>,
  isDryRun = false,
) => {
  const ctx = createMockActionContext({ input, workspacePath, isDryRun });
  await action.handler(ctx as any);
  return ctx;
};
const outputs = (ctx: any) => Object.fromEntries(ctx.output.mock.calls);

describe('serving-health:validate', () => {
  const action = createValidateAction(actionOptions());

  it('passes the conventional manifests and outputs an empty report', async () => {
    const ws = workspaceWith({ out: 'good', policies: 'policies' });
    const ctx = await run(action, ws, {
      files: ['out/**/*.yaml'],
      policies: 'policies',
    });
    expect(outputs(ctx)).toMatchObject({
      valid: true,
      violations: [],
      notEvaluated: [],
    });
    expect(outputs(ctx).summary).toMatch(
      /^2 resource\(s\), 1 policy\(ies\): 0 error/,
    );
  });

  it('fails the step on the costCenter near miss, naming it, in dry-run mode too', async () => {
    const ws = workspaceWith({ out: 'costCenter', policies: 'policies' });
    for (const isDryRun of [false, true]) {
      const ctx = createMockActionContext({
        input: { files: ['out'], policies: 'policies' },
        workspacePath: ws,
        isDryRun,
      });
      const err = await action.handler(ctx as any).catch(e => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(
        /label-near-miss: `costCenter` should be `cost-center`/,
      );
      expect(err.message).toMatch(
        /kyverno:require-labels\/check-for-labels: validation error: The labels `owner` and `cost-center` are required\. rule check-for-labels failed at path \/metadata\/labels\/cost-center\//,
      );
      expect(outputs(ctx as any).valid).toBe(false);
    }
  });

  it('judges an overlay as kustomize renders it, with the repository rules file', async () => {
    const ws = workspaceWith({
      'out/base': 'overlay-base',
      'out/prod': 'overlay-prod',
    });
    fs.writeFileSync(
      path.join(ws, 'serving-rules.yaml'),
      'inferenceServices: { probes: [readinessProbe] }\n',
    );
    const ctx = await run(action, ws, {
      files: ['out'],
      rulesFile: 'serving-rules.yaml',
      failOnViolation: false,
    });
    // The overlay's patch adds requests: only limits and the probe are missing from what Argo CD would apply.
    expect(
      outputs(ctx).violations.map((v: any) => [v.rule, v.file, v.message]),
    ).toEqual([
      [
        'inferenceservice-resources',
        'out/prod (kustomize build)',
        'predictor container `model` sets no resources.limits for `cpu`, `memory`',
      ],
      [
        'inferenceservice-probes',
        'out/prod (kustomize build)',
        'predictor container `model` sets no readinessProbe, which this repository requires',
      ],
    ]);
  });

  it("reads a chart's vendored dependency archives, as the CLI does", async () => {
    const ws = workspaceWith({});
    // The CLI's platform fixture: an umbrella chart whose redis dependency (alias `cache`) is a vendored .tgz.
    fs.cpSync(
      path.join(
        __dirname,
        '../../../../packages/cli/src/commands/__fixtures__/validate/repos/platform-bad/charts/recommender',
      ),
      path.join(ws, 'charts/recommender'),
      { recursive: true },
    );
    const ctx = await run(action, ws, {
      files: ['charts'],
      failOnViolation: false,
    });
    const { violations, notEvaluated } = outputs(ctx);
    // `cache.master.resource` is judged against the archive's own values: a near miss, not "not vendored".
    expect(
      violations
        .filter((v: any) => v.rule === 'helm-values-path')
        .map((v: any) => [v.file, v.path, v.hint]),
    ).toContainEqual([
      'charts/recommender/values.yaml',
      '/cache/master/resource/',
      'did you mean `cache.master.resources`?',
    ]);
    expect(
      notEvaluated.filter(
        (n: any) => n.feature === 'helm-dependency-not-vendored',
      ),
    ).toEqual([]);
  });

  it('fails the step when kustomize cannot run, instead of passing the unrendered overlay', async () => {
    const ws = workspaceWith({
      'out/base': 'overlay-base',
      'out/prod': 'overlay-prod',
    });
    const noKustomize = createValidateAction({
      ...actionOptions(),
      kustomize: path.join(ws, 'missing-kustomize'),
    });
    await expect(run(noKustomize, ws, { files: ['out'] })).rejects.toThrow(
      /^render: kustomize not found at .*missing-kustomize \(ENOENT\)/,
    );
  });

  it('reports without failing when failOnViolation is false', async () => {
    const ws = workspaceWith({ out: 'costCenter' });
    const ctx = await run(action, ws, {
      files: ['out/*.yaml'],
      failOnViolation: false,
    });
    expect(outputs(ctx).violations).toEqual([
      expect.objectContaining({
        rule: 'label-near-miss',
        file: 'out/inferenceservice.yaml',
        line: 8,
        path: '/metadata/labels/costCenter/',
      }),
    ]);
  });

  it('applies step conventions over the configured ones', async () => {
    const ws = workspaceWith({ out: 'good' });
    const ctx = await run(action, ws, {
      files: ['out'],
      conventions: { requiredLabels: ['team'] },
      failOnViolation: false,
    });
    expect(outputs(ctx).violations.map((v: any) => v.message)).toEqual([
      'required label `team` is missing',
      'required label `team` is missing',
    ]);
  });

  it.each([['../outside/*.yaml'], ['/etc/*.yaml'], ['out/../../x.yaml']])(
    'rejects %s: outside the workspace',
    async pattern => {
      const ws = workspaceWith({ out: 'good' });
      await expect(run(action, ws, { files: [pattern] })).rejects.toThrow(
        InputError,
      );
      await expect(
        run(action, ws, { files: ['out'], policies: pattern }),
      ).rejects.toThrow(/outside the workspace/);
    },
  );

  it('rejects a symbolic link that points outside the workspace', async () => {
    const ws = workspaceWith({ out: 'good' });
    fs.symlinkSync(
      path.join(__dirname, '../__fixtures__/costCenter/inferenceservice.yaml'),
      path.join(ws, 'out/link.yaml'),
    );
    await expect(run(action, ws, { files: ['out/*.yaml'] })).rejects.toThrow(
      /'out\/link.yaml' (is|links) outside the workspace/,
    );
  });

  it('rejects malformed YAML with file and line', async () => {
    const ws = workspaceWith({ out: 'good' });
    fs.writeFileSync(
      path.join(ws, 'out/bad.yaml'),
      'metadata:\n  labels:\n    a: b\n     c: d\n',
    );
    await expect(run(action, ws, { files: ['out'] })).rejects.toThrow(
      /malformed YAML: out\/bad\.yaml:3/,
    );
  });

  it('says when nothing matches', async () => {
    const ws = workspaceWith({ out: 'good' });
    await expect(
      run(action, ws, { files: ['nothing/*.yaml'] }),
    ).rejects.toThrow(/nothing matches/);
  });

  it('needs a configured cluster for clusterPolicies', async () => {
    const ws = workspaceWith({ out: 'good' });
    await expect(
      run(action, ws, { files: ['out'], clusterPolicies: true }),
    ).rejects.toThrow(/No cluster is configured/);
  });
});

describe('serving-health:validate examples, with the cluster read from the testenv', () => {
  jest.setTimeout(120_000);
  const env = useTestEnv({ scenario: 'healthy' });

  it.each(
    exampleInputs(examples).map(
      (input, i) => [examples[i].description, input] as const,
    ),
  )('%s', async (_d, input) => {
    const { url, caData, tokens } = env();
    const action = createValidateAction(
      actionOptions([
        {
          name: 'demo',
          url,
          caData,
          credentials: staticCredentials({ token: tokens.reader }),
        },
      ]),
    );
    const good = workspaceWith({ out: 'good', policies: 'policies' });
    const goodCtx = await run(action, good, input);
    expect(outputs(goodCtx).valid).toBe(true);

    const bad = workspaceWith({ out: 'costCenter', policies: 'policies' });
    const badCtx = createMockActionContext({ input, workspacePath: bad });
    const result = await action.handler(badCtx as any).then(
      () => 'completed',
      e => e.message,
    );
    expect(result === 'completed' ? 'completed' : 'step failed').toBe(
      input.failOnViolation === false ? 'completed' : 'step failed',
    );
    expect(outputs(badCtx as any).violations.map((v: any) => v.rule)).toEqual([
      'label-near-miss',
      'kyverno:require-labels/check-for-labels',
    ]);
  });
});
