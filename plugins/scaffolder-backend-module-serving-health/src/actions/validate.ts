import {
  ClusterPolicyReadError,
  KustomizeRenderError,
  readClusterPolicies,
  renderKustomizations,
} from '@serving-health/plugin-serving-health-kube';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  conventionsFromObject,
  ConventionsFormatError,
  LabelConventions,
  loadPolicies,
  NotEvaluated,
  parseConventions,
  parseServingRules,
  PolicySource,
  RenderedKustomization,
  ServingRules,
  ServingRulesFormatError,
  summarizeReport,
  validateManifests,
  Violation,
} from '@serving-health/plugin-serving-health-policy';
import { resolveCluster, ServingHealthActionOptions } from '../options';
import { DEFAULT_MANIFEST_GLOBS, readWorkspaceFiles } from '../workspace';
import { examples } from './validate.examples';

/** The step's failure text: every violation on one line, the near misses named. */
export function violationsMessage(violations: Violation[], limit = 20): string {
  const lines = violations
    .slice(0, limit)
    .map(
      v =>
        `${v.file}${v.line ? `:${v.line}` : ''}: ${v.rule}: ${v.message}${
          v.hint ? ` (${v.hint})` : ''
        }`,
    );
  if (violations.length > limit)
    lines.push(`... and ${violations.length - limit} more`);
  return `${violations.length} violation(s) found before merge:\n${lines.join(
    '\n',
  )}`;
}

/** @public */
export function createValidateAction(options: ServingHealthActionOptions) {
  return createTemplateAction({
    id: 'serving-health:validate',
    description:
      'Validates the manifests in the workspace before they merge: label syntax as the API server checks it, the label conventions (required keys, key style, near misses such as costCenter for cost-center), Kyverno ClusterPolicy patterns from the workspace and/or the target cluster, and the serving rules (InferenceService resources and probes, Argo CD sync waves, Helm values paths) on what kustomize renders.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        files: z =>
          z
            .array(z.string(), {
              description: `Files, directories or globs inside the workspace (default ${DEFAULT_MANIFEST_GLOBS.join(
                ', ',
              )})`,
            })
            .optional(),
        policies: z =>
          z
            .string({
              description:
                'Workspace path (file or directory) of Kyverno ClusterPolicies / Policies to evaluate',
            })
            .optional(),
        clusterPolicies: z =>
          z
            .boolean({
              description:
                "Also evaluate the target cluster's Kyverno policies",
            })
            .optional(),
        cluster: z =>
          z
            .string({
              description:
                'Configured cluster to read policies from (default servingHealth.scaffolder.cluster)',
            })
            .optional(),
        conventions: z =>
          z
            .object(
              {
                requiredLabels: z.array(z.string()).optional(),
                keyStyle: z
                  .enum(['kebab-case', 'snake_case', 'camelCase', 'any'])
                  .optional(),
                exemptPrefixes: z.array(z.string()).optional(),
                kinds: z.array(z.string()).optional(),
              },
              {
                description:
                  'Label conventions for this step (default servingHealth.scaffolder.conventions)',
              },
            )
            .optional(),
        conventionsFile: z =>
          z
            .string({
              description:
                'Workspace path of a conventions file (YAML or JSON)',
            })
            .optional(),
        rulesFile: z =>
          z
            .string({
              description:
                'Workspace path of a serving rules file (inferenceServices.{components,requests,limits,probes}; default servingHealth.scaffolder.servingRules)',
            })
            .optional(),
        render: z =>
          z
            .boolean({
              description:
                'Render kustomizations with kustomize and judge what they render (default true)',
            })
            .optional(),
        defaultNamespace: z =>
          z
            .string({
              description:
                'Namespace of namespaced objects that name none (default `default`)',
            })
            .optional(),
        kustomizeLint: z =>
          z
            .boolean({
              description:
                'Also lint `$patch: delete` files (serving-health:kustomize-lint does it on its own)',
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
              resource: z.object({
                apiVersion: z.string().optional(),
                kind: z.string().optional(),
                namespace: z.string().optional(),
                name: z.string().optional(),
              }),
              rule: z.string(),
              severity: z.enum(['error', 'warning']),
              message: z.string(),
              path: z.string(),
              hint: z.string().optional(),
            }),
            { description: 'Violations, in the CLI JSON format' },
          ),
        notEvaluated: z =>
          z.array(z.record(z.any()), {
            description: 'Policy rules (or features) that were not evaluated',
          }),
        summary: z =>
          z.string({
            description: 'One line: resources, policies, errors, warnings',
          }),
      },
    },
    async handler(ctx) {
      const { input, workspacePath, logger } = ctx;
      const files = await readWorkspaceFiles(
        workspacePath,
        input.files ?? DEFAULT_MANIFEST_GLOBS,
        'files',
        // As the CLI does: a chart's vendored dependencies define the values given to them.
        { chartArchives: true },
      );
      if (files.length === 0) {
        throw new InputError(
          `files: nothing matches ${JSON.stringify(
            input.files ?? DEFAULT_MANIFEST_GLOBS,
          )} in the workspace`,
        );
      }

      let conventions: LabelConventions = options.conventions;
      try {
        if (input.conventionsFile) {
          const [file] = await readWorkspaceFiles(
            workspacePath,
            [input.conventionsFile],
            'conventionsFile',
          );
          if (!file)
            throw new InputError(
              `conventionsFile: '${input.conventionsFile}' not found in the workspace`,
            );
          conventions = parseConventions(file.content);
        }
        if (input.conventions)
          conventions = conventionsFromObject({
            ...conventions,
            ...input.conventions,
          });
      } catch (e) {
        if (e instanceof ConventionsFormatError)
          throw new InputError(`conventions: ${e.message}`);
        throw e;
      }

      let servingRules: ServingRules = options.servingRules;
      if (input.rulesFile) {
        const [file] = await readWorkspaceFiles(
          workspacePath,
          [input.rulesFile],
          'rulesFile',
        );
        if (!file)
          throw new InputError(
            `rulesFile: '${input.rulesFile}' not found in the workspace`,
          );
        try {
          servingRules = parseServingRules(file.content);
        } catch (e) {
          if (e instanceof ServingRulesFormatError)
            throw new InputError(`rulesFile: ${e.message}`);
          throw e;
        }
      }
      let rendered: RenderedKustomization[] = [];
      if (input.render !== false) {
        try {
          rendered = await renderKustomizations({
            files,
            root: workspacePath,
            kustomize: options.kustomize,
          });
        } catch (e) {
          // Unrendered overlays are unjudged overlays: the step fails rather than pass them.
          if (e instanceof KustomizeRenderError)
            throw new Error(`render: ${e.message}`);
          throw e;
        }
      }

      const policies: PolicySource[] = [];
      const notEvaluated: NotEvaluated[] = [];
      let namespaceLabels: Record<string, Record<string, string>> = {};
      if (input.policies) {
        const policyFiles = await readWorkspaceFiles(
          workspacePath,
          [input.policies],
          'policies',
        );
        if (policyFiles.length === 0)
          throw new InputError(
            `policies: nothing found at '${input.policies}'`,
          );
        const loaded = loadPolicies(policyFiles);
        if (loaded.errors.length) {
          const e = loaded.errors[0];
          throw new InputError(
            `policies: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`,
          );
        }
        policies.push(...loaded.policies);
        notEvaluated.push(...loaded.notEvaluated);
      }
      if (input.clusterPolicies) {
        const connection = await resolveCluster(options, input.cluster);
        try {
          const fromCluster = await readClusterPolicies(
            options.createClient(connection),
          );
          policies.push(...fromCluster.policies);
          notEvaluated.push(...fromCluster.notEvaluated);
          namespaceLabels = fromCluster.namespaceLabels;
        } catch (e) {
          if (e instanceof ClusterPolicyReadError)
            throw new Error(`clusterPolicies: ${e.message}`);
          throw e;
        }
      }

      const report = validateManifests({
        files,
        policies,
        conventions,
        defaultNamespace: input.defaultNamespace,
        namespaceLabels,
        kustomizeLint: input.kustomizeLint ?? false,
        servingRules,
        rendered,
      });
      if (report.errors.length) {
        throw new InputError(
          `malformed YAML: ${report.errors
            .map(
              e =>
                `${e.file}${e.line ? `:${e.line}` : ''}${
                  e.column ? `:${e.column}` : ''
                }: ${e.message}`,
            )
            .join('; ')}`,
        );
      }
      report.notEvaluated.unshift(...notEvaluated);

      const summary = summarizeReport(report);
      logger.info(`serving-health:validate ${summary}`);
      for (const v of report.violations) {
        logger[v.severity === 'error' ? 'error' : 'warn'](
          `${v.file}${v.line ? `:${v.line}` : ''}: ${v.rule}: ${v.message}${
            v.hint ? ` (${v.hint})` : ''
          }`,
        );
      }
      for (const n of report.notEvaluated) {
        logger.warn(
          `not evaluated: ${n.policy ?? n.file ?? ''}${
            n.rule ? `/${n.rule}` : ''
          } (${n.feature}): ${n.reason}`,
        );
      }

      ctx.output('valid', report.violations.length === 0);
      ctx.output('violations', report.violations as any);
      ctx.output('notEvaluated', report.notEvaluated as any);
      ctx.output('summary', summary);

      if (report.violations.length && input.failOnViolation !== false) {
        throw new Error(violationsMessage(report.violations));
      }
    },
  });
}
