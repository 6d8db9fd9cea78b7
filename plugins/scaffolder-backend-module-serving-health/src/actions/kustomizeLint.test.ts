import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { exampleInputs, workspaceWith } from '../__testUtils__/workspace';
import { createKustomizeLintAction } from './kustomizeLint';
import { examples } from './kustomizeLint.examples';

const outputs = (ctx: any) => Object.fromEntries(ctx.output.mock.calls);

describe('serving-health:kustomize-lint', () => {
  const action = createKustomizeLintAction();

  it('passes a $patch: delete that a kustomization applies as a patch', async () => {
    const ws = workspaceWith({
      'out/kustomization.yaml': 'kustomize/kustomization.yaml',
      'out/drop-explainer.yaml': 'kustomize/drop-explainer.yaml',
      'out/inferenceservice.yaml': 'kustomize/inferenceservice.yaml',
    });
    const ctx = createMockActionContext({
      input: { files: ['out'] },
      workspacePath: ws,
    });
    await action.handler(ctx as any);
    expect(outputs(ctx)).toEqual({ valid: true, violations: [] });
  });

  it('fails on a stray $patch: delete file, in dry-run mode too, saying what applying it would delete', async () => {
    const ws = workspaceWith({ out: 'kustomize' });
    for (const isDryRun of [false, true]) {
      const ctx = createMockActionContext({
        input: { files: ['out'] },
        workspacePath: ws,
        isDryRun,
      });
      await expect(action.handler(ctx as any)).rejects.toThrow(
        /out\/delete-crd\.yaml:5: kustomize-patch-delete: .*every inferenceservices object in the cluster/,
      );
      expect(outputs(ctx).violations).toEqual([
        expect.objectContaining({
          file: 'out/delete-crd.yaml',
          rule: 'kustomize-patch-delete',
          path: '/$patch/',
        }),
      ]);
    }
  });

  it('rejects paths outside the workspace', async () => {
    const ws = workspaceWith({ out: 'kustomize' });
    const ctx = createMockActionContext({
      input: { files: ['../*'] },
      workspacePath: ws,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /outside the workspace/,
    );
  });

  it.each(
    exampleInputs(examples).map(
      (input, i) => [examples[i].description, input] as const,
    ),
  )('example: %s', async (_d, input) => {
    const ws = workspaceWith({ out: 'kustomize' });
    const ctx = createMockActionContext({ input, workspacePath: ws });
    const result = await action.handler(ctx as any).then(
      () => 'completed',
      e => e.message,
    );
    expect(result === 'completed' ? 'completed' : 'step failed').toBe(
      input.failOnViolation === false ? 'completed' : 'step failed',
    );
    expect(outputs(ctx).violations.map((v: any) => v.rule)).toEqual([
      'kustomize-patch-delete',
    ]);
    expect(outputs(ctx).valid).toBe(false);
  });
});
