import { KubeClient, TestEnv, useTestEnv } from '@internal/testenv';
import { createKubernetesClient } from '../client/createKubernetesClient';
import { staticCredentials } from '../credentials/staticCredentials';
import { createClusterSnapshotLoader } from './createClusterSnapshotLoader';
import {
  WatchedSnapshot,
  createWatchedSnapshot,
} from './createWatchedSnapshot';

jest.setTimeout(120_000);

const namespaces = { kserve: 'kserve', kyverno: 'kyverno' };
const ISVC =
  '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/fraud-detector';

function clientAs(env: TestEnv, token: string) {
  return createKubernetesClient({
    name: env.name,
    url: env.url,
    caData: env.caData,
    credentials: staticCredentials({ token }),
  });
}

/** Resolves with the ms from now until `seen` holds for the store's snapshot. */
function timeUntil(
  store: WatchedSnapshot,
  seen: () => boolean,
  limitMs: number,
) {
  const started = Date.now();
  return new Promise<number>((resolve, reject) => {
    const listening: { off?: () => void; timer?: NodeJS.Timeout } = {};
    const check = () => {
      if (!seen()) return;
      clearTimeout(listening.timer);
      listening.off?.();
      resolve(Date.now() - started);
    };
    listening.timer = setTimeout(() => {
      listening.off?.();
      reject(new Error(`not seen within ${limitMs} ms`));
    }, limitMs);
    listening.off = store.onChange(check);
    check();
  });
}

const labelOf = (store: WatchedSnapshot) => {
  const isvcs = store.snapshot().collections.inferenceServices;
  return isvcs?.ok
    ? (isvcs.items as any[]).find(i => i.metadata.name === 'fraud-detector')
        ?.metadata.labels?.['cost-center']
    : undefined;
};

describe('createWatchedSnapshot against a real API server', () => {
  const env = useTestEnv({ scenario: 'healthy' });
  let store: WatchedSnapshot | undefined;
  afterEach(() => store?.stop());

  it('holds what one round of LIST calls reads, collection by collection', async () => {
    const client = clientAs(env(), env().tokens.reader);
    const listed = await createClusterSnapshotLoader({
      client,
      namespaces,
    }).load();
    store = createWatchedSnapshot({
      client,
      namespaces,
      pollIntervalMs: 600_000,
    });
    await store.ready();
    const names = (r: any) =>
      r?.ok
        ? r.items
            .map((i: any) => `${i.metadata.namespace ?? ''}/${i.metadata.name}`)
            .sort()
        : r?.error.reason;
    const watched = store.snapshot();
    expect(Object.keys(watched.collections).sort()).toEqual(
      Object.keys(listed.collections).sort(),
    );
    for (const [collection, result] of Object.entries(listed.collections)) {
      expect([
        collection,
        names((watched.collections as any)[collection]),
      ]).toEqual([collection, names(result)]);
    }
  });

  it('applies a change to the next snapshot within a second, without a new LIST', async () => {
    const admin = new KubeClient(env().access('admin'));
    store = createWatchedSnapshot({
      client: clientAs(env(), env().tokens.reader),
      namespaces,
      pollIntervalMs: 600_000,
    });
    await store.ready();
    const first = store.snapshot();
    expect(first.version.ok).toBe(true);
    expect(
      Object.values(store.freshness()).every(f => f.mode === 'watch'),
    ).toBe(true);
    // The same object until something changes: a report reads it for free.
    expect(store.snapshot()).toBe(first);
    const listsAfterWarmUp = store.stats().lists;
    const versionBefore = store.version();

    const isvc = await admin.get(ISVC);
    isvc.metadata.labels = {
      ...isvc.metadata.labels,
      'cost-center': 'cc-4711',
    };
    await admin.put(ISVC, isvc);
    const ms = await timeUntil(
      store,
      () => labelOf(store!) === 'cc-4711',
      5_000,
    );

    expect(ms).toBeLessThan(1_000);
    expect(store.stats().lists).toBe(listsAfterWarmUp);
    expect(store.version()).not.toBe(versionBefore);
    expect(store.snapshot()).not.toBe(first);
    // What is kept is slimmed: no managedFields.
    const kept = (store.snapshot().collections.inferenceServices as any)
      .items[0];
    expect(kept.metadata.managedFields).toBeUndefined();

    await admin.delete(ISVC);
    await timeUntil(
      store,
      () =>
        (store!.snapshot().collections.inferenceServices as any).items.every(
          (i: any) => i.metadata.name !== 'fraud-detector',
        ),
      5_000,
    );
    expect(store.stats().lists).toBe(listsAfterWarmUp);
  });

  it('lists a custom resource again when its CRD is installed, not every poll interval', async () => {
    const admin = new KubeClient(env().access('admin'));
    store = createWatchedSnapshot({
      client: clientAs(env(), env().tokens.reader),
      namespaces,
      pollIntervalMs: 300,
    });
    await store.ready();
    expect(store.snapshot().collections.validatingPolicies).toMatchObject({
      ok: false,
      error: { reason: 'not-installed' },
    });
    const lists = store.stats().lists;
    await new Promise(r => setTimeout(r, 1_000));
    expect(store.stats().lists).toBe(lists);

    await admin.post(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'validatingpolicies.policies.kyverno.io' },
        spec: {
          group: 'policies.kyverno.io',
          scope: 'Cluster',
          names: {
            plural: 'validatingpolicies',
            singular: 'validatingpolicy',
            kind: 'ValidatingPolicy',
          },
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  'x-kubernetes-preserve-unknown-fields': true,
                },
              },
            },
          ],
        },
      },
    );
    await timeUntil(
      store,
      () => store!.snapshot().collections.validatingPolicies?.ok === true,
      10_000,
    );
  });

  it('two stores holding the same objects have the same version', async () => {
    const a = createWatchedSnapshot({
      client: clientAs(env(), env().tokens.reader),
      namespaces,
      pollIntervalMs: 600_000,
    });
    const b = createWatchedSnapshot({
      client: clientAs(env(), env().tokens.reader),
      namespaces,
      pollIntervalMs: 600_000,
    });
    try {
      await Promise.all([a.ready(), b.ready()]);
      expect(a.version()).toBe(b.version());
    } finally {
      a.stop();
      b.stop();
    }
  });

  it('falls back to a LIST per poll interval where watch is forbidden, naming the missing verb', async () => {
    const admin = new KubeClient(env().access('admin'));
    await admin.post('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'list-only' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['list'] }],
    });
    await admin.post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'nobody-list-only' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'list-only',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'User',
          name: 'testenv-nobody',
        },
      ],
    });
    store = createWatchedSnapshot({
      client: clientAs(env(), env().tokens.nobody),
      namespaces,
      pollIntervalMs: 300,
    });
    await store.ready();
    await timeUntil(
      store,
      () =>
        store!.freshness()['/apis/serving.kserve.io/v1beta1/inferenceservices']
          ?.mode === 'poll',
      5_000,
    );
    const freshness =
      store.freshness()['/apis/serving.kserve.io/v1beta1/inferenceservices'];
    expect(freshness).toEqual({
      mode: 'poll',
      reason: expect.stringContaining(
        'verb watch on inferenceservices.serving.kserve.io',
      ),
    });
    const lists = store.stats().lists;
    await new Promise(r => setTimeout(r, 1_000));
    expect(store.stats().lists).toBeGreaterThan(lists);
  });
});
