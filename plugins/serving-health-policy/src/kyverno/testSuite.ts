/*
 * Kyverno CLI test suites (`kyverno-test.yaml`) run with this package's evaluator: what `kyverno test <dir>`
 * checks, as pure functions. A suite names policy and resource files and the expected result of each
 * (policy, rule, resource); the runner evaluates every pair and compares. Files are read through a callback,
 * so the same code runs in the CLI (disk), in tests and wherever no file system exists.
 */
import { InputError } from '@backstage/errors';
import { parseManifests } from '../manifests';
import { KubeObject } from '../types';
import { setVariable } from './variables';
import {
  AdmissionOperation,
  evaluatePolicy,
  isKyvernoPolicy,
  RuleOutcome,
} from './policy';

/** @public */
export type KyvernoTestResultStatus =
  | 'pass'
  | 'fail'
  | 'skip'
  | 'warn'
  | 'error';

/**
 * One expected result of a suite, normalized from both formats (`cli.kyverno.io/v1alpha1` Test and the older
 * un-versioned file with `status`, `resource` and `namespace`).
 *
 * @public
 */
export interface KyvernoTestExpectation {
  policy: string;
  /** Absent for ValidatingPolicies / ValidatingAdmissionPolicies, whose results are not per rule. */
  rule?: string;
  kind: string;
  /** Resource names, `<name>` or `<namespace>/<name>`. */
  resources: string[];
  result: KyvernoTestResultStatus;
}

/**
 * A parsed `kyverno-test.yaml`. Paths are relative to the suite's directory.
 *
 * @public
 */
export interface KyvernoTestDefinition {
  name: string;
  policies: string[];
  resources: string[];
  /** Path of the values file (`kind: Values`). */
  variables?: string;
  /** Path of the user-info file; rules reading `request.userInfo` cannot be judged without it. */
  userInfo?: string;
  results: KyvernoTestExpectation[];
}

/**
 * A values file (`kind: Values`) or a Test's inline `values`: what the Kyverno CLI substitutes for context
 * entries and variables it cannot resolve offline.
 *
 * @public
 */
export interface KyvernoTestValues {
  globalValues?: Record<string, unknown>;
  policies?: Array<{
    name: string;
    rules?: Array<{ name: string; values?: Record<string, unknown> }>;
    resources?: Array<{ name: string; values?: Record<string, unknown> }>;
  }>;
  namespaceSelector?: Array<{ name: string; labels: Record<string, string> }>;
}

/** @public */
export interface KyvernoTestSuiteInput {
  test: KyvernoTestDefinition;
  policies: KubeObject[];
  resources: KubeObject[];
  values?: KyvernoTestValues;
}

/**
 * The verdict on one expected result for one resource. `actual` is what this evaluator decided:
 * `notEvaluated` when a rule needs what only Kyverno has (a cluster, the registry), `notFound` when the
 * suite names a policy, rule or resource its files do not hold.
 *
 * @public
 */
export interface KyvernoTestResultRow {
  policy: string;
  rule: string;
  kind: string;
  resource: string;
  expected: KyvernoTestResultStatus;
  actual: KyvernoTestResultStatus | 'notEvaluated' | 'notFound';
  agrees: boolean;
  /** The evaluator's message, or why the result could not be decided. */
  message: string;
}

/** @public */
export interface KyvernoTestSuiteReport {
  name: string;
  results: KyvernoTestResultRow[];
  summary: {
    total: number;
    agree: number;
    disagree: number;
    notEvaluated: number;
    notFound: number;
  };
}

const STATUSES: KyvernoTestResultStatus[] = [
  'pass',
  'fail',
  'skip',
  'warn',
  'error',
];

const asRecord = (v: unknown): Record<string, any> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, any>)
    : undefined;

const stringList = (v: unknown, field: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some(s => typeof s !== 'string'))
    throw new InputError(`${field} must be a list of strings`);
  return v;
};

/** The first YAML document of a file as a mapping; a syntax error is an InputError naming file and line. */
function firstDocument(
  text: string,
  file: string,
): Record<string, any> | undefined {
  const parsed = parseManifests(text, file);
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    throw new InputError(`${file}:${e.line}: ${e.message}`);
  }
  return asRecord(parsed.documents[0]?.data);
}

/**
 * Parses a `kyverno-test.yaml` (either format) into a {@link KyvernoTestDefinition}.
 *
 * @public
 */
export function parseKyvernoTest(
  text: string,
  file = 'kyverno-test.yaml',
): KyvernoTestDefinition {
  const doc = firstDocument(text, file);
  if (!doc) throw new InputError(`${file} holds no test definition`);
  if (doc.apiVersion !== undefined && doc.kind !== 'Test') {
    throw new InputError(
      `${file}: kind is ${JSON.stringify(doc.kind)}, expected Test`,
    );
  }
  const results = (Array.isArray(doc.results) ? doc.results : []).map(
    (raw: unknown, i: number): KyvernoTestExpectation => {
      const r = asRecord(raw);
      const at = `${file}: results[${i}]`;
      if (!r) throw new InputError(`${at} must be a mapping`);
      const result = r.result ?? r.status;
      if (!STATUSES.includes(result))
        throw new InputError(
          `${at}.result must be one of ${STATUSES.join(
            ', ',
          )}, got ${JSON.stringify(result)}`,
        );
      if (typeof r.policy !== 'string' || !r.policy)
        throw new InputError(`${at}.policy is missing`);
      const names = r.resources
        ? stringList(r.resources, `${at}.resources`)
        : [r.resource].filter((n): n is string => typeof n === 'string');
      if (!names.length) throw new InputError(`${at} names no resource`);
      // The deprecated `namespace` field qualifies the policy and resources; the new format writes `<ns>/<name>`.
      const ns =
        typeof r.namespace === 'string' && r.namespace ? r.namespace : '';
      const qualify = (n: string) =>
        ns && !n.includes('/') ? `${ns}/${n}` : n;
      return {
        policy: qualify(r.policy),
        ...(typeof r.rule === 'string' && r.rule ? { rule: r.rule } : {}),
        kind: typeof r.kind === 'string' ? r.kind : '',
        resources: names.map(qualify),
        result,
      };
    },
  );
  const optionalPath = (v: unknown) =>
    typeof v === 'string' && v ? v : undefined;
  return {
    name: optionalPath(doc.metadata?.name) ?? optionalPath(doc.name) ?? file,
    policies: stringList(doc.policies, `${file}: policies`),
    resources: stringList(doc.resources, `${file}: resources`),
    ...(optionalPath(doc.variables)
      ? { variables: optionalPath(doc.variables) }
      : {}),
    ...(optionalPath(doc.userinfo)
      ? { userInfo: optionalPath(doc.userinfo) }
      : {}),
    results,
  };
}

/**
 * Parses a values file (`kind: Values`, or the older file without apiVersion).
 *
 * @public
 */
export function parseKyvernoValues(
  text: string,
  file = 'values.yaml',
): KyvernoTestValues {
  const doc = firstDocument(text, file) ?? {};
  return {
    globalValues: asRecord(doc.globalValues),
    policies: Array.isArray(doc.policies) ? doc.policies : [],
    namespaceSelector: Array.isArray(doc.namespaceSelector)
      ? doc.namespaceSelector
      : [],
  };
}

const qualifiedName = (o: KubeObject) =>
  o.metadata?.namespace
    ? `${o.metadata.namespace}/${o.metadata.name}`
    : o.metadata?.name ?? '';

/** Kyverno's CLI names a result's resource `<name>` or `<namespace>/<name>`. */
const resourceIs = (o: KubeObject, name: string) =>
  o.metadata?.name === name || qualifiedName(o) === name;

/** A rule outcome counts for an expected rule also when it is one of the rules Kyverno generated from it. */
const ruleIs = (outcome: string, rule: string) =>
  outcome === rule ||
  outcome === `autogen-${rule}` ||
  outcome === `autogen-cronjob-${rule}`;

/** The variables the values file gives for one (policy, rule, resource): global, then per resource, then per rule. */
function valuesFor(
  values: KyvernoTestValues | undefined,
  policy: string,
  rule: string,
  resource: KubeObject,
): Record<string, unknown> {
  // A values file may list the same policy more than once: every entry counts.
  const entries = values?.policies?.filter(x => x.name === policy) ?? [];
  const byResource = entries.flatMap(
    p => p.resources?.filter(r => resourceIs(resource, r.name)) ?? [],
  );
  const byRule = entries.flatMap(
    p => p.rules?.filter(r => ruleIs(rule, r.name)) ?? [],
  );
  return {
    ...(values?.globalValues ?? {}),
    ...Object.assign({}, ...byResource.map(r => r.values ?? {})),
    ...Object.assign({}, ...byRule.map(r => r.values ?? {})),
  };
}

/**
 * The resource as Kyverno's CLI sees it: values that set fields of `request.object` (an annotation, a label)
 * change the resource itself, so matching sees them too.
 */
function withValues(
  resource: KubeObject,
  variables: Record<string, unknown>,
): KubeObject {
  const names = Object.keys(variables).filter(n =>
    n.startsWith('request.object.'),
  );
  if (!names.length) return resource;
  const ctx = { request: { object: structuredClone(resource) } };
  for (const name of names) setVariable(ctx, name, variables[name]);
  return ctx.request.object;
}

/** The admission request a suite's values describe (`request.operation`, `request.oldObject`); CREATE by default. */
function admissionOperation(
  variables: Record<string, unknown>,
): AdmissionOperation {
  const operation = variables['request.operation'];
  const oldObject = asRecord(variables['request.oldObject']);
  if (operation === 'UPDATE' && oldObject)
    return { operation: 'UPDATE', oldObject: oldObject as KubeObject };
  if (operation === 'DELETE') return { operation: 'DELETE' };
  return { operation: 'CREATE' };
}

function verdict(outcome: RuleOutcome): {
  actual: KyvernoTestResultRow['actual'];
  message: string;
} {
  if (outcome.status === 'notEvaluated')
    return {
      actual: 'notEvaluated',
      message: `${outcome.feature}: ${outcome.reason}`,
    };
  return { actual: outcome.status, message: outcome.message };
}

/**
 * Runs one suite: every expected result against what {@link evaluatePolicy} decides for the named policy,
 * rule (auto-generated `autogen-<rule>` / `autogen-cronjob-<rule>` included) and resource, as an admission
 * CREATE unless the values set `request.operation`. A rule that does not apply to a resource is `skip`.
 *
 * @public
 */
export function runKyvernoTestSuite(
  input: KyvernoTestSuiteInput,
): KyvernoTestSuiteReport {
  const policies = input.policies.filter(isKyvernoPolicy);
  const namespaceLabels = (ns: string) =>
    input.values?.namespaceSelector?.find(s => s.name === ns)?.labels;
  const rows: KyvernoTestResultRow[] = [];
  for (const expectation of input.test.results) {
    const policy = policies.find(p => qualifiedName(p) === expectation.policy);
    for (const name of expectation.resources) {
      const base = {
        policy: expectation.policy,
        rule: expectation.rule ?? '',
        kind: expectation.kind,
        resource: name,
        expected: expectation.result,
      };
      const resources = input.resources.filter(
        r => r.kind === expectation.kind && resourceIs(r, name),
      );
      if (!policy || !resources.length) {
        rows.push({
          ...base,
          actual: 'notFound',
          agrees: false,
          message: !policy
            ? `policy ${expectation.policy} is not in the suite's policy files`
            : `${expectation.kind} ${name} is not in the suite's resource files`,
        });
        continue;
      }
      for (const resource of resources) {
        const variables = valuesFor(
          input.values,
          expectation.policy,
          expectation.rule ?? '',
          resource,
        );
        const outcomes = evaluatePolicy(
          policy,
          withValues(resource, variables),
          {
            ...admissionOperation(variables),
            namespaceLabels,
            variables: (rule: string) =>
              valuesFor(input.values, expectation.policy, rule, resource),
          },
        ).filter(
          o =>
            expectation.rule === undefined || ruleIs(o.rule, expectation.rule),
        );
        if (!outcomes.length) {
          rows.push({
            ...base,
            actual: 'notFound',
            agrees: false,
            message: `policy ${expectation.policy} has no rule ${expectation.rule}`,
          });
          continue;
        }
        // Kyverno reports nothing for rules that do not select the resource, and its CLI counts that as skip.
        const applied = outcomes.filter(
          o => o.status !== 'skip' || !o.unreported,
        );
        if (!applied.length) {
          rows.push({
            ...base,
            actual: 'skip',
            agrees: expectation.result === 'skip',
            message: verdict(outcomes[0]).message,
          });
          continue;
        }
        // Kyverno reports a failure of a policy annotated `policies.kyverno.io/scored: "false"` as warn.
        const unscored =
          policy.metadata.annotations?.['policies.kyverno.io/scored'] ===
          'false';
        for (const outcome of applied) {
          const v = verdict(outcome);
          const actual = unscored && v.actual === 'fail' ? 'warn' : v.actual;
          const { message } = v;
          rows.push({
            ...base,
            rule: outcome.rule,
            actual,
            agrees: actual === expectation.result,
            message,
          });
        }
      }
    }
  }
  const count = (f: (r: KyvernoTestResultRow) => boolean) =>
    rows.filter(f).length;
  return {
    name: input.test.name,
    results: rows,
    summary: {
      total: rows.length,
      agree: count(r => r.agrees),
      disagree: count(
        r =>
          !r.agrees && r.actual !== 'notEvaluated' && r.actual !== 'notFound',
      ),
      notEvaluated: count(r => r.actual === 'notEvaluated'),
      notFound: count(r => r.actual === 'notFound'),
    },
  };
}

/**
 * Reads a suite through `readFile` (paths relative to the suite's directory, `/`-separated) and returns the
 * runner's input. A file that cannot be read or parsed is an InputError naming it.
 *
 * @public
 */
export function loadKyvernoTestSuite(
  testFileText: string,
  readFile: (relativePath: string) => string,
): KyvernoTestSuiteInput {
  const test = parseKyvernoTest(testFileText);
  const objects = (paths: string[]) =>
    paths.flatMap(p => {
      let text: string;
      try {
        text = readFile(p);
      } catch (e) {
        throw new InputError(
          `${test.name}: cannot read ${p}: ${(e as Error).message}`,
        );
      }
      const parsed = parseManifests(text, p);
      if (parsed.errors.length)
        throw new InputError(
          `${p}:${parsed.errors[0].line}: ${parsed.errors[0].message}`,
        );
      return parsed.documents
        .map(d => d.data)
        .filter((d): d is KubeObject => !!asRecord(asRecord(d)?.metadata));
    });
  return {
    test,
    policies: objects(test.policies),
    resources: objects(test.resources),
    ...(test.variables
      ? {
          values: parseKyvernoValues(readFile(test.variables), test.variables),
        }
      : {}),
  };
}
