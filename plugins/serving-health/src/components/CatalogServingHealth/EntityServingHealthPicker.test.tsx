import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  MockEntityListContextProvider,
} from '@backstage/plugin-catalog-react/testUtils';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import { endpointSummary } from '../../__fixtures__/fleetEntries';
import { EntityServingHealthPicker } from './EntityServingHealthPicker';
import { ServingHealthFilter } from './servingHealthFilter';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { type: 'model-endpoint' },
});

const fleet = [
  endpointSummary('pick-crd', 'failing', ['crd-missing']),
  endpointSummary('pick-stale', 'failing', ['stale-webhook']),
  endpointSummary('pick-degraded', 'degraded', ['stale-webhook']),
  endpointSummary('pick-healthy', 'healthy'),
];

async function renderPicker(queryParameters = {}) {
  const updateFilters = jest.fn();
  const api: jest.Mocked<ServingHealthApi> = {
    getReport: jest.fn(),
    getHistory: jest.fn(),
    getFleetHistory: jest.fn(),
    getFleet: jest.fn(async () => ({
      entries: fleet,
      generatedAt: '2026-11-30T00:00:00Z',
    })),
    getSummaries: jest.fn(),
  };
  const catalogApi = catalogApiMock({
    entities: fleet.map(e => component(e.entityRef.split('/')[1])),
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [servingHealthApiRef, api],
        [catalogApiRef, catalogApi],
      ]}
    >
      <MockEntityListContextProvider value={{ updateFilters, queryParameters }}>
        <EntityServingHealthPicker />
      </MockEntityListContextProvider>
    </TestApiProvider>,
  );
  /** The last filter the picker set (undefined: none). */
  const lastFilter = () =>
    updateFilters.mock.calls.at(-1)?.[0].servingHealth as
      | ServingHealthFilter
      | undefined;
  return { api, lastFilter };
}

describe('EntityServingHealthPicker', () => {
  it('sets no filter and reads nothing while nothing is selected', async () => {
    const { api, lastFilter } = await renderPicker();
    await waitFor(() => expect(lastFilter()).toBeUndefined());
    expect(api.getFleet).not.toHaveBeenCalled();
  });

  it('keeps the entities with the selected status and failure mode, narrowing the catalog query to their uids', async () => {
    const { lastFilter } = await renderPicker();
    fireEvent.change(screen.getByTestId('serving-health-filter-status'), {
      target: { value: 'failing' },
    });
    fireEvent.change(screen.getByTestId('serving-health-filter-failure-mode'), {
      target: { value: 'stale-webhook' },
    });
    await waitFor(() =>
      expect(lastFilter()?.selection).toEqual({
        status: 'failing',
        failureMode: 'stale-webhook',
      }),
    );
    const filter = lastFilter()!;
    expect(
      fleet.map(e => filter.filterEntity(component(e.entityRef.split('/')[1]))),
    ).toEqual([false, true, false, false]);
    expect(filter.getCatalogFilters()).toEqual({
      'metadata.uid': ['uid-pick-stale'],
    });
    expect(filter.toQueryValue()).toEqual([
      'status:failing',
      'mode:stale-webhook',
    ]);
  });

  it('starts from the selection in the URL', async () => {
    const { lastFilter } = await renderPicker({
      servingHealth: ['status:degraded'],
    });
    await waitFor(() =>
      expect(lastFilter()?.selection).toEqual({ status: 'degraded' }),
    );
    expect(
      (screen.getByTestId('serving-health-filter-status') as HTMLSelectElement)
        .value,
    ).toBe('degraded');
  });
});
