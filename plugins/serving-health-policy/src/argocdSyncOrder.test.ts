import { checkArgoSyncOrder, SyncOrderApplication } from './argocdSyncOrder';

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
  app('kyverno', { repoURL: 'https://kyverno.github.io/kyverno/', chart: 'kyverno' }, wave);
const kserve = (wave?: string) =>
  app('kserve', { repoURL: 'ghcr.io/kserve/charts', chart: 'kserve-crd' }, wave);
const model = (wave?: string) =>
  app('fraud-detector', { path: 'models/fraud-detector/overlays/prod' }, wave, [
    'serving.kserve.io/InferenceService',
  ]);
const dashboard = (wave?: string) =>
  app('dashboard', { path: 'apps/dashboard' }, wave, ['apps/Deployment']);

describe('checkArgoSyncOrder', () => {
  it('is silent when Kyverno comes first, then KServe, then the models', () => {
    expect(
      checkArgoSyncOrder([kyverno('-2'), kserve('-1'), model('1'), dashboard()]),
    ).toEqual([]);
  });

  it('flags Kyverno in the same wave as the Applications it admits, with the wave that fixes it', () => {
    const findings = checkArgoSyncOrder([kyverno(), kserve('1'), model('2'), dashboard()]);
    expect(findings).toHaveLength(1);
    expect(findings[0].role).toBe('policy-engine');
    expect(findings[0].wave).toBe(0);
    expect(findings[0].dependents.map(d => d.application.object.metadata.name)).toEqual([
      'dashboard',
    ]);
    expect(findings[0].message).toBe(
      'Application `kyverno` installs the policy engine (Kyverno), which admits their resources, but syncs in wave 0, not before Application `dashboard` (wave 0)',
    );
    expect(findings[0].hint).toMatch(/^set `argocd.argoproj.io\/sync-wave: "-1"` on Application `kyverno`/);
  });

  it('flags KServe after an Application that deploys InferenceServices, but not after one that does not', () => {
    const findings = checkArgoSyncOrder([kyverno('-5'), kserve('3'), model('2'), dashboard('1')]);
    expect(findings.map(f => [f.role, f.dependents.map(d => d.application.object.metadata.name)])).toEqual([
      ['kserve', ['fraud-detector']],
    ]);
    expect(findings[0].hint).toContain('sync-wave: "1"');
  });

  it('recognises an ApplicationSet by its template and reads its own wave', () => {
    const appSet = {
      file: 'apps/models.yaml',
      object: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'models', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
        spec: { template: { spec: { source: { path: 'models/{{path.basename}}' } } } },
      },
      resourceKinds: new Set(['serving.kserve.io/InferenceService']),
    };
    expect(
      checkArgoSyncOrder([kyverno('-2'), kserve('-1'), appSet]).map(f => f.role),
    ).toEqual(['kserve']);
  });

  it('treats a wave that is not an integer as Argo CD does: wave 0', () => {
    expect(checkArgoSyncOrder([kyverno('first'), dashboard('0')])).toHaveLength(1);
  });
});
