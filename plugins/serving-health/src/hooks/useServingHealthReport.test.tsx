import { act, screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  servingHealthClusterChannel,
  servingHealthReportChannel,
} from '@serving-health/plugin-serving-health-common';
import { servingHealthApiRef } from '../api';
import { healthyReport, webhookFailingReport } from '../__fixtures__/reports';
import { fakeSignals } from '../__testUtils__/signals';
import { mockServingHealthApi } from '../__testUtils__/mockServingHealthApi';
import { useServingHealthReport } from './useServingHealthReport';

const entityRef = {
  kind: healthyReport.entityRef.split(':')[0],
  namespace: 'default',
  name: healthyReport.entityRef.split('/')[1],
};

function Overall() {
  const { report } = useServingHealthReport(entityRef);
  return <div data-testid="overall">{report?.overall ?? 'none'}</div>;
}

async function render() {
  const api = mockServingHealthApi({
    getReport: jest
      .fn()
      .mockResolvedValueOnce(healthyReport)
      .mockResolvedValue(webhookFailingReport),
  });
  const signals = fakeSignals();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [servingHealthApiRef, api],
        [signalApiRef, signals.api],
      ]}
    >
      <Overall />
    </TestApiProvider>,
  );
  expect(await screen.findByTestId('overall')).toHaveTextContent('healthy');
  return { api, signals };
}

describe('useServingHealthReport', () => {
  it('reads the report again when the cluster it was read from changes, without polling', async () => {
    const { api, signals } = await render();
    const channel = servingHealthClusterChannel(healthyReport.target.cluster);
    expect(signals.channels()).toContain(channel);
    expect(api.getReport).toHaveBeenCalledTimes(1);

    // Another cluster's change is not this report's.
    await act(async () => {
      signals.send(servingHealthClusterChannel('some-other-cluster'), {});
    });
    expect(api.getReport).toHaveBeenCalledTimes(1);

    await act(async () => {
      signals.send(channel, { cluster: healthyReport.target.cluster });
    });
    expect(await screen.findByTestId('overall')).toHaveTextContent('failing');
    expect(api.getReport).toHaveBeenCalledTimes(2);
    expect(api.getReport).toHaveBeenLastCalledWith(
      entityRef,
      expect.objectContaining({ refresh: false }),
    );
  });

  it('reads it again on a recorded transition of the entity', async () => {
    const { api, signals } = await render();
    await act(async () => {
      signals.send(servingHealthReportChannel(healthyReport.entityRef), {});
    });
    expect(await screen.findByTestId('overall')).toHaveTextContent('failing');
    expect(api.getReport).toHaveBeenCalledTimes(2);
  });
});
