import {
  KubeProxy,
  startKubeProxy,
  testEnvServingCert,
} from '@internal/fault-proxy';
import {
  KubeClient,
  TestEnv,
  applyFiles,
  readScenario,
  startTestEnv,
} from '@internal/testenv';
import {
  createClusterSnapshotLoader,
  createKubernetesClient,
  DEFAULT_LIST_PAGE_SIZE,
  listAll,
  snapshotCollections,
  staticCredentials,
} from '@serving-health/plugin-serving-health-kube';

export interface LargeClusterOptions {
  services: number;
  /** spread evenly over the Services, each labelled with its Service's name */
  endpointSlices: number;
  inferenceServices: number;
  /** the generated objects are spread over this many namespaces */
  namespaces: number;
  pageSize: number;
  /** snapshots read per variant; the table shows the median time */
  rounds: number;
}

export const LARGE_CLUSTER_DEFAULTS: LargeClusterOptions = {
  services: 5000,
  endpointSlices: 10_000,
  inferenceServices: 2000,
  namespaces: 50,
  pageSize: DEFAULT_LIST_PAGE_SIZE,
  rounds: 3,
};

const NAMESPACES = { kserve: 'kserve', kyverno: 'kyverno' };
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;

interface Create {
  path: string;
  body: any;
  /** written through the /status subresource after the create */
  status?: unknown;
}

/** Creates objects `width` at a time over separate connections: the API server is the bottleneck. */
async function createAll(env: TestEnv, items: Create[], width = 8): Promise<void> {
  const clients = Array.from({ length: width }, () => new KubeClient(env.access('admin')));
  const queue = [...items];
  let done = 0;
  try {
    await Promise.all(
      clients.map(async client => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const created = await client.post(item.path, item.body);
          if (item.status) {
            await client.put(`${item.path}/${created.metadata.name}/status`, {
              ...created,
              status: item.status,
            });
          }
          done += 1;
          if (done % 2000 === 0) log(`  ${done}/${items.length} objects`);
        }
      }),
    );
  } finally {
    clients.forEach(c => c.close());
  }
}

/** The generated objects: realistic shapes (selectors, ports, endpoints with targetRefs, an InferenceService status). */
function generate(o: LargeClusterOptions): { namespaces: Create[]; objects: Create[] } {
  const ns = (i: number) => `team-${String(i % o.namespaces).padStart(3, '0')}`;
  const namespaces = Array.from({ length: o.namespaces }, (_, i) => ({
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(i) } },
  }));
  const objects: Create[] = [];
  for (let i = 0; i < o.services; i++) {
    const name = `model-${String(i).padStart(5, '0')}-predictor`;
    objects.push({
      path: `/api/v1/namespaces/${ns(i)}/services`,
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name,
          namespace: ns(i),
          labels: { app: name, 'serving.kserve.io/inferenceservice': `model-${i}`, component: 'predictor' },
        },
        // Headless: the testenv's service CIDR is a /24.
        spec: {
          clusterIP: 'None',
          selector: { app: name },
          ports: [
            { name: 'http', port: 80, targetPort: 8080 },
            { name: 'grpc', port: 8081, targetPort: 8081 },
          ],
        },
      },
    });
  }
  for (let i = 0; i < o.endpointSlices; i++) {
    const s = i % o.services;
    const service = `model-${String(s).padStart(5, '0')}-predictor`;
    objects.push({
      path: `/apis/discovery.k8s.io/v1/namespaces/${ns(s)}/endpointslices`,
      body: {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${service}-${Math.floor(i / o.services)}`,
          namespace: ns(s),
          labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        },
        addressType: 'IPv4',
        endpoints: Array.from({ length: 3 }, (_, e) => ({
          addresses: [`10.${(i >> 8) & 255}.${i & 255}.${e + 1}`],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'node-1',
          targetRef: { kind: 'Pod', namespace: ns(s), name: `${service}-pod-${e}` },
        })),
        ports: [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { name: 'grpc', port: 8081, protocol: 'TCP' },
        ],
      },
    });
  }
  for (let i = 0; i < o.inferenceServices; i++) {
    const name = `model-${i}`;
    objects.push({
      path: `/apis/serving.kserve.io/v1beta1/namespaces/${ns(i)}/inferenceservices`,
      body: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: {
          name,
          namespace: ns(i),
          labels: { 'app.kubernetes.io/instance': name, owner: 'team-risk', 'cost-center': 'cc-1042' },
        },
        spec: {
          predictor: {
            minReplicas: 1,
            model: {
              modelFormat: { name: 'sklearn' },
              storageUri: `s3://ml-models/${name}/v7`,
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
            },
          },
        },
      },
      status: {
        observedGeneration: 1,
        url: `http://${name}-${ns(i)}.example.com`,
        address: { url: `http://${name}-predictor.${ns(i)}.svc.cluster.local` },
        conditions: ['IngressReady', 'PredictorReady', 'Ready'].map(type => ({
          type,
          status: 'True',
          lastTransitionTime: '2026-11-01T10:00:00Z',
        })),
      },
    });
  }
  return { namespaces, objects };
}

interface Measured {
  label: string;
  requests: number;
  lists: number;
  bytes: number;
  ms: number;
  services: number;
  endpointSlices: number;
  inferenceServices: number;
}

/**
 * Reads of one snapshot, three ways: as the loader did before (every LIST in one answer, Services and
 * EndpointSlices cluster-wide), paged only, and as it does now (paged, Services and EndpointSlices only in
 * the namespaces webhooks point at). Bytes and requests are what the API server sent, counted by a proxy.
 */
async function measure(env: TestEnv, proxy: KubeProxy, o: LargeClusterOptions): Promise<Measured[]> {
  const connection = {
    name: env.name,
    url: proxy.url,
    caData: env.caData,
    credentials: staticCredentials({ token: env.tokens.reader }),
    timeoutMs: 60_000,
  };
  const clusterWide = [
    ...snapshotCollections(NAMESPACES).filter(s => !s.webhookScoped).map(s => s.path),
    '/api/v1/services',
    '/apis/discovery.k8s.io/v1/endpointslices',
  ];
  const count = (items: Record<string, any[]>) => ({
    services: items['/api/v1/services']?.length ?? 0,
    endpointSlices: items['/apis/discovery.k8s.io/v1/endpointslices']?.length ?? 0,
    inferenceServices: items['/apis/serving.kserve.io/v1beta1/inferenceservices']?.length ?? 0,
  });
  const variants: Array<{ label: string; read: () => Promise<Omit<Measured, 'label' | 'requests' | 'lists' | 'bytes' | 'ms'>> }> = [
    {
      label: 'before: unpaged, Services/EndpointSlices cluster-wide',
      read: async () => {
        const client = createKubernetesClient(connection);
        await client.request({ path: '/version' });
        const items: Record<string, any[]> = {};
        await Promise.all(
          clusterWide.map(async p => {
            const res = await client.request<{ items: any[] }>({ path: p });
            if (!res.ok) throw new Error(`${p}: ${res.error.message}`);
            items[p] = res.body.items;
          }),
        );
        return count(items);
      },
    },
    {
      label: `paged (limit ${o.pageSize}), Services/EndpointSlices cluster-wide`,
      read: async () => {
        const client = createKubernetesClient(connection);
        await client.request({ path: '/version' });
        const items: Record<string, any[]> = {};
        await Promise.all(
          clusterWide.map(async p => {
            const res = await listAll(client, p, { pageSize: o.pageSize });
            if (!res.ok) throw new Error(`${p}: ${res.error.message}`);
            items[p] = res.items;
          }),
        );
        return count(items);
      },
    },
    {
      label: `after: paged (limit ${o.pageSize}), scoped to webhook namespaces`,
      read: async () => {
        const client = createKubernetesClient(connection);
        const snapshot = await createClusterSnapshotLoader({
          client,
          namespaces: NAMESPACES,
          pageSize: o.pageSize,
        }).load();
        const n = (c: 'services' | 'endpointSlices' | 'inferenceServices') => {
          const r = snapshot.collections[c];
          if (!r?.ok) throw new Error(`${c}: ${r ? r.error.message : 'not read'}`);
          return r.items.length;
        };
        return { services: n('services'), endpointSlices: n('endpointSlices'), inferenceServices: n('inferenceServices') };
      },
    },
  ];
  const results: Measured[] = [];
  for (const v of variants) {
    const runs: Measured[] = [];
    for (let r = 0; r < o.rounds; r++) {
      proxy.reset();
      const t = performance.now();
      const counts = await v.read();
      const ms = performance.now() - t;
      const seen = proxy.requests();
      runs.push({
        label: v.label,
        requests: seen.length,
        lists: seen.filter(q => q.list).length,
        bytes: proxy.bytesDown(),
        ms,
        ...counts,
      });
    }
    results.push({ ...runs[0], ms: median(runs.map(m => m.ms)) });
    log(`${v.label}: ${runs.map(m => fmtMs(m.ms)).join(', ')}`);
  }
  return results;
}

/** `yarn bench large-cluster`: the cost of one snapshot of a large cluster before and after paging and scoping. */
export async function runLargeClusterBench(o: LargeClusterOptions): Promise<void> {
  const started = performance.now();
  const env = await startTestEnv({ name: 'large' });
  let proxy: KubeProxy | undefined;
  try {
    const healthy = readScenario('healthy');
    // Webhooks last, as the scenario loader does: nothing generated is admitted through them.
    const isWebhookFile = (f: string) => /webhooks\.ya?ml$/.test(f);
    await applyFiles(env.access('admin'), healthy.files.filter(f => !isWebhookFile(f)));
    const { namespaces, objects } = generate(o);
    const t = performance.now();
    await createAll(env, namespaces);
    await createAll(env, objects);
    await applyFiles(env.access('admin'), healthy.files.filter(isWebhookFile));
    const loadMs = performance.now() - t;
    log(`created ${namespaces.length + objects.length} objects in ${fmtMs(loadMs)}`);

    proxy = await startKubeProxy({ target: env.url, ca: env.caData, ...testEnvServingCert(env.dataDir) });
    const rows = await measure(env, proxy, o);

    const header = ['one snapshot', 'time (median)', 'requests (LIST)', 'bytes', 'Services', 'EndpointSlices', 'InferenceServices'];
    const table = [
      header,
      ...rows.map(r => [
        r.label,
        fmtMs(r.ms),
        `${r.requests} (${r.lists})`,
        fmtMb(r.bytes),
        String(r.services),
        String(r.endpointSlices),
        String(r.inferenceServices),
      ]),
    ];
    const widths = header.map((_, i) => Math.max(...table.map(row => row[i].length)));
    const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    process.stdout.write(
      [
        `Large cluster (kube-apiserver testenv): ${o.services} Services, ${o.endpointSlices} EndpointSlices, ${o.inferenceServices} InferenceServices in ${o.namespaces} namespaces, plus the healthy scenario; ${o.rounds} snapshots per row`,
        line(table[0]),
        line(widths.map(w => '-'.repeat(w))),
        ...table.slice(1).map(line),
        `objects created in ${fmtMs(loadMs)}; whole run ${fmtMs(performance.now() - started)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await proxy?.close();
    await env.stop();
  }
}
