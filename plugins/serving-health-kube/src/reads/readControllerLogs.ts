import {
  ClusterSnapshot,
  KSERVE_CONTROLLER_NAME,
  TargetReads,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesClient } from '../client/types';
import { redactLog } from '../redact';

/** @public */
export const DEFAULT_LOG_TAIL_LINES = 200;
/** Bounds the read on the server side too: one pathological line must not cost megabytes per report. */
const LIMIT_BYTES = 512 * 1024;

/**
 * Reads and redacts the last lines of the KServe controller's `manager` container.
 *
 * @public
 */
export async function readControllerLogs(
  client: KubernetesClient,
  snapshot: ClusterSnapshot,
  options: { tailLines?: number } = {},
): Promise<NonNullable<TargetReads['controllerLogs']>> {
  const ns = snapshot.namespaces.kserve;
  const pods = snapshot.collections.controlPlanePods;
  const pod = pods?.ok
    ? pods.items
        .filter(
          p =>
            p.metadata.namespace === ns &&
            p.metadata.labels?.['control-plane'] === KSERVE_CONTROLLER_NAME,
        )
        // The newest pod first: after a rollout it holds the current logs.
        .sort((a, b) =>
          String(b.metadata.creationTimestamp ?? '').localeCompare(
            String(a.metadata.creationTimestamp ?? ''),
          ),
        )[0]
    : undefined;
  const container = 'manager';
  if (!pod) {
    return {
      ok: false,
      container,
      error: {
        reason: 'not-found',
        request: `kubectl -n ${ns} logs -l control-plane=${KSERVE_CONTROLLER_NAME} -c ${container}`,
        message: `no ${KSERVE_CONTROLLER_NAME} pod in namespace ${ns}`,
      },
    };
  }
  const name = pod.metadata.name;
  const res = await client.request<string>({
    path: `/api/v1/namespaces/${ns}/pods/${name}/log`,
    query: {
      container,
      tailLines: options.tailLines ?? DEFAULT_LOG_TAIL_LINES,
      limitBytes: LIMIT_BYTES,
    },
    text: true,
  });
  if (!res.ok) {
    return {
      ok: false,
      pod: name,
      container,
      error: {
        ...res.error,
        request: `kubectl -n ${ns} logs ${name} -c ${container} --tail=${options.tailLines ?? DEFAULT_LOG_TAIL_LINES}`,
        missingRule:
          res.error.reason === 'forbidden'
            ? { apiGroup: '', resource: 'pods/log', verb: 'get' }
            : undefined,
      },
    };
  }
  return { ok: true, pod: name, container, items: redactLog(String(res.body ?? '')) };
}
