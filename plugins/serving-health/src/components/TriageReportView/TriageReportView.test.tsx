import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { webhookFailingReport } from '../../__fixtures__/reports';
import { TriageReportView } from './TriageReportView';

describe('TriageReportView', () => {
  it('names the checks that saw each failure mode', async () => {
    await renderInTestApp(<TriageReportView report={webhookFailingReport} />);
    const mode = webhookFailingReport.failureModes[0];
    const titles = mode.seenBy.map(
      id => webhookFailingReport.checks.find(c => c.id === id)!.title,
    );
    expect(titles.length).toBeGreaterThan(0);
    expect(screen.getByTestId(`failure-mode-${mode.id}`)).toHaveTextContent(
      `Seen by: ${titles.join(', ')}`,
    );
  });

  it('shows where the endpoint lives', async () => {
    await renderInTestApp(<TriageReportView report={webhookFailingReport} />);
    expect(screen.getByText('models/fraud-detector')).toBeInTheDocument();
    expect(screen.getByText('argocd/fraud-detector')).toBeInTheDocument();
  });

  it('says which cluster each kind of fact was read on, for an Application on a hub cluster', async () => {
    const sources = [
      {
        facts:
          'Argo CD Applications: sync, health, deployed resources (Argo CD instance hub)',
        cluster: 'mgmt',
      },
      {
        facts:
          'InferenceServices, KServe, webhooks, policies, workloads, controller logs',
        cluster: 'prod-eu',
      },
    ];
    await renderInTestApp(
      <TriageReportView report={{ ...webhookFailingReport, sources }} />,
    );
    expect(
      screen.getAllByTestId('serving-health-source').map(e => e.textContent),
    ).toEqual([
      'Read on cluster mgmt: Argo CD Applications: sync, health, deployed resources (Argo CD instance hub)',
      'Read on cluster prod-eu: InferenceServices, KServe, webhooks, policies, workloads, controller logs',
    ]);
  });

  it('shows no sources when every fact comes from the one cluster', async () => {
    await renderInTestApp(<TriageReportView report={webhookFailingReport} />);
    expect(screen.queryByTestId('serving-health-source')).toBeNull();
  });

  it('calls onRerun from the Re-run button and disables it while loading', async () => {
    const onRerun = jest.fn();
    const { rerender } = await renderInTestApp(
      <TriageReportView report={webhookFailingReport} onRerun={onRerun} />,
    );
    await userEvent.click(screen.getByTestId('serving-health-rerun'));
    expect(onRerun).toHaveBeenCalledTimes(1);

    rerender(
      <TriageReportView
        report={webhookFailingReport}
        onRerun={onRerun}
        loading
      />,
    );
    expect(screen.getByTestId('serving-health-rerun')).toBeDisabled();
  });

  it("says when the target is not the entity's own, and why", async () => {
    await renderInTestApp(
      <TriageReportView
        report={{
          ...webhookFailingReport,
          binding: {
            bound: false,
            detail: 'Nothing ties namespace models to this entity.',
          },
        }}
      />,
    );
    expect(screen.getByTestId('serving-health-unbound')).toHaveTextContent(
      'Nothing ties namespace models to this entity.',
    );
  });

  it('shows no such note for a bound target', async () => {
    await renderInTestApp(<TriageReportView report={webhookFailingReport} />);
    expect(
      screen.queryByTestId('serving-health-unbound'),
    ).not.toBeInTheDocument();
  });

  it('links the Argo CD Application to the configured Argo CD UI', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            configApiRef,
            mockApis.config({
              data: {
                servingHealth: { argocdBaseUrl: 'https://argocd.example.com/' },
              },
            }),
          ],
        ]}
      >
        <TriageReportView report={webhookFailingReport} />
      </TestApiProvider>,
    );
    const app = webhookFailingReport.target.argoApp!;
    expect(screen.getByTestId('serving-health-argocd-link')).toHaveAttribute(
      'href',
      `https://argocd.example.com/applications/${app.namespace}/${app.name}`,
    );
  });

  it('shows the Application without a link when no Argo CD UI is configured', async () => {
    await renderInTestApp(<TriageReportView report={webhookFailingReport} />);
    expect(
      screen.queryByTestId('serving-health-argocd-link'),
    ).not.toBeInTheDocument();
    expect(screen.getByText('argocd/fraud-detector')).toBeInTheDocument();
  });
});
