import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseJUnit } from 'junit2json';
import { KUSTOMIZE } from '../__testUtils__/kustomize';
import { runValidateCommand } from '../commands/validate';
import { sarifSchemaErrors } from '../__testUtils__/sarifSchema';

const repos = path.join(__dirname, '../commands/__fixtures__/validate/repos');

describe('validate --sarif / --junit', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-formats-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (paths: string[]) =>
    runValidateCommand({
      cwd: repos,
      output: 'json',
      conventions: 'conventions-inferenceservices.yaml',
      rules: 'serving-rules.yaml',
      kustomize: KUSTOMIZE,
      paths,
      sarif: path.join(dir, 'validate.sarif'),
      junit: path.join(dir, 'validate.junit.xml'),
    });

  it('writes SARIF that the 2.1.0 schema accepts, one result per violation with its rule, file and line', async () => {
    const { report } = await run(['platform-bad']);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'validate.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toEqual([]);

    const { results, tool } = sarif.runs[0];
    expect(results).toHaveLength(report.violations.length);
    expect(tool.driver.rules.map((r: any) => r.id)).toEqual([
      'argocd-sync-order',
      'helm-values-path',
      'inferenceservice-probes',
      'inferenceservice-resources',
    ]);
    expect(results[2]).toEqual({
      ruleId: 'helm-values-path',
      ruleIndex: 1,
      level: 'error',
      message: { text: expect.stringContaining('did you mean `cache.master.resources`?') },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'platform-bad/charts/recommender/values.yaml' },
            region: { startLine: 12 },
          },
        },
      ],
    });
    // A finding in a rendered overlay points at the overlay's kustomization.yaml, not at the rendered stream.
    expect(results[5].locations[0].physicalLocation).toEqual({
      artifactLocation: {
        uri: 'platform-bad/models/fraud-detector/overlays/prod/kustomization.yaml',
      },
    });
  });

  it('a malformed SARIF log fails the same schema check (the check can fail)', () => {
    expect(
      sarifSchemaErrors({ version: '2.1.0', runs: [{ results: [] }] }),
    ).not.toEqual([]);
  });

  it('writes JUnit XML a JUnit parser reads: one case per file, failed where a rule fired', async () => {
    await run(['platform-bad']);
    const xml = fs.readFileSync(path.join(dir, 'validate.junit.xml'), 'utf8');
    const parsed: any = await parseJUnit(xml);
    expect(parsed.name).toBe('serving-health validate');
    const suite = parsed.testsuite[0];
    const failed = suite.testcase.filter((c: any) => c.failure);
    expect(failed.map((c: any) => [c.name, c.failure[0].message])).toEqual([
      ['platform-bad/apps/kserve.yaml', 'argocd-sync-order'],
      ['platform-bad/apps/kyverno.yaml', 'argocd-sync-order'],
      ['platform-bad/apps/recommender.yaml', 'helm-values-path'],
      ['platform-bad/charts/recommender/values-prod.yaml', 'helm-values-path'],
      ['platform-bad/charts/recommender/values.yaml', 'helm-values-path'],
      [
        'platform-bad/models/fraud-detector/overlays/prod (kustomize build)',
        'inferenceservice-resources, inferenceservice-probes',
      ],
    ]);
    expect(suite.failures).toBe(6);
    expect(suite.tests).toBe(suite.testcase.length);
    expect(failed[1].failure[0].inner).toContain('syncs in wave 1');
  });

  it('writes a passing JUnit report and an empty SARIF run for the clean layout', async () => {
    await run(['platform-clean']);
    const parsed: any = await parseJUnit(
      fs.readFileSync(path.join(dir, 'validate.junit.xml'), 'utf8'),
    );
    expect(parsed.failures).toBe(0);
    expect(parsed.testsuite[0].tests).toBeGreaterThan(10);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'validate.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toEqual([]);
  });
});
