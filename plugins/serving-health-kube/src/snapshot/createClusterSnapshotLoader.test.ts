import { KubeClient, useTestEnv } from '@internal/testenv';
import { listAll } from '../client/listAll';
import { KubernetesClient } from '../client/types';
import { createKubernetesClient } from '../client/createKubernetesClient';
import { staticCredentials } from '../credentials/staticCredentials';
import { createClusterSnapshotLoader } from './createClusterSnapshotLoader';
import { snapshotCollections } from './collections';

jest.setTimeout(120_000);

const namespaces = { kserve: 'kserve', kyverno: 'kyverno' };
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Creates objects a few at a time: the API server is real, and the machine has few cores. */
async function createAll(
  admin: KubeClient,
  items: Array<{ path: string; body: unknown }>,
) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        await admin.post(item.path, item.body);
      }
    }),
  );
}

const namespace = (name: string) => ({
  path: '/api/v1/namespaces',
  body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
});
const headlessService = (ns: string, name: string) => ({
  path: `/api/v1/namespaces/${ns}/services`,
  // Headless: the testenv's service CIDR is a /24, and a ClusterIP would be one of its 254 addresses.
  body: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: ns, name },
    spec: { clusterIP: 'None', ports: [{ port: 443 }] },
  },
});
const endpointSlice = (ns: string, service: string) => ({
  path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
  body: {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace: ns,
      name: `${service}-1`,
      labels: { 'kubernetes.io/service-name': service },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.1.0.1'], conditions: { ready: true } }],
    ports: [{ port: 8443 }],
  },
});
/** Points at `ns` and intercepts nothing: its rule names a resource no one creates. */
const webhookInto = (ns: string) => ({
  path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
  body: {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: `points-into-${ns}` },
    webhooks: [
      {
        name: `check.${ns}.example.com`,
        clientConfig: {
          service: { namespace: ns, name: 'svc-000', path: '/validate' },
        },
        rules: [
          {
            apiGroups: ['example.com'],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['widgets'],
          },
        ],
        failurePolicy: 'Ignore',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  },
});

describe('the snapshot of a large namespace, paged and scoped', () => {
  const env = useTestEnv({ scenario: 'healthy' });
  const SERVICES = 103;
  const PAGE = 10;
  let admin: KubeClient;
  const names = Array.from(
    { length: SERVICES },
    (_, i) => `svc-${String(i).padStart(3, '0')}`,
  );

  beforeAll(async () => {
    admin = new KubeClient(env().access('admin'));
    await createAll(admin, [namespace('paging'), namespace('unrelated')]);
    await createAll(admin, [
      ...names.map(n => headlessService('paging', n)),
      ...names.map(n => endpointSlice('paging', n)),
      headlessService('unrelated', 'not-behind-any-webhook'),
      endpointSlice('unrelated', 'not-behind-any-webhook'),
    ]);
    await createAll(admin, [webhookInto('paging')]);
  });
  afterAll(() => admin?.close());

  const reader = () =>
    createKubernetesClient({
      name: env().name,
      url: env().url,
      caData: env().caData,
      credentials: staticCredentials({ token: env().tokens.reader }),
    });

  it('pages one LIST: every item arrives, in ceil(n / limit) requests', async () => {
    const client = reader();
    const res = await listAll(client, '/api/v1/namespaces/paging/services', {
      pageSize: PAGE,
    });
    expect(res.ok && res.items.map(s => s.metadata.name)).toEqual(names);
    expect(client.requestCount()).toBe(Math.ceil(SERVICES / PAGE));
  });

  it('reads Services and EndpointSlices only where webhooks point, every page of every LIST', async () => {
    const client = reader();
    const snapshot = await createClusterSnapshotLoader({
      client,
      namespaces,
      pageSize: PAGE,
    }).load();

    const services = snapshot.collections.services!;
    const slices = snapshot.collections.endpointSlices!;
    if (!services.ok || !slices.ok)
      throw new Error('services or endpointslices unread');
    const inPaging = (items: any[]) =>
      items
        .filter(i => i.metadata.namespace === 'paging')
        .map(i => i.metadata.name);
    expect(inPaging(services.items)).toEqual(names);
    expect(inPaging(slices.items)).toEqual(names.map(n => `${n}-1`));
    expect(new Set(services.items.map(s => s.metadata.namespace))).toEqual(
      new Set(['kserve', 'kyverno', 'paging']),
    );
    expect(
      services.items.some(s => s.metadata.name === 'not-behind-any-webhook'),
    ).toBe(false);
    for (const [name, r] of Object.entries(snapshot.collections)) {
      // The healthy scenario runs Kyverno 1.12, which has no ValidatingPolicy CRD (1.14+).
      expect([name, r!.ok ? 'read' : r!.error.reason]).toEqual([
        name,
        name === 'validatingPolicies' ? 'not-installed' : 'read',
      ]);
    }

    // The request count follows from the cluster: /version, then one request per page of every LIST.
    const paths = snapshotCollections(namespaces, ['paging']).map(s => s.path);
    let expected = 1;
    for (const p of paths) {
      // A kind whose CRD is not installed costs its one 404.
      const all = await admin.get(p).catch(e => {
        if (e.statusCode === 404) return { items: [] };
        throw e;
      });
      expected += Math.max(1, Math.ceil(all.items.length / PAGE));
    }
    expect(paths).toHaveLength(23);
    expect(snapshot.requestCount).toBe(expected);
    expect(client.requestCount()).toBe(expected);
  });
});

describe("Kyverno's PolicyReports in the snapshot", () => {
  const env = useTestEnv({ scenario: 'healthy' });

  it("reads only the InferenceServices' reports (Kyverno's resource.kind label), not one per Pod", async () => {
    const admin = new KubeClient(env().access('admin'));
    const report = (name: string, kind: string) => ({
      path: '/apis/wgpolicyk8s.io/v1alpha2/namespaces/models/policyreports',
      body: {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: {
          name,
          namespace: 'models',
          labels: {
            'app.kubernetes.io/managed-by': 'kyverno',
            'audit.kyverno.io/resource.kind': kind,
          },
        },
        results: [],
      },
    });
    try {
      await createAll(admin, [
        report('of-the-model', 'InferenceService'),
        report('of-a-pod', 'Pod'),
      ]);
    } finally {
      admin.close();
    }
    const snapshot = await createClusterSnapshotLoader({
      client: createKubernetesClient({
        name: env().name,
        url: env().url,
        caData: env().caData,
        credentials: staticCredentials({ token: env().tokens.reader }),
      }),
      namespaces,
    }).load();
    const reports = snapshot.collections.policyReports;
    expect(reports?.ok && reports.items.map(r => r.metadata.name)).toEqual([
      'of-the-model',
    ]);
  });
});

describe('a continue token that expires while a LIST is paged', () => {
  // A continue token expires when etcd compacts the revision it points at: here every second instead of
  // every 5 minutes. With ListFromCacheSnapshot (on by default since 1.34) the watch cache keeps serving old
  // pages from its own snapshots well past the compaction, so the test asks etcd, as clusters before 1.34 do.
  const env = useTestEnv({
    apiServerFlags: [
      '--etcd-compaction-interval=1s',
      '--feature-gates=ListFromCacheSnapshot=false',
    ],
  });
  let admin: KubeClient;
  const COUNT = 30;

  beforeAll(async () => {
    admin = new KubeClient(env().access('admin'));
    await createAll(admin, [namespace('expiry')]);
    await createAll(
      admin,
      Array.from({ length: COUNT }, (_, i) => ({
        path: '/api/v1/namespaces/expiry/configmaps',
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `cm-${String(i).padStart(2, '0')}` },
        },
      })),
    );
  });
  afterAll(() => admin?.close());

  /** Writes until the revision the first continue token points at is compacted away. */
  async function outliveToken(token: string) {
    for (let i = 0; i < 40; i++) {
      await admin.put('/api/v1/namespaces/expiry/configmaps/cm-00', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { namespace: 'expiry', name: 'cm-00' },
        data: { tick: String(i) },
      });
      await sleep(250);
      const probe = await admin
        .get(
          `/api/v1/namespaces/expiry/configmaps?limit=5&continue=${encodeURIComponent(
            token,
          )}`,
        )
        .then(() => 200)
        .catch(e => e.statusCode);
      if (probe === 410) return;
    }
    throw new Error('the continue token never expired');
  }

  /** A real client that waits until the token of page 1 has expired before asking for page 2, in the first `expiries` passes. */
  function expiringClient(expiries: number) {
    const inner = createKubernetesClient({
      name: env().name,
      url: env().url,
      caData: env().caData,
      credentials: staticCredentials({ token: env().tokens.admin }),
    });
    let passes = 0;
    let waited = 0;
    const statuses: number[] = [];
    const client: KubernetesClient = {
      ...inner,
      async request(req) {
        const token = req.query?.continue;
        if (token === undefined) passes += 1;
        else if (passes <= expiries && waited < passes) {
          waited = passes;
          await outliveToken(String(token));
        }
        const res = await inner.request(req);
        statuses.push(res.ok ? res.status : res.status ?? 0);
        return res;
      },
    };
    return { client, statuses };
  }

  it('gets a real 410 Gone, restarts the LIST from its first page once, and returns every item', async () => {
    const { client, statuses } = expiringClient(1);
    const res = await listAll(client, '/api/v1/namespaces/expiry/configmaps', {
      pageSize: 5,
    });
    expect(res.ok && res.items.map(c => c.metadata.name)).toEqual(
      Array.from(
        { length: COUNT },
        (_, i) => `cm-${String(i).padStart(2, '0')}`,
      ),
    );
    // Page 1, the expired page 2, then all 6 pages again.
    expect(statuses).toEqual([200, 410, 200, 200, 200, 200, 200, 200]);
  });

  it('is an error, never a partial list, when the token expires again after the restart', async () => {
    const { client, statuses } = expiringClient(2);
    const res = await listAll(client, '/api/v1/namespaces/expiry/configmaps', {
      pageSize: 5,
    });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.status).toBe(410);
    expect(!res.ok && res.error.message).toContain(
      'the continue token expired twice: the collection changes faster than it can be paged at 5 items per page',
    );
    expect(statuses).toEqual([200, 410, 200, 410]);
  });
});
