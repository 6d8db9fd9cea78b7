import { screen, within } from '@testing-library/react';
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

  it("leads with the finding in the objects' own names, the fix commands to copy and a link to the evidence", async () => {
    await renderInTestApp(<TriageReportView report={webhookFailingReport} />);
    const check = webhookFailingReport.checks.find(
      c => c.failureMode === 'webhook-no-endpoints' && c.status === 'fail',
    )!;
    const finding = screen.getByTestId('finding-webhook-no-endpoints');
    expect(finding).toHaveTextContent(check.summary);
    // The engine's sentence names the real Service, not the catalogue's generic words.
    expect(finding).toHaveTextContent('kserve-webhook-server-service');

    const commands = check
      .remediation!.steps.map(s => s.command)
      .filter((c): c is string => !!c);
    expect(commands.length).toBeGreaterThan(0);
    const mode = screen.getByTestId('failure-mode-webhook-no-endpoints');
    expect(
      within(mode)
        .getAllByTestId('finding-command')
        .map(e => e.textContent),
    ).toEqual(commands);
    expect(
      within(mode).getAllByRole('button', { name: /^Copy command:/ }),
    ).toHaveLength(commands.length);

    const link = screen.getByTestId(
      'finding-webhook-no-endpoints-evidence-link',
    );
    const target = link.getAttribute('href')!.slice(1);
    expect(document.getElementById(target)).toBe(
      screen.getByTestId(`check-${check.id}-evidence`),
    );
    // The finding comes before the first stage.
    expect(
      finding.compareDocumentPosition(screen.getByTestId('stage-environment')) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('opens the failing stage and closes the passed ones', async () => {
    await renderInTestApp(<TriageReportView report={webhookFailingReport} />);
    const stageButton = (id: string) =>
      within(screen.getByTestId(`stage-${id}`)).getAllByRole('button', {
        hidden: true,
      })[0];
    expect(screen.getByTestId('stage-environment')).toHaveAttribute(
      'data-status',
      'pass',
    );
    expect(stageButton('environment')).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    expect(stageButton('control-plane')).toHaveAttribute(
      'aria-expanded',
      'true',
    );
  });

  it('links to the Kubernetes tab when given one, and not otherwise', async () => {
    const { rerender } = await renderInTestApp(
      <TriageReportView
        report={webhookFailingReport}
        kubernetesTabLink="/catalog/default/component/fraud-model/kubernetes"
      />,
    );
    expect(
      screen.getByTestId('serving-health-kubernetes-link'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-model/kubernetes',
    );
    rerender(<TriageReportView report={webhookFailingReport} />);
    expect(
      screen.queryByTestId('serving-health-kubernetes-link'),
    ).not.toBeInTheDocument();
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
