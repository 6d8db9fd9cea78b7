/*
 * Differential test: every case of the generator (the package's fixtures plus seeded generated ones) is judged
 * by our evaluator and by Kyverno's own engine (tools/kyverno-diff, a Go program built from Kyverno's module),
 * and the two must agree: the status and failure path of a pattern, whether a rule's match/exclude selects a
 * resource, the result of conditions, a substitution, and every rule's status and message of a whole policy
 * (foreach, validate.cel). The binary is built by scripts/install.sh, never by this test.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import {
  ConditionCase,
  DifferentialCase,
  PatternCase,
  PolicyCase,
  SubstitutionCase,
  differentialCases,
} from '../__testUtils__/kyvernoDifferentialCases';
import { judgeConditions, judgeSubstitution } from './ruleValidation';
import { ruleMatches } from './match';
import { matchPattern } from './pattern';
import { evaluatePolicy } from './policy';

const toolDir = path.resolve(__dirname, '../../../../tools/kyverno-diff');
const binary = path.join(toolDir, 'bin/kyverno-diff');
const BUILD_HINT =
  'build it with `bash tools/kyverno-diff/build.sh` (scripts/install.sh does it too; the first build takes a few minutes)';

interface Verdict {
  status?: string;
  message?: string;
  value?: unknown;
  path?: string;
  matched?: boolean;
  rules?: Array<{ name: string; status: string; message?: string }>;
}

const isPatternCase = (c: DifferentialCase): c is PatternCase => 'pattern' in c;
const isConditionCase = (c: DifferentialCase): c is ConditionCase =>
  'conditions' in c;
const isSubstitutionCase = (c: DifferentialCase): c is SubstitutionCase =>
  'document' in c;
const isPolicyCase = (c: DifferentialCase): c is PolicyCase => 'policy' in c;

/** JSON with object keys sorted, as Go's encoder writes maps. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map(k => [k, sortedKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

function ours(c: DifferentialCase): Verdict {
  if (isPolicyCase(c)) {
    // Kyverno's response lists only the rules that select the resource.
    const rules = evaluatePolicy(c.policy, c.resource, {
      operation: 'CREATE',
    }).flatMap(o => {
      if (o.status === 'skip' && o.unreported) return [];
      if (o.status === 'notEvaluated')
        return [{ name: o.rule, status: `notEvaluated (${o.feature})` }];
      // As for conditions, Kyverno's error texts name its internals: the status of an error must agree.
      if (o.status === 'error') return [{ name: o.rule, status: o.status }];
      return [{ name: o.rule, status: o.status, message: o.message }];
    });
    return { rules };
  }
  if (isSubstitutionCase(c)) {
    const r = judgeSubstitution(c.context, c.document);
    return r.status === 'ok'
      ? { status: 'ok', value: sortedKeys(r.value) }
      : { status: r.status };
  }
  if (isConditionCase(c)) {
    const r = judgeConditions(c.context, c.conditions);
    // Kyverno's error texts name Go types and internals: the status is what must agree.
    return r.status === 'error' || r.status === 'notEvaluated'
      ? { status: r.status }
      : { status: r.status, message: r.message };
  }
  if (isPatternCase(c)) {
    const r = matchPattern(c.resource, c.pattern);
    return r.status === 'fail'
      ? { status: r.status, path: r.path }
      : { status: r.status };
  }
  // Kyverno sees the resource's own namespace, so ours gets that too (not policy.ts's default namespace).
  const d = ruleMatches(c.rule.match, c.rule.exclude, c.resource, {
    namespace:
      c.resource.kind === 'Namespace'
        ? ''
        : c.resource.metadata?.namespace ?? '',
    namespaceLabels: () => c.namespaceLabels,
    operation: c.operation,
  });
  return d.result === 'unknown'
    ? { status: `unknown (${d.feature})` }
    : { matched: d.result === 'yes' };
}

const show = (v: unknown) => JSON.stringify(v);

/** A case as kyverno-diff reads it. */
function oracleInput(c: DifferentialCase): Record<string, unknown> {
  if (isPolicyCase(c))
    return { id: c.id, policy: c.policy, resource: c.resource };
  if (isSubstitutionCase(c))
    return { id: c.id, document: c.document, context: c.context };
  if (isConditionCase(c))
    return { id: c.id, conditions: c.conditions, context: c.context };
  if (isPatternCase(c))
    return { id: c.id, pattern: c.pattern, resource: c.resource };
  return {
    id: c.id,
    rule: c.rule,
    resource: c.resource,
    namespaceLabels: c.namespaceLabels,
    operation: c.operation,
  };
}

/** What a disagreement shows of its case, besides the two verdicts. */
function describeCase(c: DifferentialCase): string[] {
  if (isPolicyCase(c))
    return [
      `  rules:    ${show(c.policy.spec?.rules)}`,
      `  resource: ${show(c.resource)}`,
    ];
  if (isSubstitutionCase(c))
    return [`  document: ${show(c.document)}`, `  context: ${show(c.context)}`];
  if (isConditionCase(c))
    return [
      `  conditions: ${show(c.conditions)}`,
      `  context: ${show(c.context)}`,
    ];
  if (isPatternCase(c))
    return [
      `  pattern:  ${show(c.pattern)}`,
      `  resource: ${show(c.resource)}`,
    ];
  return [
    `  rule:     ${show(c.rule)}`,
    `  nsLabels: ${show(c.namespaceLabels)}`,
    `  resource: ${show(c.resource)}`,
  ];
}

/** Kyverno's verdicts by case id, in the shape of ours; status `err: ...` when the oracle could not judge a case. */
function kyverno(cases: DifferentialCase[]): Map<string, Verdict> {
  const input = cases.map(c => JSON.stringify(oracleInput(c))).join('\n');
  const run = spawnSync(binary, {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error || run.status !== 0) {
    throw new Error(
      `${binary} failed (${run.error?.message ?? `exit ${run.status}`}): ${
        run.stderr
      }`,
    );
  }
  const verdicts = new Map<string, Verdict>();
  for (const line of run.stdout.split('\n')) {
    if (!line) continue;
    const v = JSON.parse(line);
    if (v.err) verdicts.set(v.id, { status: `err: ${v.err}` });
    else if (v.rules)
      verdicts.set(v.id, {
        rules: v.rules.map((r: Required<Verdict>['rules'][number]) =>
          r.status === 'error'
            ? { name: r.name, status: r.status }
            : { name: r.name, status: r.status, message: r.message ?? '' },
        ),
      });
    else if (v.matched !== undefined)
      verdicts.set(v.id, { matched: v.matched });
    else if (v.status === 'ok')
      verdicts.set(v.id, { status: 'ok', value: v.value ?? null });
    else if (v.status === 'true' || v.status === 'false')
      verdicts.set(v.id, { status: v.status, message: v.message ?? '' });
    else if (v.status === 'fail')
      verdicts.set(v.id, { status: v.status, path: v.path });
    else verdicts.set(v.id, { status: v.status });
  }
  return verdicts;
}

const kyvernoVersion = /github\.com\/kyverno\/kyverno (v\S+)/.exec(
  fs.readFileSync(path.join(toolDir, 'go.mod'), 'utf8'),
)?.[1];

describe(`differential test against Kyverno ${kyvernoVersion} (tools/kyverno-diff)`, () => {
  const cases = differentialCases();

  it('has the fixtures and at least 1,000 generated pairs of every kind', () => {
    const count = (prefix: string) =>
      cases.filter(c => c.id.startsWith(prefix)).length;
    expect(count('fixture-')).toBeGreaterThan(100);
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    for (const prefix of [
      'leaf-',
      'tree-',
      'meta-',
      'match-',
      'cond-',
      'subst-',
      'foreach-',
      'cel-',
    ]) {
      expect(count(prefix)).toBeGreaterThan(100);
    }
    expect(new Set(cases.map(c => c.id)).size).toBe(cases.length);
    // Seeded: the same cases on every run and machine.
    expect(differentialCases()).toEqual(cases);
  });

  it('agrees with Kyverno on every pair', () => {
    if (!fs.existsSync(binary)) {
      throw new Error(`Kyverno's engine is not built: ${BUILD_HINT}.`);
    }
    const built = fs.statSync(binary).mtimeMs;
    const stale = ['main.go', 'go.mod', 'go.sum'].filter(
      f => fs.statSync(path.join(toolDir, f)).mtimeMs > built,
    );
    if (stale.length) {
      throw new Error(
        `tools/kyverno-diff/bin/kyverno-diff is older than ${stale.join(
          ', ',
        )}: ${BUILD_HINT}.`,
      );
    }
    const theirs = kyverno(cases);
    expect(theirs.size).toBe(cases.length);
    const disagreements: string[] = [];
    const tally = new Map<string, { run: number; agree: number }>();
    for (const c of cases) {
      const o = ours(c);
      const k = theirs.get(c.id);
      const feature = c.id.split('-')[0];
      const t = tally.get(feature) ?? { run: 0, agree: 0 };
      tally.set(feature, t);
      t.run += 1;
      if (show(o) === show(k)) {
        t.agree += 1;
        continue;
      }
      disagreements.push(
        [
          `${c.id} (${c.source})`,
          ...describeCase(c),
          `  ours:     ${show(o)}`,
          `  kyverno:  ${show(k)}`,
        ].join('\n'),
      );
    }
    // eslint-disable-next-line no-console
    console.log(
      [...tally]
        .map(([f, t]) => `${f}: ${t.agree} of ${t.run} agree`)
        .join('\n'),
    );
    if (disagreements.length) {
      throw new Error(
        `${disagreements.length} of ${
          cases.length
        } pairs disagree with Kyverno:\n\n${disagreements.join('\n\n')}`,
      );
    }
  });
});
