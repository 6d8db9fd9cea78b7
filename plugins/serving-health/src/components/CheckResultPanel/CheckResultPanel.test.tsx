import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { CheckResult } from '@serving-health/plugin-serving-health-common';
import { CheckResultPanel, formatObjectRef } from './CheckResultPanel';

const staleWebhook: CheckResult = {
  id: 'webhooks.stale',
  stage: 'stale-webhooks',
  title: 'Stale webhooks',
  status: 'fail',
  summary:
    'ValidatingWebhookConfiguration ingress-nginx-admission points at a missing Service',
  failureMode: 'stale-webhook',
  evidence: [
    {
      label: 'Webhook configuration',
      object: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        name: 'ingress-nginx-admission',
      },
      fields: { 'webhooks[0].failurePolicy': 'Fail' },
    },
  ],
  remediation: {
    why: 'Nothing serves the webhook any more.',
    steps: [
      {
        text: 'Delete the leftover configuration.',
        command:
          'kubectl delete validatingwebhookconfiguration ingress-nginx-admission',
      },
    ],
  },
};

describe('CheckResultPanel', () => {
  it('opens a failing check and names its failure mode in plain words', async () => {
    await renderInTestApp(<CheckResultPanel check={staleWebhook} />);
    const panel = within(screen.getByTestId('check-webhooks.stale'));
    expect(panel.getAllByRole('button')[0]).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    expect(
      panel.getByTestId('check-webhooks.stale-failure-mode'),
    ).toHaveTextContent('Failure mode: Stale admission webhook');
    // The evidence is one click away: a toggle that says how much was read.
    const toggle = panel.getByTestId('check-webhooks.stale-evidence-toggle');
    expect(toggle).toHaveTextContent('Show the evidence (1 item read)');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      panel.queryByText('webhooks[0].failurePolicy'),
    ).not.toBeInTheDocument();
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(
      panel.getByText(
        'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration ingress-nginx-admission',
      ),
    ).toBeInTheDocument();
    expect(panel.getByText('webhooks[0].failurePolicy')).toBeInTheDocument();
    expect(
      await panel.findByRole('button', { name: 'Copy text' }),
    ).toBeInTheDocument();
  });

  it("opens the evidence when the location points at it (the finding's evidence link)", async () => {
    await renderInTestApp(<CheckResultPanel check={staleWebhook} />);
    const panel = within(screen.getByTestId('check-webhooks.stale'));
    expect(
      panel.queryByText('webhooks[0].failurePolicy'),
    ).not.toBeInTheDocument();
    act(() => {
      window.location.hash = '#check-webhooks.stale-evidence';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(
      await panel.findByText('webhooks[0].failurePolicy'),
    ).toBeInTheDocument();
    window.location.hash = '';
  });

  it('opens a warning that names a failure mode, and keeps a plain warning closed', async () => {
    await renderInTestApp(
      <>
        <CheckResultPanel check={{ ...staleWebhook, status: 'warn' }} />
        <CheckResultPanel
          check={{
            ...staleWebhook,
            id: 'webhooks.unavailable',
            status: 'warn',
            failureMode: undefined,
          }}
        />
      </>,
    );
    const expanded = (id: string) =>
      within(screen.getByTestId(`check-${id}`))
        .getAllByRole('button')[0]
        .getAttribute('aria-expanded');
    expect([
      expanded('webhooks.stale'),
      expanded('webhooks.unavailable'),
    ]).toEqual(['true', 'false']);
  });

  it('keeps a passing check closed', async () => {
    await renderInTestApp(
      <CheckResultPanel
        check={{
          id: 'cluster.nodes',
          stage: 'environment',
          title: 'Ready nodes',
          status: 'pass',
          summary: '1 of 1 nodes Ready',
          evidence: [],
        }}
      />,
    );
    expect(
      within(screen.getByTestId('check-cluster.nodes')).getAllByRole(
        'button',
      )[0],
    ).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByText('1 of 1 nodes Ready')).toBeInTheDocument();
  });
});

describe('a skipped check', () => {
  it('falls back to the blocking check id when it is not in the report', async () => {
    await renderInTestApp(
      <CheckResultPanel
        check={{
          id: 'argocd.sync',
          stage: 'app',
          title: 'Argo CD sync',
          status: 'skipped',
          summary: '',
          evidence: [],
          blockedBy: 'argocd.applications',
        }}
      />,
    );
    expect(
      screen.getByTestId('check-argocd.sync-blocked-by'),
    ).toHaveTextContent('Blocked by argocd.applications.');
  });
});

describe('formatObjectRef', () => {
  it('writes namespaced objects as namespace/name', () => {
    expect(
      formatObjectRef({
        kind: 'Service',
        namespace: 'kyverno',
        name: 'kyverno-svc',
      }),
    ).toBe('Service kyverno/kyverno-svc');
  });
});
