import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { lintKustomize } from '@serving-health/plugin-serving-health-policy';
import {
  DEFAULT_MANIFEST_GLOBS,
  readWorkspaceFiles,
  parseWorkspaceManifests,
} from '../workspace';
import { examples } from './kustomizeLint.examples';
import { violationsMessage } from './validate';

/** @public */
export function createKustomizeLintAction() {
  return createTemplateAction({
    id: 'serving-health:kustomize-lint',
    description:
      'Fails when a file with `$patch: delete` is not referenced as a patch by a kustomization in the workspace, or is listed as a resource: applied directly it deletes the live object (a CRD takes every custom resource of its type with it).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        files: z =>
          z
            .array(z.string(), {
              description: `Files, directories or globs inside the workspace, kustomizations included (default ${DEFAULT_MANIFEST_GLOBS.join(
                ', ',
              )})`,
            })
            .optional(),
        failOnViolation: z =>
          z
            .boolean({
              description:
                'Fail the step when a violation is found (default true)',
            })
            .optional(),
      },
      output: {
        valid: z =>
          z.boolean({ description: 'True when no violation was found' }),
        violations: z =>
          z.array(
            z.object({
              file: z.string(),
              line: z.number().optional(),
              resource: z.record(z.string()),
              rule: z.string(),
              severity: z.string(),
              message: z.string(),
              path: z.string(),
            }),
            { description: 'Violations, in the CLI JSON format' },
          ),
      },
    },
    async handler(ctx) {
      const files = await readWorkspaceFiles(
        ctx.workspacePath,
        ctx.input.files ?? DEFAULT_MANIFEST_GLOBS,
        'files',
      );
      const documents = parseWorkspaceManifests(files);
      const violations = lintKustomize(documents);
      ctx.logger.info(
        `serving-health:kustomize-lint ${files.length} file(s), ${violations.length} violation(s)`,
      );
      for (const v of violations)
        ctx.logger.error(`${v.file}:${v.line}: ${v.rule}: ${v.message}`);
      ctx.output('valid', violations.length === 0);
      ctx.output('violations', violations as any);
      if (violations.length && ctx.input.failOnViolation !== false) {
        throw new Error(violationsMessage(violations));
      }
    },
  });
}
