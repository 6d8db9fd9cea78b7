import { act, screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  EntityHistory,
  servingHealthReportChannel,
} from '@serving-health/plugin-serving-health-common';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import { fakeSignals } from '../../__testUtils__/signals';
import { ServingHealthHistory } from './ServingHealthHistory';

const entityRef = { kind: 'Component', namespace: 'default', name: 'fraud' };
const healthyThenFailing: EntityHistory = {
  state: {
    entityRef: 'component:default/fraud',
    overall: 'failing',
    failureModes: ['webhook-no-endpoints'],
    since: new Date(Date.now() - (2 * 3600 + 5 * 60) * 1000).toISOString(),
    checkedAt: new Date().toISOString(),
  },
  transitions: [
    {
      id: '2',
      entityRef: 'component:default/fraud',
      at: new Date(Date.now() - (2 * 3600 + 5 * 60) * 1000).toISOString(),
      from: 'healthy',
      to: 'failing',
      added: ['webhook-no-endpoints'],
      cleared: [],
      kind: 'started-failing',
    },
    {
      id: '1',
      entityRef: 'component:default/fraud',
      at: new Date(Date.now() - 5 * 3600 * 1000).toISOString(),
      from: null,
      to: 'healthy',
      added: [],
      cleared: [],
      kind: 'changed',
    },
  ],
};

async function render(api: Partial<ServingHealthApi>, signals = fakeSignals()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [servingHealthApiRef, api],
        [signalApiRef, signals.api],
      ]}
    >
      <ServingHealthHistory entityRef={entityRef} strip />
    </TestApiProvider>,
  );
  return signals;
}

describe('ServingHealthHistory', () => {
  it('says since when it is failing and draws each state in time order', async () => {
    await render({ getHistory: jest.fn(async () => healthyThenFailing) });
    expect(await screen.findByTestId('serving-health-since')).toHaveTextContent(
      /^Failing since 2h 5m ago/,
    );
    const strip = screen.getByTestId('serving-health-history-strip');
    expect(
      Array.from(strip.querySelectorAll('[role="listitem"]')).map(e =>
        e.getAttribute('data-status'),
      ),
    ).toEqual(['healthy', 'failing']);
  });

  it('shows nothing before the fleet triage has seen the entity', async () => {
    await render({ getHistory: jest.fn(async () => ({ transitions: [] })) });
    expect(screen.queryByTestId('serving-health-history')).toBeNull();
  });

  it("re-reads the history when the backend signals the entity's report changed", async () => {
    const getHistory = jest
      .fn()
      .mockResolvedValueOnce({ transitions: [] })
      .mockResolvedValue(healthyThenFailing);
    const signals = await render({ getHistory });
    expect(getHistory).toHaveBeenCalledTimes(1);
    await act(async () => {
      signals.send(servingHealthReportChannel('component:default/fraud'), {
        entityRef: 'component:default/fraud',
      });
    });
    expect(await screen.findByTestId('serving-health-since')).toHaveTextContent(
      /^Failing since/,
    );
    expect(getHistory).toHaveBeenCalledTimes(2);
  });
});
