import {
  ClusterSnapshot,
  ControlPlaneNamespaces,
  KubeObject,
  ReadError,
  ReadResult,
  SnapshotCollection,
} from '@serving-health/plugin-serving-health-common';
import { listAll } from '../client/listAll';
import { KubernetesClient } from '../client/types';
import {
  CollectionSpec,
  snapshotCollections,
  webhookServiceNamespaces,
} from './collections';
import { projectObject } from './projection';

async function readCollection(
  client: KubernetesClient,
  spec: CollectionSpec,
  pageSize: number | undefined,
): Promise<ReadResult> {
  const res = await listAll<KubeObject>(client, spec.path, {
    pageSize,
    map: item => projectObject(spec.collection, item),
    labelSelector: spec.labelSelector,
  });
  if (res.ok) return { ok: true, items: res.items };
  return collectionError(spec, res.error);
}

/** A failed read of a collection as the checks expect it: named as kubectl would ask, RBAC rule named. */
export function collectionError(
  spec: CollectionSpec,
  readError: ReadError,
  verb: 'list' | 'watch' = 'list',
): ReadResult {
  const error = { ...readError, request: spec.kubectl };
  if (error.reason === 'not-found' && spec.custom) {
    return {
      ok: false,
      error: {
        ...error,
        reason: 'not-installed',
        message: `the server has no resource ${spec.resource}.${spec.apiGroup} (its CRD is not installed)`,
      },
    };
  }
  if (error.reason === 'forbidden') {
    error.missingRule = {
      apiGroup: spec.apiGroup,
      resource: spec.resource,
      verb,
    };
  }
  return { ok: false, error };
}

export const WEBHOOK_CONFIGURATIONS: SnapshotCollection[] = [
  'validatingWebhookConfigurations',
  'mutatingWebhookConfigurations',
];

/** Two reads of one collection (two namespaces) as one: an error wins. */
export function mergeReads(
  a: ReadResult | undefined,
  b: ReadResult,
): ReadResult {
  if (!a) return b;
  if (!a.ok) return a;
  if (!b.ok) return b;
  return { ok: true, items: [...a.items, ...b.items] };
}

/** @public */
export interface ClusterSnapshotLoader {
  load(): Promise<ClusterSnapshot>;
}

/**
 * Reads everything the checks need: one parallel round of LIST calls, each paged (`pageSize` items, default
 * 500), and the Services and EndpointSlices of the namespaces the webhook configurations point at as soon as
 * those two lists are in. Every entity on the cluster shares the result.
 *
 * @public
 */
export function createClusterSnapshotLoader(options: {
  client: KubernetesClient;
  namespaces: ControlPlaneNamespaces;
  /** Items per LIST page. */
  pageSize?: number;
}): ClusterSnapshotLoader {
  const { client, namespaces, pageSize } = options;
  const read = (spec: CollectionSpec) =>
    readCollection(client, spec, pageSize).then(result => ({ spec, result }));
  return {
    async load() {
      const readAt = new Date().toISOString();
      const before = client.requestCount();
      const version = await client.request<any>({ path: '/version' });
      const snapshot: ClusterSnapshot = {
        cluster: client.cluster,
        readAt,
        version: version.ok
          ? { ok: true, value: version.body }
          : {
              ok: false,
              error: { ...version.error, request: 'kubectl version' },
            },
        collections: {},
        namespaces,
        requestCount: 0,
      };
      // An unreachable cluster or a failed TLS handshake fails every read alike:
      // stop after the first call instead of waiting for a dozen timeouts.
      if (
        !version.ok &&
        ['unreachable', 'timeout', 'tls', 'unauthorized'].includes(
          version.error.reason,
        )
      ) {
        snapshot.requestCount = client.requestCount() - before;
        return snapshot;
      }
      const firstSpecs = snapshotCollections(namespaces).filter(
        s => !s.webhookScoped,
      );
      const first = firstSpecs.map(read);
      // Only the webhook lists gate the scoped reads, not the whole first round. A webhook list that cannot
      // be read names no namespace: its checks report that error, and the control-plane namespaces are
      // read regardless.
      const webhookLists = first.filter((_, i) =>
        WEBHOOK_CONFIGURATIONS.includes(firstSpecs[i].collection),
      );
      const scoped = Promise.all(webhookLists).then(webhooks => {
        const targets = webhookServiceNamespaces(
          webhooks.flatMap(w => (w.result.ok ? w.result.items : [])),
        );
        return Promise.all(
          snapshotCollections(namespaces, targets)
            .filter(s => s.webhookScoped)
            .map(read),
        );
      });
      for (const { spec, result } of [
        ...(await Promise.all(first)),
        ...(await scoped),
      ]) {
        snapshot.collections[spec.collection] = mergeReads(
          snapshot.collections[spec.collection],
          result,
        );
      }
      snapshot.requestCount = client.requestCount() - before;
      return snapshot;
    },
  };
}
