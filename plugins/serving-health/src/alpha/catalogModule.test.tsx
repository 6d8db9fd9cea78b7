import { screen, waitFor } from '@testing-library/react';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { ExtensionDefinition } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import catalogPlugin, {
  CatalogExportConfigBlueprint,
} from '@backstage/plugin-catalog/alpha';
import { servingHealthApiRef } from '../api';
import { endpointSummary } from '../__fixtures__/fleetEntries';
import { modelEndpointNamed } from '../__fixtures__/reports';
import { mockServingHealthApi } from '../__testUtils__/mockServingHealthApi';
import servingHealthPlugin, { catalogModuleServingHealth } from '../alpha';

const website: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'nfs-website', namespace: 'default' },
  spec: { type: 'website', owner: 'team-web', lifecycle: 'production' },
};

const api: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'nfs-fraud-api', namespace: 'default' },
  spec: { type: 'openapi', owner: 'team-ml', lifecycle: 'production' },
};

// Names unique to this file: summaries are cached per browser session, across tests.
function renderCatalog(
  initialKind: string,
  options: {
    exportSettings?: { enabled: boolean };
    extensions?: ExtensionDefinition<any>[];
  } = {},
) {
  const servingHealthApi = mockServingHealthApi({
    getSummaries: async refs => ({
      entries: [
        endpointSummary('nfs-fraud', 'failing', ['webhook-no-endpoints']),
        endpointSummary('nfs-churn', 'healthy'),
      ].filter(e => refs.includes(e.entityRef)),
      generatedAt: '2026-11-30T00:00:00Z',
    }),
  });
  renderTestApp({
    features: [catalogPlugin, catalogModuleServingHealth, servingHealthPlugin],
    extensions: options.extensions,
    initialRouteEntries: ['/catalog'],
    config: {
      app: {
        extensions: [
          // Everyone's entities, not the signed-in user's (the test user owns none).
          {
            'catalog-filter:catalog/list': { config: { initialFilter: 'all' } },
          },
          {
            'catalog-filter:catalog/kind': {
              config: { initialFilter: initialKind },
            },
          },
          {
            'page:catalog': {
              config: { exportSettings: options.exportSettings ?? {} },
            },
          },
        ],
      },
    },
    apis: [
      [
        catalogApiRef,
        catalogApiMock({
          entities: [
            modelEndpointNamed('nfs-fraud'),
            website,
            modelEndpointNamed('nfs-churn'),
            api,
          ],
        }),
      ],
      [servingHealthApiRef, servingHealthApi],
      mockApis.permission(),
    ],
  });
  return servingHealthApi;
}

/**
 * Waits for the catalog table to list an entity. The whole app renders first (the catalog plugin and its lazy
 * extensions): about 16 s cold on two cores shared with other suites, beyond the usual 15 s budget.
 */
const tableRow = (name: string) =>
  screen.findByText(name, undefined, { timeout: 45_000 });

describe('catalogModuleServingHealth', () => {
  it('adds the Serving health column to the Component table, fed by one request for the page', async () => {
    const servingHealthApi = renderCatalog('component');
    await tableRow('nfs-website');
    await waitFor(() =>
      expect(screen.getAllByTestId('serving-health-cell')).toHaveLength(2),
    );
    expect(
      screen.getAllByRole('columnheader', { name: /Serving health/ }),
    ).not.toHaveLength(0);
    const failing = screen
      .getAllByTestId('serving-health-cell')
      .find(c => c.getAttribute('data-status') === 'failing')!;
    expect(failing).toHaveTextContent('Failing');
    expect(failing).toHaveTextContent('KServe webhook has no ready endpoints');

    // The page's own filters still attach to the replaced page: the catalog's and Serving Health's (each loads lazily).
    expect(
      await screen.findByTestId('serving-health-picker'),
    ).toBeInTheDocument();
    expect((await screen.findAllByText('Kind')).length).toBeGreaterThan(0);

    // After the filters have loaded too: still one request, for the page's endpoints.
    expect(servingHealthApi.getSummaries).toHaveBeenCalledTimes(1);
    expect([...servingHealthApi.getSummaries.mock.calls[0][0]].sort()).toEqual([
      'component:default/nfs-churn',
      'component:default/nfs-fraud',
    ]);
  });

  it('leaves other kinds’ tables as the catalog makes them', async () => {
    const servingHealthApi = renderCatalog('api');
    await tableRow('nfs-fraud-api');
    expect(
      screen.queryAllByRole('columnheader', { name: /Serving health/ }),
    ).toHaveLength(0);
    expect(servingHealthApi.getSummaries).not.toHaveBeenCalled();
  });

  it('keeps the page’s config and the export customizations attached to it', async () => {
    renderCatalog('component', {
      exportSettings: { enabled: true },
      extensions: [
        CatalogExportConfigBlueprint.make({
          name: 'endpoints',
          params: {
            columns: [
              { entityFilterKey: 'metadata.name', title: 'Endpoint name' },
            ],
          },
        }),
      ],
    });
    await tableRow('nfs-website');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export selection' }),
    );
    expect(await screen.findByText('Endpoint name')).toBeInTheDocument();
  });
});
