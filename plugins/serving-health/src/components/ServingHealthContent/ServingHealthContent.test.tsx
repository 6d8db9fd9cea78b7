import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { ResponseError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { TRIAGE_STAGES } from '@serving-health/plugin-serving-health-common';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import {
  entityWithoutAnnotation,
  healthyReport,
  unreachableReport,
  modelEndpointEntity,
  webhookFailingReport,
} from '../../__fixtures__/reports';
import { ServingHealthContent } from './ServingHealthContent';
import { mockServingHealthApi } from '../../__testUtils__/mockServingHealthApi';

function mockApi(
  getReport: ServingHealthApi['getReport'],
): jest.Mocked<ServingHealthApi> {
  return mockServingHealthApi({ getReport });
}

/** The report API and a permission API; each render with its own permission cache (usePermission's SWR). */
function Apis(props: {
  api: ServingHealthApi;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  children: ReactNode;
}) {
  return (
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [servingHealthApiRef, props.api],
          [
            permissionApiRef,
            mockApis.permission({
              authorize: props.permission ?? AuthorizeResult.ALLOW,
            }),
          ],
        ]}
      >
        {props.children}
      </TestApiProvider>
    </SWRConfig>
  );
}

async function renderTab(
  api: ServingHealthApi,
  entity: Entity = modelEndpointEntity,
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return renderInTestApp(
    <Apis api={api} permission={permission}>
      <EntityProvider entity={entity}>
        <ServingHealthContent />
      </EntityProvider>
    </Apis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

// Checks of a closed stage are in the document but hidden, so hidden elements count.
const summaryButton = (checkId: string) =>
  within(screen.getByTestId(`check-${checkId}`)).getAllByRole('button', {
    hidden: true,
  })[0];
const stageButton = (stageId: string) =>
  within(screen.getByTestId(`stage-${stageId}`)).getAllByRole('button', {
    hidden: true,
  })[0];

describe('ServingHealthContent', () => {
  it('shows progress while the report loads', async () => {
    await renderTab(mockApi(() => new Promise(() => {})));
    expect(screen.getByTestId('serving-health-loading')).toBeInTheDocument();
    expect(
      screen.queryByTestId('serving-health-report'),
    ).not.toBeInTheDocument();
  });

  it("does not show the previous entity's report while the next one loads", async () => {
    const other: Entity = {
      ...modelEndpointEntity,
      metadata: { ...modelEndpointEntity.metadata, name: 'other-model' },
    };
    const api = mockApi(async ref =>
      ref.name === 'fraud-model' ? webhookFailingReport : new Promise(() => {}),
    );
    const tree = (entity: Entity) => (
      <Apis api={api}>
        <EntityProvider entity={entity}>
          <ServingHealthContent />
        </EntityProvider>
      </Apis>
    );
    const { rerender } = await renderInTestApp(tree(modelEndpointEntity), {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByTestId('serving-health-report'),
    ).toBeInTheDocument();
    rerender(tree(other));
    expect(
      await screen.findByTestId('serving-health-loading'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('serving-health-report'),
    ).not.toBeInTheDocument();
  });

  it('shows the error panel when the backend is down', async () => {
    const api = mockApi(async () => {
      throw await ResponseError.fromResponse(
        new Response('upstream connect error', {
          status: 503,
          statusText: 'Service Unavailable',
        }),
      );
    });
    await renderTab(api);
    expect(
      await screen.findByTestId('serving-health-error'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Serving Health report unavailable/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/503/).length).toBeGreaterThan(0);
    expect(screen.getByTestId('serving-health-rerun')).toBeInTheDocument();
  });

  it('says the report may not be read when servingHealth.report.read is denied, and asks nothing', async () => {
    const api = mockApi(async () => healthyReport);
    await renderTab(api, modelEndpointEntity, AuthorizeResult.DENY);
    expect(
      await screen.findByTestId('serving-health-not-permitted'),
    ).toHaveTextContent(
      'You may not read the Serving Health report of this entity',
    );
    expect(
      screen.queryByTestId('serving-health-error'),
    ).not.toBeInTheDocument();
    expect(api.getReport).not.toHaveBeenCalled();
  });

  it('asks for the annotation when the entity has none', async () => {
    const api = mockApi(async () => healthyReport);
    await renderTab(api, entityWithoutAnnotation);
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/serving\.kserve\.io\/inferenceservice/).length,
    ).toBeGreaterThan(0);
    expect(api.getReport).not.toHaveBeenCalled();
  });

  it('shows a healthy report: six stages in order, all passing and collapsed', async () => {
    const api = mockApi(async () => healthyReport);
    await renderTab(api);
    const overall = await screen.findByTestId('serving-health-overall');
    expect(overall).toHaveTextContent('Healthy');
    expect(overall).toHaveAttribute('data-status', 'healthy');
    expect(api.getReport).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'fraud-model' },
      { refresh: false },
    );

    const stages = screen.getAllByTestId(/^stage-/);
    expect(stages.map(s => s.getAttribute('data-testid'))).toEqual(
      TRIAGE_STAGES.map(s => `stage-${s.id}`),
    );
    // On a healthy cluster the controller logs are not read: that stage is skipped, every other passes.
    stages.forEach(s =>
      expect(s).toHaveAttribute(
        'data-status',
        s.getAttribute('data-testid') === 'stage-logs' ? 'skipped' : 'pass',
      ),
    );
    expect(
      screen.queryByTestId('serving-health-failure-modes'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('serving-health-failing-stage'),
    ).not.toBeInTheDocument();
    expect(summaryButton('kserve.crds')).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    // Passed and skipped stages start closed.
    TRIAGE_STAGES.forEach(s =>
      expect(stageButton(s.id)).toHaveAttribute('aria-expanded', 'false'),
    );
    expect(screen.getByTestId('serving-health-snapshot-time')).toHaveAttribute(
      'dateTime',
      healthyReport.snapshotTime,
    );
  });

  it.each([
    ['backstage.io/kubernetes-id', 'fraud-detector'],
    ['backstage.io/kubernetes-label-selector', 'app=fraud-detector'],
  ])(
    "links to the entity's Kubernetes tab when it has %s",
    async (annotation, value) => {
      await renderTab(
        mockApi(async () => webhookFailingReport),
        {
          ...modelEndpointEntity,
          metadata: {
            ...modelEndpointEntity.metadata,
            annotations: {
              ...modelEndpointEntity.metadata.annotations,
              [annotation]: value,
            },
          },
        },
      );
      expect(
        await screen.findByTestId('serving-health-kubernetes-link'),
      ).toHaveAttribute(
        'href',
        '/catalog/default/component/fraud-model/kubernetes',
      );
    },
  );

  it('offers no Kubernetes tab link without the Kubernetes annotations', async () => {
    await renderTab(mockApi(async () => webhookFailingReport));
    await screen.findByTestId('serving-health-overall');
    expect(
      screen.queryByTestId('serving-health-kubernetes-link'),
    ).not.toBeInTheDocument();
  });

  it('opens a failing check with its failure mode, why, evidence and fix', async () => {
    await renderTab(mockApi(async () => webhookFailingReport));
    // The check that names the failure mode, as the engine reported it.
    const seen = webhookFailingReport.checks.find(
      c => c.failureMode === 'webhook-no-endpoints',
    )!;

    expect(
      await screen.findByTestId('serving-health-overall'),
    ).toHaveTextContent('Failing');
    expect(screen.getByTestId('serving-health-failing-stage')).toHaveAttribute(
      'data-stage',
      webhookFailingReport.failingStage,
    );
    expect(
      screen.getByTestId('serving-health-failing-stage'),
    ).toHaveTextContent('2. Control-plane health');
    const mode = screen.getByTestId('failure-mode-webhook-no-endpoints');
    expect(mode).toHaveTextContent('KServe webhook has no ready endpoints');
    expect(mode).toHaveTextContent(
      /every InferenceService create or update is denied/,
    );
    expect(screen.getByTestId('stage-control-plane')).toHaveAttribute(
      'data-status',
      'fail',
    );
    expect(screen.getByTestId('stage-control-plane')).toHaveAttribute(
      'data-failing-stage',
      'true',
    );

    const check = screen.getByTestId(`check-${seen.id}`);
    expect(check).toHaveAttribute('data-status', 'fail');
    expect(summaryButton(seen.id)).toHaveAttribute('aria-expanded', 'true');
    expect(summaryButton('kserve.crds')).toHaveAttribute(
      'aria-expanded',
      'false',
    );

    const details = within(check);
    expect(
      details.getByTestId(`check-${seen.id}-failure-mode`),
    ).toHaveTextContent('Failure mode: KServe webhook has no ready endpoints');
    expect(details.getByTestId(`check-${seen.id}-why`)).toHaveTextContent(
      seen.remediation!.why,
    );
    // The evidence is one click away, from the finding at the top.
    const service = seen.evidence.find(e => e.object?.kind === 'Service')!;
    await userEvent.click(
      screen.getByTestId('finding-webhook-no-endpoints-evidence-link'),
    );
    expect(
      await details.findByText(
        `${service.object!.apiVersion} Service ${service.object!.namespace}/${
          service.object!.name
        }`,
      ),
    ).toBeInTheDocument();
    expect(
      (await details.findAllByText(/403 Forbidden/)).length,
    ).toBeGreaterThan(0);
    const command = seen.remediation!.steps.find(s => s.command)!.command!;
    await waitFor(() =>
      expect(
        details
          .getAllByTestId('remediation-command')
          .map(c => c.textContent)
          .join('\n'),
      ).toContain(command),
    );
  });

  it('opens the other failing checks of the report with their evidence', async () => {
    await renderTab(mockApi(async () => webhookFailingReport));
    await screen.findByTestId('serving-health-overall');
    const failing = webhookFailingReport.checks.filter(
      c => c.status === 'fail',
    );
    expect(failing.map(c => c.id)).toContain('kserve.controller');
    for (const c of failing) {
      expect(screen.getByTestId(`check-${c.id}`)).toHaveAttribute(
        'data-status',
        'fail',
      );
      expect(summaryButton(c.id)).toHaveAttribute('aria-expanded', 'true');
      expect(
        within(screen.getByTestId(`check-${c.id}`)).getByText(c.summary),
      ).toBeInTheDocument();
    }
  });

  it('says what blocked a skipped check and what stopped an erroring one', async () => {
    await renderTab(mockApi(async () => unreachableReport));
    await screen.findByTestId('serving-health-overall');
    expect(screen.getByTestId('check-kserve.crds')).toHaveAttribute(
      'data-status',
      'skipped',
    );
    expect(
      screen.getByTestId('check-kserve.crds-blocked-by'),
    ).toHaveTextContent(
      'Blocked by "Cluster connection" (cluster.reachable), which did not pass.',
    );
  });

  it('shows why a check could not run, naming the missing rule', async () => {
    await renderTab(mockApi(async () => webhookFailingReport));
    await screen.findByTestId('serving-health-overall');
    expect(screen.getByTestId('stage-logs')).toHaveAttribute(
      'data-status',
      'error',
    );
    expect(summaryButton('kserve.controller-logs')).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    const error = screen.getByTestId('check-kserve.controller-logs-error');
    expect(error).toHaveTextContent('This check could not run');
    expect(
      screen.getByTestId('check-kserve.controller-logs'),
    ).toHaveTextContent(/pods\/log/);
  });

  it('re-runs the triage with refresh=true and keeps the report visible meanwhile', async () => {
    let resolveRerun: (r: typeof healthyReport) => void = () => {};
    const api = mockApi(async (_ref, options) =>
      options?.refresh
        ? new Promise(resolve => {
            resolveRerun = resolve;
          })
        : webhookFailingReport,
    );
    await renderTab(api);
    await userEvent.click(await screen.findByTestId('serving-health-rerun'));

    expect(api.getReport).toHaveBeenLastCalledWith(
      { kind: 'Component', namespace: 'default', name: 'fraud-model' },
      { refresh: true },
    );
    expect(screen.getByTestId('serving-health-refreshing')).toBeInTheDocument();
    expect(screen.getByTestId('serving-health-overall')).toHaveTextContent(
      'Failing',
    );

    resolveRerun(healthyReport);
    await waitFor(() =>
      expect(screen.getByTestId('serving-health-overall')).toHaveTextContent(
        'Healthy',
      ),
    );
  });
});
