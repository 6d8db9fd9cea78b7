import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import {
  entityWithoutAnnotation,
  healthyReport,
  modelEndpointEntity,
  webhookFailingReport,
} from '../../__fixtures__/reports';
import { ServingHealthCard } from './ServingHealthCard';
import { mockServingHealthApi } from '../../__testUtils__/mockServingHealthApi';

function mockApi(
  getReport: ServingHealthApi['getReport'],
): jest.Mocked<ServingHealthApi> {
  return mockServingHealthApi({ getReport });
}

async function renderCard(
  api: ServingHealthApi,
  entity: Entity = modelEndpointEntity,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[servingHealthApiRef, api]]}>
      <EntityProvider entity={entity}>
        <ServingHealthCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ServingHealthCard', () => {
  it('shows the failing stage and the failure mode, and links to the tab', async () => {
    await renderCard(mockApi(async () => webhookFailingReport));
    expect(
      await screen.findByTestId('serving-health-card-overall'),
    ).toHaveTextContent('Failing');
    expect(
      screen.getByTestId('serving-health-card-failing-stage'),
    ).toHaveTextContent('2. Control-plane health');
    expect(
      screen.getByTestId(
        'serving-health-card-failure-mode-webhook-no-endpoints',
      ),
    ).toHaveTextContent('KServe webhook has no ready endpoints');
    // The same one-sentence finding as the tab, from the failing check.
    const check = webhookFailingReport.checks.find(
      c => c.failureMode === 'webhook-no-endpoints' && c.status === 'fail',
    )!;
    expect(
      screen.getByTestId('serving-health-card-finding-webhook-no-endpoints'),
    ).toHaveTextContent(check.summary);
    expect(
      screen.getByRole('link', { name: /Open Serving Health triage/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-model/serving-health',
    );
  });

  it('says since when it has been failing, as the scheduled triage recorded it', async () => {
    const since = new Date(Date.now() - (3 * 3600 + 20 * 60) * 1000);
    await renderCard(
      mockServingHealthApi({
        getReport: async () => webhookFailingReport,
        getHistory: async () => ({
          state: {
            entityRef: webhookFailingReport.entityRef,
            overall: 'failing',
            failureModes: ['webhook-no-endpoints'],
            since: since.toISOString(),
            checkedAt: new Date().toISOString(),
          },
          transitions: [],
        }),
      }),
    );
    expect(await screen.findByTestId('serving-health-since')).toHaveTextContent(
      /^Failing since 3h 20m ago/,
    );
  });

  it('shows a healthy endpoint without failure modes', async () => {
    await renderCard(mockApi(async () => healthyReport));
    expect(
      await screen.findByTestId('serving-health-card-overall'),
    ).toHaveAttribute('data-status', 'healthy');
    expect(screen.getByText('No failure mode found.')).toBeInTheDocument();
    expect(
      screen.queryByTestId('serving-health-card-failing-stage'),
    ).not.toBeInTheDocument();
  });

  it('shows the error when the backend is down', async () => {
    await renderCard(
      mockApi(async () => {
        throw new Error('connect ECONNREFUSED');
      }),
    );
    expect((await screen.findAllByText(/ECONNREFUSED/)).length).toBeGreaterThan(
      0,
    );
  });

  it('asks for the annotation when the entity has none', async () => {
    const api = mockApi(async () => healthyReport);
    await renderCard(api, entityWithoutAnnotation);
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(api.getReport).not.toHaveBeenCalled();
  });
});
