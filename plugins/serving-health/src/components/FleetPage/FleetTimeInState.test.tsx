import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityState } from '@serving-health/plugin-serving-health-common';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import { FleetTimeInState } from './FleetTimeInState';

const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3600 * 1000).toISOString();
const state = (
  name: string,
  overall: EntityState['overall'],
  since: string,
): EntityState => ({
  entityRef: `component:default/${name}`,
  overall,
  failureModes: overall === 'failing' ? ['webhook-no-endpoints'] : [],
  since,
  checkedAt: new Date().toISOString(),
});

async function render(states: EntityState[]) {
  const api: Partial<ServingHealthApi> = {
    getFleetHistory: jest.fn(async () => ({ states, transitions: [] })),
  };
  await renderInTestApp(
    <TestApiProvider apis={[[servingHealthApiRef, api]]}>
      <FleetTimeInState />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('FleetTimeInState', () => {
  it('lists the endpoints that are not healthy, worst first, then longest in their state, with how long', async () => {
    await render([
      state('unreadable', 'unknown', hoursAgo(40)),
      state('recent', 'failing', hoursAgo(1)),
      state('fine', 'healthy', hoursAgo(30)),
      state('oldest', 'failing', hoursAgo(26)),
    ]);
    await screen.findByTestId('fleet-time-in-state');
    const rows = screen
      .getAllByRole('row')
      .slice(1)
      .map(r => r.getAttribute('data-testid'));
    expect(rows).toEqual([
      'fleet-state-component:default/oldest',
      'fleet-state-component:default/recent',
      'fleet-state-component:default/unreadable',
    ]);
    expect(
      screen.getByTestId('fleet-state-component:default/oldest'),
    ).toHaveTextContent('1d 2h');
    expect(
      screen.getByTestId('fleet-state-component:default/recent'),
    ).toHaveTextContent('(KServe webhook has no ready endpoints)');
  });

  it('says when no fleet triage has run yet', async () => {
    await render([]);
    expect(
      await screen.findByText('No fleet triage has run yet.'),
    ).toBeInTheDocument();
  });
});
