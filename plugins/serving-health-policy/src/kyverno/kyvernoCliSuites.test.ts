/*
 * Kyverno's own CLI test suites (test/cli/test in Kyverno's repository, at the version tools/kyverno-diff pins)
 * run with this evaluator. Every result the evaluator decides must agree with Kyverno's expected one; results
 * that need a cluster come back notEvaluated. The suites are read from the Go module cache, which the
 * kyverno-diff build (scripts/install.sh) fills.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import {
  KyvernoTestSuiteReport,
  loadKyvernoTestSuite,
  runKyvernoTestSuite,
} from './testSuite';

const toolDir = path.resolve(__dirname, '../../../../tools/kyverno-diff');

function suitesRoot(): string {
  const goMod = fs.readFileSync(path.join(toolDir, 'go.mod'), 'utf8');
  const version = /github\.com\/kyverno\/kyverno (v\S+)/.exec(goMod)?.[1];
  if (!version)
    throw new Error(`tools/kyverno-diff/go.mod pins no kyverno version`);
  const go = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' });
  const root = path.join(
    go.stdout.trim(),
    `github.com/kyverno/kyverno@${version}/test/cli/test`,
  );
  if (go.status !== 0 || !fs.existsSync(root)) {
    throw new Error(
      `Kyverno's CLI test suites are missing at ${root}: build tools/kyverno-diff (bash tools/kyverno-diff/build.sh, run by scripts/install.sh), which downloads the kyverno module`,
    );
  }
  return root;
}

/** The features a suite's policies use, as the report groups them. */
function features(policies: unknown[]): string[] {
  const text = JSON.stringify(policies);
  const out = new Set<string>();
  if (text.includes('"deny"')) out.add('deny');
  if (text.includes('"preconditions"')) out.add('preconditions');
  if (text.includes('"foreach"')) out.add('foreach');
  if (text.includes('{{')) out.add('variables');
  if (text.includes('"cel"') || text.includes('celPreconditions'))
    out.add('cel');
  if (text.includes('"context"')) out.add('context');
  if (!out.size) out.add('pattern');
  return [...out];
}

function runAll(): Array<{
  dir: string;
  report?: KyvernoTestSuiteReport;
  features: string[];
  error?: string;
}> {
  const root = suitesRoot();
  return fs
    .readdirSync(root)
    .filter(d => fs.existsSync(path.join(root, d, 'kyverno-test.yaml')))
    .map(dir => {
      const read = (p: string) =>
        fs.readFileSync(path.join(root, dir, p), 'utf8');
      try {
        const input = loadKyvernoTestSuite(read('kyverno-test.yaml'), read);
        return {
          dir,
          report: runKyvernoTestSuite(input),
          features: features(input.policies),
        };
      } catch (e) {
        return { dir, features: [], error: (e as Error).message };
      }
    });
}

/**
 * Results this evaluator decides differently, for a reason outside its scope: the suite's values declare a
 * subresource (`subresources`: PodExecOptions via pods/exec, Scale via deployments/scale), which the runner does not
 * model. Any other disagreement fails the test.
 */
const KNOWN_DIVERGENCES = [
  'exec-subresource: deny-exec-by-pod-label/deny-exec-by-label PodExecOptions default/execpod',
  'scale-subresource: enforce-replicas-for-scale-subresource/validate-nginx-test Scale default/nginx-test',
];

describe("Kyverno's CLI test suites", () => {
  it('agree with every result the evaluator decides', () => {
    const runs = runAll();
    const byFeature = new Map<
      string,
      { suites: number; results: number; agree: number; notEvaluated: number }
    >();
    for (const run of runs) {
      for (const f of run.features) {
        const acc = byFeature.get(f) ?? {
          suites: 0,
          results: 0,
          agree: 0,
          notEvaluated: 0,
        };
        acc.suites += 1;
        acc.results += run.report?.summary.total ?? 0;
        acc.agree += run.report?.summary.agree ?? 0;
        acc.notEvaluated += run.report?.summary.notEvaluated ?? 0;
        byFeature.set(f, acc);
      }
    }
    const disagreeing = runs.flatMap(r =>
      (r.report?.results ?? [])
        .filter(x => !x.agrees && x.actual !== 'notEvaluated')
        .map(x => ({
          id: `${r.dir}: ${x.policy}/${x.rule} ${x.kind} ${x.resource}`,
          detail: `expected ${x.expected}, got ${x.actual} (${x.message})`,
        })),
    );
    const disagreements = disagreeing.map(d => `${d.id}: ${d.detail}`);
    const sum = (f: (s: KyvernoTestSuiteReport['summary']) => number): number =>
      runs.reduce((n, r) => n + (r.report ? f(r.report.summary) : 0), 0);
    const unreadable = runs
      .filter(r => r.error)
      .map(r => `${r.dir}: ${r.error}`);
    // eslint-disable-next-line no-console
    console.log(
      [
        'feature        suites results agree notEvaluated',
        ...[...byFeature].map(
          ([f, a]) =>
            `${f.padEnd(14)} ${String(a.suites).padStart(6)} ${String(
              a.results,
            ).padStart(7)} ${String(a.agree).padStart(5)} ${String(
              a.notEvaluated,
            ).padStart(12)}`,
        ),
        `all: ${runs.length} suites, ${sum(r => r.total)} results, ${sum(
          r => r.agree,
        )} agree, ${sum(r => r.notEvaluated)} not evaluated, ${sum(
          r => r.notFound,
        )} not found`,
        `unreadable: ${unreadable.length}`,
        ...unreadable,
        `disagreements: ${disagreements.length}`,
        ...disagreements,
      ].join('\n'),
    );
    expect(unreadable).toEqual([]);
    expect(disagreeing.map(d => d.id)).toEqual(KNOWN_DIVERGENCES);
  });
});
