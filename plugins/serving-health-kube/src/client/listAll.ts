import { ReadError } from '@serving-health/plugin-serving-health-common';
import { KubernetesClient } from './types';

/**
 * Items per LIST page, as kubectl asks (`--chunk-size`): one page of a large collection stays small for the
 * API server, the network and this process.
 *
 * @public
 */
export const DEFAULT_LIST_PAGE_SIZE = 500;

/** A server that never stops handing out continue tokens must not keep a read going forever. */
const MAX_PAGES = 10_000;

/** @public */
export type ListResponse<T> =
  | {
      ok: true;
      items: T[];
      /** The list's resourceVersion: a watch started from it misses no change. */
      resourceVersion?: string;
    }
  | { ok: false; error: ReadError; status?: number };

/** @public */
export interface ListOptions<T> {
  /** Items per page (`limit`); default {@link DEFAULT_LIST_PAGE_SIZE}. */
  pageSize?: number;
  /** Applied to every item as its page arrives, so what is dropped is never held for the whole list. */
  map?: (item: any) => T;
  /** Only the objects with these labels. */
  labelSelector?: string;
}

/**
 * Every item of a collection, page by page (`limit` + `continue`): the result is complete or an error, never
 * a partial list. When a continue token expires (410 Gone: the collection changed faster than it was paged
 * and etcd compacted the revision it pointed at), the list restarts from its first page, once.
 *
 * @public
 */
export async function listAll<T = any>(
  client: KubernetesClient,
  path: string,
  options: ListOptions<T> = {},
): Promise<ListResponse<T>> {
  const limit = options.pageSize ?? DEFAULT_LIST_PAGE_SIZE;
  const map = options.map ?? ((item: any) => item as T);
  let items: T[] = [];
  let token: string | undefined;
  let restarted = false;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.request<{
      items?: unknown;
      metadata?: { continue?: string; resourceVersion?: string };
    }>({
      path,
      query: { limit, continue: token, labelSelector: options.labelSelector },
    });
    if (!res.ok) {
      if (res.status === 410 && token !== undefined && !restarted) {
        restarted = true;
        items = [];
        token = undefined;
        continue;
      }
      if (res.status === 410 && restarted) {
        return {
          ok: false,
          status: res.status,
          error: {
            ...res.error,
            message: `${res.error.message} (the continue token expired twice: the collection changes faster than it can be paged at ${limit} items per page)`,
          },
        };
      }
      return { ok: false, error: res.error, status: res.status };
    }
    const body = res.body;
    if (!body || !Array.isArray(body.items)) {
      return {
        ok: false,
        status: res.status,
        error: {
          reason: 'failed',
          request: `GET ${path}`,
          message: 'the answer is not a list: it has no items array',
          httpStatus: res.status,
        },
      };
    }
    for (const item of body.items) items.push(map(item));
    const next = body.metadata?.continue || undefined;
    if (!next)
      return {
        ok: true,
        items,
        resourceVersion: body.metadata?.resourceVersion || undefined,
      };
    if (next === token) {
      return {
        ok: false,
        status: res.status,
        error: {
          reason: 'failed',
          request: `GET ${path}`,
          message: 'the server answered a continue token with the same token',
          httpStatus: res.status,
        },
      };
    }
    token = next;
  }
  return {
    ok: false,
    error: {
      reason: 'failed',
      request: `GET ${path}`,
      message: `more than ${MAX_PAGES} pages of ${limit} items`,
    },
  };
}
