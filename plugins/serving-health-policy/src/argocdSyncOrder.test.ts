import {
  checkArgoSyncOrder,
  SYNC_WAVE_ANNOTATION,
  SyncOrderApplication,
} from './argocdSyncOrder';

const app = (
  name: string,
  source: Record<string, unknown>,
  wave?: string,
  resourceKinds?: string[],
): SyncOrderApplication => ({
  file: `apps/${name}.yaml`,
  object: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      ...(wave !== undefined
        ? { annotations: { 'argocd.argoproj.io/sync-wave': wave } }
        : {}),
    },
    spec: { source },
  },
  ...(resourceKinds ? { resourceKinds: new Set(resourceKinds) } : {}),
});

const kyverno = (wave?: string) =>
  app(
    'kyverno',
    { repoURL: 'https://kyverno.github.io/kyverno/', chart: 'kyverno' },
    wave,
  );
const kserve = (wave?: string) =>
  app(
    'kserve',
    { repoURL: 'ghcr.io/kserve/charts', chart: 'kserve-crd' },
    wave,
  );
const model = (wave?: string) =>
  app('fraud-detector', { path: 'models/fraud-detector/overlays/prod' }, wave, [
    'serving.kserve.io/InferenceService',
  ]);
const dashboard = (wave?: string) =>
  app('dashboard', { path: 'apps/dashboard' }, wave, ['apps/Deployment']);

/** The Applications with every finding's suggested wave written into its annotation, as a user applies them. */
function applyFixes(apps: SyncOrderApplication[]): SyncOrderApplication[] {
  const fixes = new Map(
    checkArgoSyncOrder(apps).map(f => [f.application, f.suggestedWave]),
  );
  return apps.map(a => {
    const wave = fixes.get(a);
    if (wave === undefined) return a;
    const metadata = a.object.metadata ?? {};
    return {
      ...a,
      object: {
        ...a.object,
        metadata: {
          ...metadata,
          annotations: {
            ...metadata.annotations,
            [SYNC_WAVE_ANNOTATION]: String(wave),
          },
        },
      },
    };
  });
}

describe('checkArgoSyncOrder', () => {
  it('is silent when Kyverno comes first, then KServe, then the models', () => {
    expect(
      checkArgoSyncOrder([
        kyverno('-2'),
        kserve('-1'),
        model('1'),
        dashboard(),
      ]),
    ).toEqual([]);
  });

  it('flags Kyverno in the same wave as the Applications it admits, with the wave that fixes it', () => {
    const findings = checkArgoSyncOrder([
      kyverno(),
      kserve('1'),
      model('2'),
      dashboard(),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0].role).toBe('policy-engine');
    expect(findings[0].wave).toBe(0);
    expect(
      findings[0].dependents.map(d => d.application.object.metadata.name),
    ).toEqual(['dashboard']);
    expect(findings[0].message).toBe(
      'Application `kyverno` installs the policy engine (Kyverno), which admits their resources, but syncs in wave 0, not before Application `dashboard` (wave 0)',
    );
    expect(findings[0].hint).toMatch(
      /^set `argocd.argoproj.io\/sync-wave: "-1"` on Application `kyverno`/,
    );
  });

  it('flags KServe after an Application that deploys InferenceServices, but not after one that does not', () => {
    const findings = checkArgoSyncOrder([
      kyverno('-5'),
      kserve('3'),
      model('2'),
      dashboard('1'),
    ]);
    expect(
      findings.map(f => [
        f.role,
        f.dependents.map(d => d.application.object.metadata.name),
      ]),
    ).toEqual([['kserve', ['fraud-detector']]]);
    expect(findings[0].hint).toContain('sync-wave: "1"');
  });

  it('recognises an ApplicationSet by its template and reads its own wave', () => {
    const appSet = {
      file: 'apps/models.yaml',
      object: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: {
          name: 'models',
          annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
        },
        spec: {
          template: { spec: { source: { path: 'models/{{path.basename}}' } } },
        },
      },
      resourceKinds: new Set(['serving.kserve.io/InferenceService']),
    };
    // KServe has to drop below the ApplicationSet's -1, so Kyverno (fine today) below that.
    expect(
      checkArgoSyncOrder([kyverno('-2'), kserve('-1'), appSet]).map(f => [
        f.role,
        f.suggestedWave,
      ]),
    ).toEqual([
      ['policy-engine', -3],
      ['kserve', -2],
    ]);
  });

  it('treats a wave that is not an integer as Argo CD does: wave 0', () => {
    expect(checkArgoSyncOrder([kyverno('first'), dashboard('0')])).toHaveLength(
      1,
    );
  });

  it('gives the fixture platform repository one ordering: KServe below the models, Kyverno below KServe', () => {
    // platform-bad (packages/cli fixtures): every Application in wave 1 but the Helm one in wave 2.
    const recommender = app(
      'recommender',
      { path: 'charts/recommender' },
      '2',
      ['/Chart'],
    );
    const apps = [model('1'), kserve('1'), kyverno('1'), recommender];
    const findings = checkArgoSyncOrder(apps);
    expect(
      findings.map(f => [
        f.application.object.metadata.name,
        f.wave,
        f.suggestedWave,
      ]),
    ).toEqual([
      ['kserve', 1, 0],
      ['kyverno', 1, -1],
    ]);
    expect(findings[1].message).toBe(
      'Application `kyverno` installs the policy engine (Kyverno), which admits their resources, but syncs in wave 1, not before Application `fraud-detector` (wave 1), Application `kserve` (wave 0 once its own fix is applied)',
    );
    expect(findings[1].hint).toMatch(
      /^set `argocd.argoproj.io\/sync-wave: "-1"` on Application `kyverno`, below the wave "0" suggested for Application `kserve`;/,
    );
    expect(checkArgoSyncOrder(applyFixes(apps))).toEqual([]);
  });

  it('flags Kyverno that is fine today but not below the wave KServe has to move to', () => {
    const apps = [kyverno('0'), kserve('1'), model('1')];
    const findings = checkArgoSyncOrder(apps);
    expect(findings.map(f => [f.role, f.suggestedWave])).toEqual([
      ['policy-engine', -1],
      ['kserve', 0],
    ]);
    expect(findings[0].dependents).toEqual([
      { application: apps[1], wave: 1, suggestedWave: 0 },
    ]);
    expect(checkArgoSyncOrder(applyFixes(apps))).toEqual([]);
  });

  it('suggests waves that, applied together, always pass, and only ever lowers the infrastructure waves', () => {
    const waves = ['-1', '0', '1'];
    for (const ky of waves)
      for (const ks of waves)
        for (const m of waves)
          for (const d of waves) {
            const apps = [kyverno(ky), kserve(ks), model(m), dashboard(d)];
            const findings = checkArgoSyncOrder(apps);
            for (const f of findings)
              expect(f.suggestedWave).toBeLessThan(f.wave);
            expect([
              ky,
              ks,
              m,
              d,
              checkArgoSyncOrder(applyFixes(apps)),
            ]).toEqual([ky, ks, m, d, []]);
          }
  });
});
