import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import { Table } from '@backstage/core-components';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { FleetEntry } from '@serving-health/plugin-serving-health-common';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import { endpointSummary } from '../../__fixtures__/fleetEntries';
import { modelEndpointNamed } from '../../__fixtures__/reports';
import { createServingHealthColumn } from './ServingHealthColumn';

const website: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: { type: 'website' },
};

function mockApi(entries: FleetEntry[]): jest.Mocked<ServingHealthApi> {
  return {
    getReport: jest.fn(),
    getHistory: jest.fn(),
    getFleetHistory: jest.fn(),
    getKyvernoPolicies: jest.fn(),
    getFleet: jest.fn(),
    getSummaries: jest.fn(async refs => ({
      entries: entries.filter(e => refs.includes(e.entityRef)),
      generatedAt: '2026-11-30T00:00:00Z',
    })),
  };
}

async function renderTable(api: ServingHealthApi, entities: Entity[]) {
  return renderInTestApp(
    <TestApiProvider apis={[[servingHealthApiRef, api]]}>
      <Table
        title="Catalog"
        options={{ paging: false, search: false }}
        columns={[
          { title: 'Name', field: 'entity.metadata.name' },
          createServingHealthColumn(),
        ]}
        data={entities.map(entity => ({ entity }))}
      />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('the Serving health column', () => {
  it('fetches the summaries of every endpoint row in one request, and none for other entities', async () => {
    const api = mockApi([
      endpointSummary('col-fraud', 'failing', ['webhook-no-endpoints']),
      endpointSummary('col-churn', 'healthy'),
    ]);
    await renderTable(api, [
      modelEndpointNamed('col-fraud'),
      website,
      modelEndpointNamed('col-churn'),
      modelEndpointNamed('col-hidden'),
    ]);
    await waitFor(() =>
      expect(screen.getAllByTestId('serving-health-cell')).toHaveLength(2),
    );
    expect(api.getSummaries).toHaveBeenCalledTimes(1);
    expect(api.getSummaries.mock.calls[0][0]).toEqual([
      'component:default/col-fraud',
      'component:default/col-churn',
      'component:default/col-hidden',
    ]);
    const failing = screen
      .getAllByTestId('serving-health-cell')
      .find(c => c.getAttribute('data-status') === 'failing')!;
    expect(failing).toHaveTextContent('Failing');
    expect(failing).toHaveTextContent('KServe webhook has no ready endpoints');
    expect(failing.querySelector('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/col-fraud/serving-health',
    );
  });

  it('sorts rows worst first when sorted descending', async () => {
    const api = mockApi([
      endpointSummary('sort-a', 'healthy'),
      endpointSummary('sort-b', 'failing', ['crd-missing']),
      endpointSummary('sort-c', 'degraded', ['stale-webhook']),
    ]);
    await renderTable(api, [
      modelEndpointNamed('sort-a'),
      modelEndpointNamed('sort-b'),
      modelEndpointNamed('sort-c'),
    ]);
    await waitFor(() =>
      expect(screen.getAllByTestId('serving-health-cell')).toHaveLength(3),
    );
    // The sort label, not the drag handle inside it (material-table makes both buttons).
    const sortLabel = () =>
      screen
        .getAllByRole('button', { name: 'Serving health' })
        .find(el => el.className.includes('MuiTableSortLabel-root'))!;
    const order = () =>
      screen
        .getAllByTestId('serving-health-cell')
        .map(c => c.getAttribute('data-status'));
    sortLabel().click();
    await waitFor(() =>
      expect(order()).toEqual(['healthy', 'degraded', 'failing']),
    );
    sortLabel().click();
    await waitFor(() =>
      expect(order()).toEqual(['failing', 'degraded', 'healthy']),
    );
  });

  it('says so in the cell when the request fails', async () => {
    const api = mockApi([]);
    api.getSummaries.mockRejectedValue(new Error('HTTP 503'));
    await renderTable(api, [modelEndpointNamed('err-a')]);
    expect(
      await screen.findByTestId('serving-health-cell-error'),
    ).toHaveTextContent('Serving health unavailable: HTTP 503');
  });
});
