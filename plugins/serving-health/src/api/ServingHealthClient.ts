import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityHistory,
  FleetHistory,
  FleetSummary,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import { CallerClusterAuth, GetReportOptions, ServingHealthApi } from './types';

interface ClusterSummary {
  name: string;
  authScope: 'server' | 'user';
  authProvider?: string;
  oidcTokenProvider?: string;
  /** Where the user's token for this cluster goes (the Kubernetes plugin's header). */
  header?: string;
}

// Catalog refs are case-insensitive in kind; the lower-case form is the one URLs use.
const entityPath = (entity: CompoundEntityRef) =>
  `entities/${encodeURIComponent(
    entity.namespace || 'default',
  )}/${encodeURIComponent(
    entity.kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(entity.name)}`;

/**
 * Talks to the serving-health backend plugin.
 *
 * @public
 */
export class ServingHealthClient implements ServingHealthApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getReport(
    entity: CompoundEntityRef,
    options?: GetReportOptions,
  ): Promise<TriageReport> {
    const path = `${entityPath(entity)}/report`;
    return this.get<TriageReport>(
      options?.refresh ? `${path}?refresh=true` : path,
      await this.callerClusterHeaders(options),
    );
  }

  async getFleet(options?: CallerClusterAuth): Promise<FleetSummary> {
    return this.get<FleetSummary>(
      'fleet',
      await this.callerClusterHeaders(options),
    );
  }

  async getSummaries(
    entityRefs: string[],
    options?: CallerClusterAuth,
  ): Promise<FleetSummary> {
    return this.request<FleetSummary>(
      'summaries',
      await this.callerClusterHeaders(options),
      { entityRefs },
    );
  }

  async getHistory(entity: CompoundEntityRef): Promise<EntityHistory> {
    return this.get<EntityHistory>(`${entityPath(entity)}/history`);
  }

  async getFleetHistory(): Promise<FleetHistory> {
    return this.get<FleetHistory>('fleet/history');
  }

  /**
   * The user's own tokens for the clusters read as the user, in the Kubernetes plugin's headers. A provider the
   * user is not signed in to is left out: the report then says which sign-in is missing.
   */
  private async callerClusterHeaders(
    options?: CallerClusterAuth,
  ): Promise<Record<string, string>> {
    const getCredentials = options?.clusterCredentials;
    if (!getCredentials) return {};
    const { items } = await this.get<{ items: ClusterSummary[] }>(
      'clusters',
      {},
    );
    const providers = new Map<string, string>();
    for (const c of items) {
      if (c.authScope !== 'user' || !c.authProvider || !c.header) continue;
      const oidc = c.authProvider === 'oidc' && c.oidcTokenProvider;
      providers.set(
        oidc ? `oidc.${c.oidcTokenProvider}` : c.authProvider,
        c.header,
      );
    }
    const headers: Record<string, string> = {};
    for (const [provider, header] of providers) {
      try {
        const { token } = await getCredentials(provider);
        if (token) headers[header] = token;
      } catch {
        // Not signed in to that provider (or it is not configured in this app).
      }
    }
    return headers;
  }

  private get<T>(path: string, headers: Record<string, string> = {}) {
    return this.request<T>(path, headers);
  }

  /** A GET, or with `body` a POST of it as JSON. */
  private async request<T>(
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('serving-health');
    const url = `${baseUrl}/${path}`;
    let init: RequestInit | undefined;
    if (body !== undefined) {
      init = {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      };
    } else if (Object.keys(headers).length) {
      init = { headers };
    }
    const res = await (init
      ? this.fetchApi.fetch(url, init)
      : this.fetchApi.fetch(url));
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
