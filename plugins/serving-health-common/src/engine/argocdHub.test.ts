import { ClusterSnapshot } from '../snapshot';
import {
  applicationDestinationCluster,
  reportSources,
  resolveArgocdInstance,
  withApplicationsFrom,
} from './argocdHub';

const hub = {
  name: 'mgmt-argocd',
  cluster: 'mgmt',
  destinations: { 'https://10.0.4.1:6443': 'prod-eu' },
};
const app = (destination: Record<string, string>) => ({
  metadata: { namespace: 'team-apps', name: 'fraud' },
  spec: { destination },
});

describe('resolveArgocdInstance', () => {
  const entity = (name?: string) => ({
    metadata: {
      annotations: (name ? { 'argocd/instance-name': name } : {}) as Record<
        string,
        string
      >,
    },
  });
  it('maps the annotation to the configured instance, and says which are known when it is not', () => {
    expect(resolveArgocdInstance(entity(), [hub])).toEqual({ ok: true });
    expect(resolveArgocdInstance(entity('mgmt-argocd'), [hub])).toEqual({
      ok: true,
      instance: hub,
    });
    const r = resolveArgocdInstance(entity('other'), [hub]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain("names Argo CD instance 'other'");
    expect(!r.ok && r.message).toContain('known: mgmt-argocd');
  });
});

describe('applicationDestinationCluster', () => {
  const clusters = ['mgmt', 'prod-eu', 'prod-us'];
  it('uses the configured mapping first, then a destination name equal to a cluster, then in-cluster', () => {
    expect(
      applicationDestinationCluster(
        app({ server: 'https://10.0.4.1:6443' }),
        hub,
        clusters,
      ),
    ).toEqual({
      ok: true,
      cluster: 'prod-eu',
      destination: 'https://10.0.4.1:6443',
    });
    expect(
      applicationDestinationCluster(app({ name: 'prod-us' }), hub, clusters),
    ).toMatchObject({ ok: true, cluster: 'prod-us' });
    expect(
      applicationDestinationCluster(
        app({ server: 'https://kubernetes.default.svc' }),
        hub,
        clusters,
      ),
    ).toMatchObject({
      ok: true,
      cluster: 'mgmt',
    });
    expect(
      applicationDestinationCluster(app({ name: 'in-cluster' }), hub, clusters),
    ).toMatchObject({ ok: true, cluster: 'mgmt' });
  });

  it('refuses to guess: an unmapped destination, a mapping to an unknown cluster, no destination', () => {
    const unmapped = applicationDestinationCluster(
      app({ server: 'https://10.9.9.9:6443' }),
      hub,
      clusters,
    );
    expect(unmapped).toMatchObject({ ok: false });
    expect(!unmapped.ok && unmapped.message).toContain(
      'deploys to https://10.9.9.9:6443, which is none of the configured clusters',
    );
    const gone = applicationDestinationCluster(
      app({ server: 'https://10.0.4.1:6443' }),
      hub,
      ['mgmt'],
    );
    expect(!gone.ok && gone.message).toContain(
      "to cluster 'prod-eu', which is not configured",
    );
    expect(applicationDestinationCluster(app({}), hub, clusters)).toMatchObject(
      { ok: false },
    );
  });
});

describe('withApplicationsFrom', () => {
  const snapshot = (cluster: string, apps: string[]): ClusterSnapshot => ({
    cluster,
    readAt: '2026-11-30T00:00:00Z',
    version: {
      ok: true,
      value: { major: '1', minor: '36', gitVersion: 'v1.36.3' },
    },
    collections: {
      applications: {
        ok: true,
        items: apps.map(name => ({ metadata: { name } })),
      },
      customResourceDefinitions: {
        ok: true,
        items: [{ metadata: { name: `crd-of-${cluster}` } }],
      },
    },
    namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
    requestCount: 10,
  });
  it("takes the hub's Applications and keeps everything else of the workload cluster, saying where each came from", () => {
    const combined = withApplicationsFrom(
      snapshot('prod-eu', []),
      snapshot('mgmt', ['fraud']),
    );
    expect(combined.cluster).toBe('prod-eu');
    expect(combined.collections.applications).toEqual({
      ok: true,
      items: [{ metadata: { name: 'fraud' } }],
    });
    expect(combined.collections.customResourceDefinitions).toEqual({
      ok: true,
      items: [{ metadata: { name: 'crd-of-prod-eu' } }],
    });
    expect(combined.sources).toEqual({ applications: 'mgmt' });
    expect(combined.requestCount).toBe(20);
    const sources = reportSources(
      {
        cluster: 'prod-eu',
        argocd: { instance: 'mgmt-argocd', cluster: 'mgmt' },
      },
      combined,
    );
    expect(sources).toEqual([
      {
        facts:
          'Argo CD Applications: sync, health, deployed resources (Argo CD instance mgmt-argocd)',
        cluster: 'mgmt',
      },
      {
        facts:
          'InferenceServices, KServe, webhooks, policies, workloads, controller logs',
        cluster: 'prod-eu',
      },
    ]);
  });

  it('is the workload snapshot itself when Argo CD runs on the same cluster', () => {
    const one = snapshot('prod-eu', ['fraud']);
    expect(withApplicationsFrom(one, one)).toBe(one);
    expect(reportSources({ cluster: 'prod-eu' }, one)).toBeUndefined();
  });
});
