import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KUSTOMIZE } from '../__testUtils__/kustomize';
import { runValidateCommand, ValidateUsageError } from './validate';

const fixtures = path.join(__dirname, '__fixtures__/validate/repos');
const options = {
  cwd: fixtures,
  output: 'json' as const,
  conventions: 'conventions-inferenceservices.yaml',
  rules: 'serving-rules.yaml',
  kustomize: KUSTOMIZE,
};

describe('validate on a platform repository (app of apps, kustomize overlays, an umbrella chart)', () => {
  it('fires every serving rule on the broken layout, judging the overlay as kustomize renders it', async () => {
    const { code, stdout } = await runValidateCommand({
      ...options,
      paths: ['platform-bad'],
    });
    expect(code).toBe(1);
    const { violations } = JSON.parse(stdout);
    const found = violations.map((v: any) => [v.rule, v.file, v.path, v.hint]);
    expect(found).toEqual([
      [
        'argocd-sync-order',
        'platform-bad/apps/kserve.yaml',
        '/metadata/annotations/argocd.argoproj.io/sync-wave/',
        expect.stringMatching(
          /^set `argocd.argoproj.io\/sync-wave: "0"` on Application `kserve`/,
        ),
      ],
      [
        'argocd-sync-order',
        'platform-bad/apps/kyverno.yaml',
        '/metadata/annotations/argocd.argoproj.io/sync-wave/',
        expect.stringMatching(
          /^set `argocd.argoproj.io\/sync-wave: "-1"` on Application `kyverno`, below the wave "0" suggested for Application `kserve`;/,
        ),
      ],
      [
        'helm-values-path',
        'platform-bad/charts/recommender/values.yaml',
        '/cache/master/resource/',
        'did you mean `cache.master.resources`?',
      ],
      [
        'helm-values-path',
        'platform-bad/apps/recommender.yaml',
        '/spec/source/helm/valuesObject/redis/',
        'did you mean `cache`?',
      ],
      [
        'helm-values-path',
        'platform-bad/charts/recommender/values-prod.yaml',
        '/predictor/minReplica/',
        'did you mean `predictor.minReplicas`?',
      ],
      [
        'inferenceservice-resources',
        'platform-bad/models/fraud-detector/overlays/prod (kustomize build)',
        '/spec/predictor/model/resources/limits/',
        expect.any(String),
      ],
      [
        'inferenceservice-probes',
        'platform-bad/models/fraud-detector/overlays/prod (kustomize build)',
        '/spec/predictor/model/readinessProbe/',
        expect.any(String),
      ],
    ]);
    // The overlay's patch adds the requests: only the limits are missing, so the rule saw the rendered object.
    expect(violations[5].message).toBe(
      'predictor container `model` sets no resources.limits for `cpu`, `memory`',
    );
    expect(violations[1].message).toBe(
      'Application `kyverno` installs the policy engine (Kyverno), which admits their resources, but syncs in wave 1, not before Application `fraud-detector` (wave 1), Application `kserve` (wave 0 once its own fix is applied)',
    );
    expect(violations[3].message).toContain(
      'sets `redis`, which chart `recommender`',
    );
  });

  it('suggests sync waves that pass when all of them are applied to the broken layout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-waves-'));
    const run = async () => {
      const { stdout } = await runValidateCommand({
        ...options,
        cwd: dir,
        conventions: path.join(fixtures, options.conventions),
        rules: path.join(fixtures, options.rules),
        paths: ['platform-bad'],
      });
      return (JSON.parse(stdout).violations as any[]).filter(
        v => v.rule === 'argocd-sync-order',
      );
    };
    try {
      fs.cpSync(
        path.join(fixtures, 'platform-bad'),
        path.join(dir, 'platform-bad'),
        {
          recursive: true,
        },
      );
      const findings = await run();
      expect(findings.map(v => v.file)).toEqual([
        'platform-bad/apps/kserve.yaml',
        'platform-bad/apps/kyverno.yaml',
      ]);
      // Apply each hint as a user would: the wave it names, written into the file it names.
      for (const v of findings) {
        const wave = /sync-wave: "(-?\d+)"/.exec(v.hint)![1];
        const file = path.join(dir, v.file);
        const text = fs.readFileSync(file, 'utf8');
        const fixed = text.replace(
          /(argocd\.argoproj\.io\/sync-wave: )"[^"]*"/,
          `$1"${wave}"`,
        );
        expect(fixed).not.toBe(text);
        fs.writeFileSync(file, fixed);
      }
      expect(await run()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is silent on the same layout with the waves, values and overlay fixed', async () => {
    const { code, stdout } = await runValidateCommand({
      ...options,
      paths: ['platform-clean'],
    });
    // Clean, and honest about the one thing it does not judge: the umbrella chart's templated InferenceService.
    expect(JSON.parse(stdout)).toEqual({
      violations: [],
      notEvaluated: [
        expect.objectContaining({
          feature: 'helm-template',
          file: 'platform-clean/charts/recommender/templates/inferenceservice.yaml',
        }),
      ],
    });
    expect(code).toBe(0);
  });

  it('exits 2 naming kustomize when it cannot render, never reporting the overlay clean', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir', 'kustomize');
    await expect(
      runValidateCommand({
        ...options,
        paths: ['platform-clean'],
        kustomize: missing,
      }),
    ).rejects.toThrow(ValidateUsageError);
    await expect(
      runValidateCommand({
        ...options,
        paths: ['platform-clean'],
        kustomize: missing,
      }),
    ).rejects.toThrow(
      /kustomize not found at .*no-such-dir\/kustomize \(ENOENT\)/,
    );
  });

  it('exits 2 with kustomize own error when an overlay does not build', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-kustomize-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'kustomization.yaml'),
        'resources:\n  - missing.yaml\n',
      );
      await expect(
        runValidateCommand({
          cwd: dir,
          output: 'json',
          paths: ['.'],
          kustomize: KUSTOMIZE,
        }),
      ).rejects.toThrow(/kustomize build .* failed: .*missing\.yaml/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a bad rules file', async () => {
    await expect(
      runValidateCommand({
        ...options,
        rules: 'conventions-inferenceservices.yaml',
        paths: ['platform-clean'],
      }),
    ).rejects.toThrow(
      'conventions-inferenceservices.yaml: unknown field(s) `requiredLabels`, `kinds`; expected inferenceServices',
    );
  });
});
