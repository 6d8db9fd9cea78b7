import fs from 'node:fs';
import path from 'node:path';
import { isError, toError } from '@backstage/errors';
import { Command, Option } from 'commander';
import {
  KyvernoTestSuiteReport,
  loadKyvernoTestSuite,
  policiesWithoutFailingCase,
  runKyvernoTestSuite,
} from '@serving-health/plugin-serving-health-policy';
import { EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS } from '../exitCodes';
import { testJUnit, testSarif } from '../formats/testFormats';
import { writeReportFiles } from '../formats/writeReportFiles';

/** A suite that cannot be found, read or parsed: exit 2. */
export class TestUsageError extends Error {}

export interface TestCommandOptions {
  paths: string[];
  output?: 'json' | 'text';
  sarif?: string;
  junit?: string;
  /** Base for relative paths (default: the directory the user ran `yarn serving-health` from). */
  cwd?: string;
}

/** One kyverno-test.yaml run: the runner's report, and the policies it tests without a failing case. */
export interface SuiteRun {
  /** Path of the kyverno-test.yaml as the user names it. */
  file: string;
  report: KyvernoTestSuiteReport;
  withoutFailingCase: string[];
}

const SUITE_FILE = 'kyverno-test.yaml';

const display = (abs: string, cwd: string) => {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel.split(path.sep).join('/') : abs;
};

/** Every kyverno-test.yaml under the paths (a path may also name the file itself). */
export function findSuites(paths: string[], cwd: string): string[] {
  const found: string[] = [];
  const walk = (abs: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      throw new TestUsageError(
        `cannot read ${display(abs, cwd)}: ${toError(e).message}`,
      );
    }
    if (stat.isFile()) {
      if (explicit || path.basename(abs) === SUITE_FILE) found.push(abs);
      return;
    }
    for (const entry of fs.readdirSync(abs).sort()) {
      if (entry.startsWith('.') || entry === 'node_modules') continue;
      walk(path.join(abs, entry), false);
    }
  };
  for (const p of paths) walk(path.resolve(cwd, p), true);
  return found;
}

export function runSuite(abs: string, cwd: string): SuiteRun {
  const file = display(abs, cwd);
  const dir = path.dirname(abs);
  try {
    const input = loadKyvernoTestSuite(fs.readFileSync(abs, 'utf8'), rel =>
      fs.readFileSync(path.resolve(dir, rel), 'utf8'),
    );
    const report = runKyvernoTestSuite(input);
    const names = input.policies
      .map(p => p.metadata?.name)
      .filter((n): n is string => typeof n === 'string');
    return {
      file,
      report,
      withoutFailingCase: policiesWithoutFailingCase(input.test, names),
    };
  } catch (e) {
    throw new TestUsageError(
      `${file}: ${isError(e) ? e.message : String(e)}`,
    );
  }
}

const suitePassed = (s: SuiteRun) =>
  s.report.summary.agree === s.report.summary.total &&
  s.withoutFailingCase.length === 0;

export function formatTestText(runs: SuiteRun[]): string {
  const out: string[] = [];
  for (const run of runs) {
    const { summary } = run.report;
    out.push(
      `${suitePassed(run) ? 'PASS' : 'FAIL'} ${run.file} (${run.report.name}): ${summary.agree}/${summary.total} as expected`,
    );
    for (const r of run.report.results.filter(x => !x.agrees)) {
      out.push(
        `  ${r.policy}/${r.rule} ${r.kind} ${r.resource}: expected ${r.expected}, got ${r.actual}: ${r.message}`,
      );
    }
    for (const p of run.withoutFailingCase) {
      out.push(
        `  ${p}: no failing case; add a resource the policy must reject (result: fail)`,
      );
    }
  }
  const failed = runs.filter(r => !suitePassed(r)).length;
  out.push(`${runs.length} suite(s): ${runs.length - failed} passed, ${failed} failed`);
  return out.join('\n');
}

export function runTestCommand(opts: TestCommandOptions): {
  code: number;
  stdout: string;
  runs: SuiteRun[];
} {
  const cwd = opts.cwd ?? process.env.INIT_CWD ?? process.cwd();
  if (!opts.paths?.length)
    throw new TestUsageError('give at least one directory of test suites');
  const suites = findSuites(opts.paths, cwd);
  if (!suites.length)
    throw new TestUsageError(
      `no ${SUITE_FILE} under ${opts.paths.join(', ')}: nothing was tested`,
    );
  const runs = suites.map(s => runSuite(s, cwd));
  writeReportFiles(
    { cwd, sarif: opts.sarif, junit: opts.junit },
    { sarif: () => testSarif(runs), junit: () => testJUnit(runs) },
    TestUsageError,
  );
  const stdout =
    opts.output === 'json'
      ? JSON.stringify(
          runs.map(r => ({
            file: r.file,
            name: r.report.name,
            passed: suitePassed(r),
            summary: r.report.summary,
            results: r.report.results,
            policiesWithoutFailingCase: r.withoutFailingCase,
          })),
          null,
          2,
        )
      : formatTestText(runs);
  return {
    code: runs.every(suitePassed) ? EXIT_CLEAN : EXIT_FINDINGS,
    stdout,
    runs,
  };
}

export function registerTestCommand(program: Command) {
  program
    .command('test')
    .description(
      "Run Kyverno CLI test suites (kyverno-test.yaml) with Serving Health's evaluator; a policy without a failing case fails its suite",
    )
    .argument('<dirs...>', 'directories searched for kyverno-test.yaml (or the files themselves)')
    .option('--sarif <file>', 'also write the results as SARIF 2.1.0')
    .option('--junit <file>', 'also write the results as JUnit XML')
    .addOption(
      new Option('--output <format>', 'output format')
        .choices(['json', 'text'])
        .default('text'),
    )
    .action((paths: string[], opts) => {
      try {
        const { code, stdout } = runTestCommand({ ...opts, paths });
        process.stdout.write(`${stdout}\n`);
        process.exitCode = code;
      } catch (e) {
        process.stderr.write(`serving-health test: ${toError(e).message}\n`);
        process.exitCode = EXIT_ERROR;
      }
    });
}
