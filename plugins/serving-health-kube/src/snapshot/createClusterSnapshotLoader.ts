import {
  ClusterSnapshot,
  ControlPlaneNamespaces,
  KubeObject,
  ReadResult,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesClient } from '../client/types';
import { CollectionSpec, snapshotCollections } from './collections';

function slim(item: KubeObject): KubeObject {
  // managedFields are most of an object's bytes and no check reads them.
  if (item?.metadata) delete (item.metadata as any).managedFields;
  return item;
}

async function readCollection(
  client: KubernetesClient,
  spec: CollectionSpec,
): Promise<ReadResult> {
  const res = await client.request<{ items?: KubeObject[] }>({ path: spec.path });
  if (res.ok) return { ok: true, items: (res.body.items ?? []).map(slim) };
  const error = { ...res.error, request: spec.kubectl };
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
      verb: 'list',
    };
  }
  return { ok: false, error };
}

function merge(a: ReadResult | undefined, b: ReadResult): ReadResult {
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
 * Reads everything cluster-wide that the checks need in one parallel round of
 * LIST calls. Every entity on the cluster shares the result.
 *
 * @public
 */
export function createClusterSnapshotLoader(options: {
  client: KubernetesClient;
  namespaces: ControlPlaneNamespaces;
}): ClusterSnapshotLoader {
  const { client, namespaces } = options;
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
          : { ok: false, error: { ...version.error, request: 'kubectl version' } },
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
      const all = snapshotCollections(namespaces);
      const results = await Promise.all(all.map(s => readCollection(client, s)));
      all.forEach((s, i) => {
        snapshot.collections[s.collection] = merge(
          snapshot.collections[s.collection],
          results[i],
        );
      });
      snapshot.requestCount = client.requestCount() - before;
      return snapshot;
    },
  };
}
