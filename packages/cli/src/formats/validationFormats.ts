import {
  ValidationReport,
  Violation,
} from '@serving-health/plugin-serving-health-policy';
import { JUnitSuite, toJUnit } from './junit';
import { SarifRule, toSarif } from './sarif';

/** What each rule id means, for code scanning's rule list. */
const RULE_DESCRIPTIONS: Record<string, string> = {
  'label-key-syntax': 'Label keys as the Kubernetes API server validates them',
  'label-value-syntax': 'Label values as the Kubernetes API server validates them',
  'label-required': 'Labels the conventions require',
  'label-key-style': 'Label key style of the conventions',
  'label-near-miss': 'A label key that nearly matches a required one (costCenter for cost-center)',
  'kustomize-patch-delete': 'A `$patch: delete` file that would delete live objects when applied directly',
  'argocd-sync-order': 'Kyverno and KServe Applications sync in an earlier wave than the Applications that depend on them',
  'helm-values-path': 'Helm values whose keys the chart and its dependencies do not define (silently ignored)',
  'inferenceservice-resources': 'InferenceService predictor and transformer containers set resource requests and limits',
  'inferenceservice-probes': 'InferenceService predictor and transformer containers set the probes the repository requires',
};

const RENDERED = / \(kustomize build\)$/;

/** A finding in a rendered kustomization points at its kustomization.yaml: the rendered stream is no file. */
function location(v: Violation): { file: string; line?: number } {
  if (RENDERED.test(v.file))
    return { file: `${v.file.replace(RENDERED, '')}/kustomization.yaml` };
  return { file: v.file, line: v.line };
}

const text = (v: Violation) => `${v.message}${v.hint ? ` (hint: ${v.hint})` : ''}`;

export function validationSarif(report: ValidationReport) {
  const ids = [...new Set(report.violations.map(v => v.rule))].sort();
  const rules: SarifRule[] = ids.map(id => ({
    id,
    description:
      RULE_DESCRIPTIONS[id] ??
      (id.startsWith('kyverno:') ? `Kyverno policy rule ${id.slice(8)}` : id),
  }));
  return JSON.stringify(
    toSarif(
      'validate',
      rules,
      [
        ...report.violations.map(v => ({
          ruleId: v.rule,
          level: v.severity,
          message: `${text(v)} [${v.resource.kind ?? '?'} ${v.resource.name ?? '?'}${v.file !== location(v).file ? `, rendered by kustomize` : ''}]`,
          ...location(v),
        })),
        ...report.errors.map(e => ({
          ruleId: 'malformed-yaml',
          level: 'error' as const,
          message: e.message,
          file: e.file,
          line: e.line,
        })),
      ],
    ),
    null,
    2,
  );
}

/** One test case per file validated (and per rendered kustomization): failed when a rule found something there. */
export function validationJUnit(report: ValidationReport, files: string[]) {
  const names = [
    ...new Set([
      ...files,
      ...report.violations.map(v => v.file),
      ...report.errors.map(e => e.file),
    ]),
  ];
  const suite: JUnitSuite = {
    name: 'serving-health validate',
    cases: names.map(file => {
      const violations = report.violations.filter(v => v.file === file);
      const errors = report.errors.filter(e => e.file === file);
      return {
        name: file,
        classname: 'serving-health.validate',
        ...(violations.length
          ? {
              failure: {
                message: [...new Set(violations.map(v => v.rule))].join(', '),
                text: violations
                  .map(v => `${v.file}${v.line ? `:${v.line}` : ''}: ${v.severity} ${v.rule}: ${text(v)}`)
                  .join('\n'),
              },
            }
          : {}),
        ...(errors.length
          ? {
              error: {
                message: 'malformed YAML',
                text: errors.map(e => `${e.file}:${e.line ?? '?'}: ${e.message}`).join('\n'),
              },
            }
          : {}),
      };
    }),
  };
  return toJUnit('serving-health validate', [suite]);
}
