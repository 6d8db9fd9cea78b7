import { DEFAULT_CHECKS } from '../checks';
import {
  ARGO_APP,
  CLUSTER,
  ISVC_NAME,
  ISVC_NAMESPACE,
  defaultTarget,
  healthySnapshot,
  withArgoAppStatus,
  withCostCenterNearMiss,
  withInferenceService,
  withoutInferenceServiceCrd,
} from '../checks/__fixtures__/snapshots';
import { bindTarget } from './bindTarget';
import { runTriage } from './runTriage';

const entity = (owner = 'team-fraud', name = 'fraud-model') => ({
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations: {} },
  spec: { type: 'model-endpoint', owner },
});

describe('bindTarget', () => {
  it('binds an InferenceService that names the entity back with backstage.io/kubernetes-id', () => {
    const snapshot = withInferenceService(healthySnapshot(), i => {
      i.metadata.labels = { ...i.metadata.labels, 'backstage.io/kubernetes-id': 'fraud-model' };
    });
    expect(
      bindTarget({ entity: entity(), target: defaultTarget(), snapshot, namespaceOwners: [] }),
    ).toMatchObject({ bound: true, by: 'label' });
  });

  it('binds a namespace the configuration gives to the entity owner, on that cluster or any', () => {
    const binding = (cluster?: string, owners = ['group:default/team-fraud']) =>
      bindTarget({
        entity: entity(),
        target: defaultTarget(),
        snapshot: healthySnapshot(),
        namespaceOwners: [{ cluster, namespace: 'mod*', owners }],
      }).bound;
    expect(binding()).toBe(true);
    expect(binding(CLUSTER)).toBe(true);
    expect(binding('another-cluster')).toBe(false);
    expect(binding(undefined, ['group:default/team-other'])).toBe(false);
    // spec.owner without kind and namespace is group:default/<name>, as the catalog reads it.
    expect(binding(undefined, ['team-fraud'])).toBe(true);
  });

  it("refuses another team's namespace, saying why", () => {
    const binding = bindTarget({
      entity: entity('team-intruder', 'curious'),
      target: defaultTarget(),
      snapshot: healthySnapshot(),
      namespaceOwners: [{ namespace: ISVC_NAMESPACE, owners: ['group:default/team-fraud'] }],
    });
    expect(binding).toEqual({
      bound: false,
      detail: `Nothing ties namespace ${ISVC_NAMESPACE} on ${CLUSTER} to this entity: the InferenceService does not carry backstage.io/kubernetes-id=curious, and servingHealth.namespaceOwners does not give the namespace to group:default/team-intruder.`,
    });
  });

  it('refuses an Argo CD Application that deploys into another namespace', () => {
    const snapshot = withArgoAppStatus(healthySnapshot(), undefined);
    const apps = snapshot.collections.applications!;
    if (apps.ok) {
      for (const a of apps.items.filter(x => x.metadata.name === ARGO_APP)) {
        a.spec = { ...a.spec, destination: { namespace: 'payments' } };
      }
    }
    const binding = bindTarget({
      entity: entity(),
      target: defaultTarget(),
      snapshot,
      namespaceOwners: [{ namespace: '*', owners: ['group:default/team-fraud'] }],
    });
    expect(binding.bound).toBe(false);
    expect(binding.detail).toContain('deploys to namespace payments');
  });
});

describe('runTriage with an unbound target', () => {
  it("withholds every check that reads the target's objects and names no failure mode from them", () => {
    const snapshot = withCostCenterNearMiss(healthySnapshot());
    const binding = { bound: false as const, detail: 'not yours' };
    const report = runTriage({
      entityRef: 'component:default/curious',
      target: defaultTarget(),
      snapshot,
      checks: DEFAULT_CHECKS,
      binding,
    });
    const withheld = report.checks.filter(c => c.summary === 'Not shown: not yours').map(c => c.id);
    expect(withheld.sort()).toEqual(
      ['argocd.sync', 'kserve.controller-logs', 'kserve.inferenceservice', 'policy.labels'].sort(),
    );
    expect(report.failureModes).toEqual([]);
    expect(report.binding).toEqual(binding);
    // Nothing read from the InferenceService reaches the report: not its labels, not its status.
    const checks = JSON.stringify(report.checks);
    expect(checks).not.toContain('costCenter');
    expect(checks).not.toContain(`${ISVC_NAME}.${ISVC_NAMESPACE}.example.com`);
  });

  it('says unknown, not healthy, when every check it could run passed: the endpoint itself was not looked at', () => {
    const binding = { bound: false as const, detail: 'not yours' };
    const run = (snapshot = healthySnapshot()) =>
      runTriage({
        entityRef: 'component:default/curious',
        target: defaultTarget(),
        snapshot,
        checks: DEFAULT_CHECKS,
        binding,
      }).overall;
    expect(run()).toBe('unknown');
    // A cluster-wide failure still decides: it breaks every endpoint on the cluster.
    expect(run(withoutInferenceServiceCrd(healthySnapshot()))).toBe('failing');
    expect(
      runTriage({
        entityRef: 'component:default/curious',
        target: defaultTarget(),
        snapshot: healthySnapshot(),
        checks: DEFAULT_CHECKS,
      }).overall,
    ).toBe('healthy');
  });
});
