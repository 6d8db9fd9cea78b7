import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { servingHealthManifestsValidatePermission } from '@serving-health/plugin-serving-health-common';
import {
  loadPolicies,
  validateManifests,
} from '@serving-health/plugin-serving-health-policy';

/**
 * `validate-serving-health-manifests`: the pre-merge rules (label syntax and conventions, Kyverno policies among
 * the files, kustomize lint) on manifests an assistant is about to propose. Reads and writes nothing; the caller
 * needs `servingHealth.manifests.validate`.
 */
export function registerValidateManifestsAction(options: {
  actionsRegistry: ActionsRegistryService;
  permissions: PermissionsService;
}) {
  options.actionsRegistry.register({
    name: 'validate-serving-health-manifests',
    title: 'Validate Kubernetes manifests and labels before merge',
    description:
      'Checks Kubernetes YAML manifests as the Serving Health CLI does: label syntax as Kubernetes validates it, the ' +
      'label conventions (required owner and cost-center, kebab-case keys, near misses such as costCenter), the ' +
      'Kyverno ClusterPolicies among the files, and kustomize $patch: delete files. Returns the violations.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          files: z
            .array(
              z.object({
                path: z.string().describe('File path, e.g. deploy/isvc.yaml'),
                content: z.string().max(1_000_000).describe('YAML text'),
              }),
            )
            .min(1)
            .max(200),
        }),
      output: z =>
        z.object({
          clean: z.boolean().describe('True when no violation was found'),
          violations: z.array(
            z.object({
              rule: z.string(),
              severity: z.string(),
              message: z.string(),
              file: z.string(),
              line: z.number().optional(),
              path: z.string().describe('Failure path, Kyverno style'),
              resource: z.string().describe('kind namespace/name'),
              hint: z.string().optional(),
            }),
          ),
          errors: z.array(z.string()).describe('Malformed input'),
          notEvaluated: z.array(z.string()),
        }),
    },
    async action({ input, credentials }) {
      const [decision] = await options.permissions.authorize(
        [{ permission: servingHealthManifestsValidatePermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Not allowed to validate manifests: ${servingHealthManifestsValidatePermission.name} is not granted`,
        );
      }
      const { policies, notEvaluated, errors } = loadPolicies(input.files);
      const report = validateManifests({ files: input.files, policies });
      const violations = report.violations.map(v => ({
        rule: v.rule,
        severity: v.severity,
        message: v.message,
        file: v.file,
        ...(v.line ? { line: v.line } : {}),
        path: v.path,
        resource: `${v.resource.kind ?? '?'} ${[
          v.resource.namespace,
          v.resource.name,
        ]
          .filter(Boolean)
          .join('/')}`,
        ...(v.hint ? { hint: v.hint } : {}),
      }));
      return {
        output: {
          clean: violations.length === 0 && report.errors.length === 0,
          violations,
          errors: [...errors, ...report.errors].map(
            e => `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`,
          ),
          notEvaluated: [...notEvaluated, ...report.notEvaluated].map(
            n => n.reason,
          ),
        },
      };
    },
  });
}
