import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import { endpointSummary } from '../../__fixtures__/fleetEntries';
import { EndpointsCard } from './EndpointsCard';

const group: Entity = {
  apiVersion: 'backstage.io/v1',
  kind: 'Group',
  metadata: { name: 'card-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const owned = (name: string, annotated = true): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: annotated
      ? { 'serving.kserve.io/inferenceservice': `models/${name}` }
      : {},
  },
  spec: { type: annotated ? 'model-endpoint' : 'website', owner: 'card-team' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/card-team' }],
});

describe('EndpointsCard', () => {
  it("lists the group's model endpoints whose report the user may read, worst first, each linking to its tab", async () => {
    const catalogApi = catalogApiMock({
      entities: [
        group,
        owned('card-healthy'),
        owned('card-failing'),
        owned('card-website', false),
        owned('card-not-permitted'),
      ],
    });
    const api: jest.Mocked<ServingHealthApi> = {
      getReport: jest.fn(),
      getHistory: jest.fn(),
      getFleetHistory: jest.fn(),
      getFleet: jest.fn(),
      // The backend leaves out the entry of a report the user may not read.
      getSummaries: jest.fn(async (_refs: string[]) => ({
        entries: [
          endpointSummary('card-healthy', 'healthy'),
          endpointSummary('card-failing', 'failing', ['webhook-no-endpoints']),
        ],
        generatedAt: '2026-11-30T00:00:00Z',
      })),
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [servingHealthApiRef, api],
          [catalogApiRef, catalogApi],
        ]}
      >
        <EntityProvider entity={group}>
          <EndpointsCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const rows = await screen.findAllByTestId('serving-health-endpoint-row');
    expect(rows.map(r => r.getAttribute('data-entity-ref'))).toEqual([
      'component:default/card-failing',
      'component:default/card-healthy',
    ]);
    expect(api.getSummaries).toHaveBeenCalledTimes(1);
    expect([...api.getSummaries.mock.calls[0][0]].sort()).toEqual([
      'component:default/card-failing',
      'component:default/card-healthy',
      'component:default/card-not-permitted',
    ]);
    expect(rows[0]).toHaveTextContent('4. Webhook availability');
    expect(rows[0]).toHaveTextContent('KServe webhook has no ready endpoints');
    expect(screen.getByRole('link', { name: 'card-failing' })).toHaveAttribute(
      'href',
      '/catalog/default/component/card-failing/serving-health',
    );
  });
});
