import { KubeObject, ReadError } from '@serving-health/plugin-serving-health-common';
import {
  ResourceRef,
  resourceRef,
} from '@serving-health/plugin-serving-health-policy';
import { KubeRequest, KubeResponse, KubernetesClient } from '../client/types';

/**
 * The API server's answer to one server-side dry run, as it gave it.
 *
 * @public
 */
export interface DryRunAnswer {
  resource: ResourceRef;
  /** create, update when the object already exists (apply), or discover when the kind is not served. */
  operation: 'create' | 'update' | 'discover';
  allowed: boolean;
  /** HTTP status of the answer (0 when the server was not reached). */
  status: number;
  /** The response body verbatim: the would-be object, or the API server's Status. */
  response: unknown;
  /** The Status message of a denial, for logs. */
  message?: string;
  /** The classified failure of a request that was not admitted. */
  error?: ReadError;
}

/**
 * Where a kind is served: from discovery, or given by a caller that knows it.
 *
 * @public
 */
export interface ApiResource {
  /** `/apis/<group>/<version>` or `/api/v1`. */
  apiPath: string;
  /** Plural resource name. */
  name: string;
  namespaced: boolean;
}

/** @public */
export type ApiDiscovery = (
  apiVersion: string,
  kind: string,
) => Promise<{ resource?: ApiResource; response?: KubeResponse }>;

/**
 * Kind to REST resource through the API server's discovery, one request per group/version.
 *
 * @public
 */
export function createApiDiscovery(client: KubernetesClient): ApiDiscovery {
  const cache = new Map<string, Promise<KubeResponse>>();
  return async (apiVersion, kind) => {
    const apiPath = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    if (!cache.has(apiPath))
      cache.set(apiPath, client.request({ path: apiPath }));
    const response = await cache.get(apiPath)!;
    if (!response.ok) return { response };
    const found = (
      (response.body?.resources ?? []) as Array<{
        name: string;
        namespaced: boolean;
        kind: string;
      }>
    ).find(x => x.kind === kind && !x.name.includes('/'));
    return {
      response,
      resource: found && {
        apiPath,
        name: found.name,
        namespaced: found.namespaced,
      },
    };
  };
}

/**
 * A client that refuses, without sending it, any request other than a GET that does not carry
 * `dryRun=All`: whatever a caller builds, nothing reaches the API server that could persist.
 *
 * @public
 */
export function dryRunOnly(client: KubernetesClient): KubernetesClient {
  return {
    cluster: client.cluster,
    requestCount: () => client.requestCount(),
    async request(req) {
      if ((req.method ?? 'GET') !== 'GET' && req.query?.dryRun !== 'All') {
        return {
          ok: false,
          error: {
            reason: 'failed',
            request: `${req.method} ${req.path}`,
            message: 'refused: serving-health sends a write only as a server-side dry run (dryRun=All)',
          },
        };
      }
      return client.request(req);
    },
  };
}

/**
 * Every mutating request goes through here, and here it always carries `dryRun=All`: the API server runs
 * authentication, authorization, defaulting, every admission webhook and validation, and persists nothing.
 */
function dryRunRequest(
  client: KubernetesClient,
  req: KubeRequest,
  timeoutMs: number | undefined,
): Promise<KubeResponse> {
  return client.request({
    ...req,
    timeoutMs,
    query: {
      ...req.query,
      dryRun: 'All',
      fieldManager: 'serving-health-dry-run',
    },
  });
}

const statusOf = (r: KubeResponse) => r.status ?? 0;
const bodyOf = (r: KubeResponse) =>
  r.ok ? r.body : r.body ?? { error: r.error };
const messageOf = (r: KubeResponse) =>
  r.ok ? undefined : (r.body?.message as string | undefined) ?? r.error.message;

function answer(
  resource: ResourceRef,
  operation: DryRunAnswer['operation'],
  r: KubeResponse,
  allowed = r.ok,
): DryRunAnswer {
  return {
    resource,
    operation,
    allowed,
    status: statusOf(r),
    response: bodyOf(r),
    message: allowed ? undefined : messageOf(r),
    error: r.ok || allowed ? undefined : r.error,
  };
}

/**
 * Sends one object to the API server as a server-side dry run, the only way this project ever writes.
 * `apply` creates or updates, as `kubectl apply` would (admission runs before the storage layer could answer
 * "already exists", so whether the object exists is asked first). `create` always creates: run on a live
 * object it walks the whole admission chain a create meets, and AlreadyExists, which the API server answers
 * only after admission, means every webhook and policy admitted it.
 *
 * @public
 */
export async function dryRunObject(
  client: KubernetesClient,
  object: KubeObject,
  options: {
    mode: 'apply' | 'create';
    discover: ApiDiscovery;
    /** Namespace of a namespaced object that names none. */
    defaultNamespace?: string;
    timeoutMs?: number;
  },
): Promise<DryRunAnswer> {
  // Guarded as well as built right: a request without dryRun=All is refused before it leaves.
  const guarded = dryRunOnly(client);
  const resource = resourceRef(object);
  const { resource: api, response: discovery } = await options.discover(
    object.apiVersion!,
    object.kind!,
  );
  if (!api) {
    // What kubectl reports as "no matches for kind": the cluster does not serve this kind (CRD missing?).
    const message = `no matches for kind "${object.kind}" in version "${object.apiVersion}"`;
    if (discovery && !discovery.ok) return answer(resource, 'discover', discovery);
    return {
      resource,
      operation: 'discover',
      allowed: false,
      status: 404,
      response: {
        kind: 'Status',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message,
      },
      message,
    };
  }
  const namespace = api.namespaced
    ? object.metadata?.namespace || options.defaultNamespace || 'default'
    : undefined;
  const body = api.namespaced
    ? { ...object, metadata: { ...object.metadata, namespace } }
    : object;
  if (api.namespaced) resource.namespace = namespace;
  const collection = `${api.apiPath}${
    namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  }/${api.name}`;

  const name = object.metadata?.name;
  if (options.mode === 'apply' && name) {
    const itemPath = `${collection}/${encodeURIComponent(name)}`;
    const live = await guarded.request({ path: itemPath, timeoutMs: options.timeoutMs });
    if (live.ok) {
      const resourceVersion = live.body?.metadata?.resourceVersion;
      const updated = await dryRunRequest(
        guarded,
        {
          method: 'PUT',
          path: itemPath,
          body: { ...body, metadata: { ...body.metadata, resourceVersion } },
        },
        options.timeoutMs,
      );
      return answer(resource, 'update', updated);
    }
  }
  const created = await dryRunRequest(
    guarded,
    { method: 'POST', path: collection, body },
    options.timeoutMs,
  );
  const admittedExisting =
    options.mode === 'create' &&
    created.status === 409 &&
    created.body?.reason === 'AlreadyExists';
  return answer(resource, 'create', created, created.ok || admittedExisting);
}
