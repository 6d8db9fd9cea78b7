import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { FleetSummary, TriageReport } from '@serving-health/plugin-serving-health-common';
import { GetReportOptions, ServingHealthApi } from './types';

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
    // Catalog refs are case-insensitive in kind; the lower-case form is the one URLs use.
    const path = `entities/${encodeURIComponent(
      entity.namespace || 'default',
    )}/${encodeURIComponent(
      entity.kind.toLocaleLowerCase('en-US'),
    )}/${encodeURIComponent(entity.name)}/report`;
    return this.get<TriageReport>(
      options?.refresh ? `${path}?refresh=true` : path,
    );
  }

  async getFleet(): Promise<FleetSummary> {
    return this.get<FleetSummary>('fleet');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('serving-health');
    const res = await this.fetchApi.fetch(`${baseUrl}/${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
