import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import { fleetSummary } from '../../__fixtures__/reports';
import { FleetPage } from './FleetPage';
import {
  FleetRow,
  filterFleetRows,
  groupProblems,
  toFleetRows,
} from './fleetRows';
import { mockServingHealthApi } from '../../__testUtils__/mockServingHealthApi';

function mockApi(
  getFleet: ServingHealthApi['getFleet'],
): jest.Mocked<ServingHealthApi> {
  return mockServingHealthApi({ getFleet });
}

async function renderFleet(api: ServingHealthApi, route = '/serving-health') {
  return renderInTestApp(
    <TestApiProvider apis={[[servingHealthApiRef, api]]}>
      <FleetPage />
    </TestApiProvider>,
    {
      routeEntries: [route],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const rowNames = () =>
  screen
    .queryAllByTestId(/^fleet-row-/)
    .map(row => row.getAttribute('data-testid')!.replace('fleet-row-', ''));

describe('FleetPage', () => {
  it('lists every entity with cluster, status, failing stage and failure modes, worst first', async () => {
    await renderFleet(mockApi(async () => fleetSummary));
    await screen.findByTestId('fleet-row-fraud-model');
    expect(rowNames().slice(0, 2).sort()).toEqual([
      'fraud-model',
      'pricing-model',
    ]);
    expect(rowNames()).toHaveLength(4);
    expect(rowNames()[3]).toBe('churn-model');

    const row = within(screen.getByTestId('fleet-row-fraud-model'));
    expect(screen.getByTestId('fleet-row-fraud-model')).toHaveAttribute(
      'data-status',
      'failing',
    );
    expect(row.getByRole('link', { name: 'fraud-model' })).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-model/serving-health',
    );
    expect(row.getByText('ml-prod')).toBeInTheDocument();
    expect(row.getByTestId('fleet-overall-fraud-model')).toHaveTextContent(
      'Failing',
    );
    expect(row.getByText('2. Control-plane health')).toBeInTheDocument();
    expect(
      row.getByText('KServe webhook has no ready endpoints'),
    ).toBeInTheDocument();

    expect(
      screen.getByTestId('fleet-error-broken-annotation'),
    ).toHaveTextContent(fleetSummary.entries[3].error!);
    expect(screen.getByTestId('fleet-count-failing')).toHaveAttribute(
      'data-count',
      '2',
    );
    expect(screen.getByTestId('fleet-count-healthy')).toHaveAttribute(
      'data-count',
      '1',
    );
  });

  it('filters by status', async () => {
    await renderFleet(mockApi(async () => fleetSummary));
    await screen.findByTestId('fleet-row-fraud-model');
    await userEvent.selectOptions(
      screen.getByTestId('fleet-filter-status'),
      'healthy',
    );
    await waitFor(() => expect(rowNames()).toEqual(['churn-model']));
  });

  it('filters by failure mode, read from the URL', async () => {
    await renderFleet(
      mockApi(async () => fleetSummary),
      '/serving-health?failureMode=label-policy-mismatch',
    );
    await screen.findByTestId('fleet-row-pricing-model');
    expect(rowNames()).toEqual(['pricing-model']);
    expect(screen.getByTestId('fleet-filter-failure-mode')).toHaveValue(
      'label-policy-mismatch',
    );

    await userEvent.selectOptions(
      screen.getByTestId('fleet-filter-failure-mode'),
      '',
    );
    await waitFor(() => expect(rowNames()).toHaveLength(4));
  });

  it('offers every failure mode of the catalogue as a filter, webhook-unavailable included', async () => {
    await renderFleet(mockApi(async () => fleetSummary));
    await screen.findByTestId('fleet-row-pricing-model');
    const options = Array.from(
      (screen.getByTestId('fleet-filter-failure-mode') as HTMLSelectElement)
        .options,
    ).map(o => [o.value, o.textContent]);
    expect(options).toContainEqual([
      'webhook-unavailable',
      "Another component's webhook is not served",
    ]);
    expect(options).toContainEqual([
      'stale-webhook',
      'Stale admission webhook',
    ]);
  });

  it('says so when no entity matches the filters', async () => {
    await renderFleet(
      mockApi(async () => fleetSummary),
      '/serving-health?status=degraded',
    );
    expect(await screen.findByTestId('fleet-empty')).toHaveTextContent(
      'No entity matches these filters.',
    );
  });

  it('lists worst first, then by entity, with no sort buttons nested in the header cells', async () => {
    await renderFleet(mockApi(async () => fleetSummary));
    await screen.findByTestId('fleet-row-fraud-model');
    expect(rowNames()).toEqual([
      'fraud-model',
      'pricing-model',
      'broken-annotation',
      'churn-model',
    ]);
    expect(screen.queryByRole('button', { name: 'Entity' })).toBeNull();
  });

  it('shows the error panel when the backend is down', async () => {
    await renderFleet(
      mockApi(async () => {
        throw new Error('connect ECONNREFUSED');
      }),
    );
    expect(await screen.findByTestId('fleet-error')).toHaveTextContent(
      /ECONNREFUSED/,
    );
  });
});

describe('filterFleetRows', () => {
  const rows = toFleetRows(fleetSummary.entries);

  it('keeps every row without filters', () => {
    expect(filterFleetRows(rows, {})).toHaveLength(4);
  });

  it('combines status and failure mode', () => {
    expect(
      filterFleetRows(rows, {
        status: 'failing',
        failureMode: 'webhook-no-endpoints',
      }).map(r => r.name),
    ).toEqual(['fraud-model']);
  });
});

describe('filterFleetRows search and owner', () => {
  const rows = toFleetRows(
    fleetSummary.entries.map((e, i) => ({
      ...e,
      owner: i % 2 ? 'group:default/team-b' : 'group:default/team-a',
    })),
  );

  it('searches name, title, ref and cluster, ignoring case', () => {
    expect(filterFleetRows(rows, { q: 'FRAUD' }).map(r => r.name)).toEqual([
      'fraud-model',
    ]);
    expect(filterFleetRows(rows, { q: 'ml-prod' }).length).toBe(
      rows.filter(r => r.cluster === 'ml-prod').length,
    );
    expect(filterFleetRows(rows, { q: 'no such endpoint' })).toEqual([]);
  });

  it('filters by owner', () => {
    expect(
      filterFleetRows(rows, { owner: 'group:default/team-b' }).map(r => r.name),
    ).toEqual(['churn-model', 'broken-annotation']);
  });
});

describe('groupProblems', () => {
  it('counts failing and degraded endpoints per cluster and failure mode, ignoring healthy and unknown ones', () => {
    const row = (
      name: string,
      cluster: string,
      overall: FleetRow['overall'],
      failureModes: FleetRow['failureModes'],
    ): FleetRow => ({
      id: name,
      name,
      namespace: 'default',
      kind: 'component',
      entityRef: `component:default/${name}`,
      cluster,
      overall,
      failureModes,
    });
    expect(
      groupProblems([
        row('a', 'b-cluster', 'failing', ['crd-missing']),
        row('b', 'a-cluster', 'degraded', ['stale-webhook']),
        row('c', 'a-cluster', 'failing', ['stale-webhook', 'crd-missing']),
        row('d', 'a-cluster', 'failing', ['crd-missing']),
        row('e', 'a-cluster', 'unknown', ['crd-missing']),
        row('f', 'c-cluster', 'healthy', []),
      ]),
    ).toEqual([
      {
        cluster: 'a-cluster',
        problems: [
          { failureMode: 'crd-missing', failing: 2, degraded: 0 },
          { failureMode: 'stale-webhook', failing: 1, degraded: 1 },
        ],
      },
      {
        cluster: 'b-cluster',
        problems: [{ failureMode: 'crd-missing', failing: 1, degraded: 0 }],
      },
    ]);
  });
});
