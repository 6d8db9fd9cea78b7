import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  FailureModeId,
  FleetEntry,
  FleetSummary,
  OverallStatus,
} from '@serving-health/plugin-serving-health-common';
import { ServingHealthApi, servingHealthApiRef } from '../../api';
import { FleetPage } from './FleetPage';

const CLUSTERS = ['ml-prod', 'ml-staging', 'ml-dev'];
const OWNERS = ['team-a', 'team-b', 'team-c', 'team-d'].map(
  t => `group:default/${t}`,
);
const STATUSES: OverallStatus[] = [
  'failing',
  'degraded',
  'healthy',
  'healthy',
  'unknown',
];

/**
 * 1,200 endpoints in a cycle whose counts can be worked out by hand: statuses cycle by 5, clusters by 3, owners
 * by 4, failure modes by 2. So per cluster, 80 endpoints of each status in the cycle (failing, degraded,
 * unknown; 160 healthy), and half of those failing or degraded carry webhook-no-endpoints.
 */
function bigFleet(n = 1200): FleetSummary {
  const entries = Array.from({ length: n }, (_, i): FleetEntry => {
    const overall = STATUSES[i % 5];
    const even = i % 2 === 0;
    let failureModes: FailureModeId[] = [];
    if (overall === 'failing') {
      failureModes = even
        ? ['webhook-no-endpoints']
        : ['label-policy-mismatch', 'crd-missing'];
    } else if (overall === 'degraded') {
      failureModes = even
        ? ['stale-webhook', 'webhook-no-endpoints']
        : ['stale-webhook'];
    }
    return {
      entityRef: `component:default/endpoint-${String(i).padStart(4, '0')}`,
      title: `Endpoint ${i}`,
      cluster: CLUSTERS[i % 3],
      owner: OWNERS[i % 4],
      overall,
      failingStage: overall === 'failing' ? 'webhooks' : undefined,
      failureModes,
      error: overall === 'unknown' ? 'cluster unreachable' : undefined,
    };
  });
  return { entries, generatedAt: '2026-11-30T12:00:00.000Z' };
}

const fleet = bigFleet();

const api: ServingHealthApi = {
  getReport: jest.fn(),
  getFleet: jest.fn(async () => fleet),
  getSummaries: jest.fn(),
  getHistory: jest.fn(async () => ({ transitions: [] })),
  getFleetHistory: jest.fn(async () => ({ states: [], transitions: [] })),
};

const LocationProbe = () => (
  <span data-testid="location">{useLocation().search}</span>
);
const query = () =>
  new URLSearchParams(screen.getByTestId('location').textContent ?? '');

async function renderFleet(search = '') {
  const start = performance.now();
  await renderInTestApp(
    <TestApiProvider apis={[[servingHealthApiRef, api]]}>
      <FleetPage />
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [`/serving-health${search}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  await screen.findAllByTestId(/^fleet-row-/);
  return performance.now() - start;
}

const rowNames = () =>
  screen
    .queryAllByTestId(/^fleet-row-/)
    .map(row => row.getAttribute('data-testid')!.replace('fleet-row-', ''));
const index = (name: string) => Number(name.replace('endpoint-', ''));
const shown = () =>
  screen.getByText(/^Model endpoints \(\d+ of \d+\)$/).textContent;

describe('FleetPage with 1,200 endpoints', () => {
  it('renders one page of 50 rows, worst first', async () => {
    const ms = await renderFleet();
    // Printed, not asserted: machines differ.
    // eslint-disable-next-line no-console
    console.info(
      `Fleet page with 1,200 endpoints rendered in ${Math.round(ms)} ms`,
    );
    expect(rowNames()).toHaveLength(50);
    expect(
      rowNames().every(name => STATUSES[index(name) % 5] === 'failing'),
    ).toBe(true);
    expect(rowNames()[0]).toBe('endpoint-0000');
    // Its owner, group:default/team-a, named as the catalog names a group.
    expect(
      within(screen.getByTestId('fleet-row-endpoint-0000')).getByText('team-a'),
    ).toBeInTheDocument();
    expect(shown()).toBe('Model endpoints (1200 of 1200)');
    expect(screen.getByTestId('fleet-count-failing')).toHaveAttribute(
      'data-count',
      '240',
    );
    expect(screen.getByTestId('fleet-count-healthy')).toHaveAttribute(
      'data-count',
      '480',
    );
  });

  it('pages through the list and keeps page and page size in the URL', async () => {
    await renderFleet('?pageSize=20');
    expect(rowNames()).toHaveLength(20);
    const first = rowNames();
    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    await waitFor(() => expect(rowNames()).not.toEqual(first));
    expect(rowNames()).toHaveLength(20);
    // Failing endpoints are every fifth: the second page of 20 starts at the 21st one.
    expect(rowNames()[0]).toBe('endpoint-0100');
    expect(query().get('page')).toBe('2');
    expect(query().get('pageSize')).toBe('20');
  });

  it('opens the page a shared link names, with its filters and page size', async () => {
    await renderFleet('?status=failing&pageSize=20&page=3&q=endpoint');
    expect(rowNames()).toHaveLength(20);
    expect(rowNames()[0]).toBe('endpoint-0200');
    expect(screen.getByTestId('fleet-filter-status')).toHaveValue('failing');
    expect(screen.getByTestId('fleet-search')).toHaveValue('endpoint');
    expect(shown()).toBe('Model endpoints (240 of 1200)');
  });

  it('narrows the list by search, back to the first page', async () => {
    await renderFleet('?page=2');
    await userEvent.type(screen.getByTestId('fleet-search'), 'endpoint-0123');
    await waitFor(() => expect(rowNames()).toEqual(['endpoint-0123']), {
      timeout: 5000,
    });
    expect(query().get('q')).toBe('endpoint-0123');
    expect(query().get('page')).toBeNull();

    await userEvent.clear(screen.getByTestId('fleet-search'));
    await userEvent.type(screen.getByTestId('fleet-search'), 'ML-STAGING');
    await waitFor(() => expect(shown()).toBe('Model endpoints (400 of 1200)'), {
      timeout: 5000,
    });
  });

  const entry = (name: string) => fleet.entries[index(name)];
  it.each<[string, string, string, number, (e: FleetEntry) => boolean]>([
    [
      'fleet-filter-cluster',
      'cluster',
      'ml-dev',
      400,
      e => e.cluster === 'ml-dev',
    ],
    [
      'fleet-filter-owner',
      'owner',
      'group:default/team-c',
      300,
      e => e.owner === 'group:default/team-c',
    ],
    [
      'fleet-filter-status',
      'status',
      'degraded',
      240,
      e => e.overall === 'degraded',
    ],
    [
      'fleet-filter-failure-mode',
      'failureMode',
      'crd-missing',
      120,
      e => e.failureModes.includes('crd-missing'),
    ],
  ])('filters with %s', async (testId, param, value, count, matches) => {
    await renderFleet();
    await userEvent.selectOptions(screen.getByTestId(testId), value);
    await waitFor(() =>
      expect(shown()).toBe(`Model endpoints (${count} of 1200)`),
    );
    expect(query().get(param)).toBe(value);
    expect(rowNames()).toHaveLength(50);
    expect(rowNames().filter(name => !matches(entry(name)))).toEqual([]);
  });

  it('keeps an owner from a shared link that the fleet does not have, and says nothing matches', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[servingHealthApiRef, api]]}>
        <FleetPage />
      </TestApiProvider>,
      { routeEntries: ['/serving-health?owner=not%20a%20ref%3A'] },
    );
    expect(await screen.findByTestId('fleet-empty')).toHaveTextContent(
      'No entity matches these filters.',
    );
    expect(screen.getByTestId('fleet-filter-owner')).toHaveValue('not a ref:');
  });

  it('combines every filter from the URL', async () => {
    await renderFleet(
      '?cluster=ml-dev&owner=group%3Adefault%2Fteam-b&status=failing&failureMode=crd-missing',
    );
    // Failing (i = 0 mod 5), ml-dev (2 mod 3), odd, team-b (1 mod 4): i = 5 mod 60.
    expect(shown()).toBe('Model endpoints (20 of 1200)');
    expect(rowNames().every(name => index(name) % 60 === 5)).toBe(true);
    await userEvent.click(screen.getByTestId('fleet-clear-filters'));
    await waitFor(() => expect(shown()).toBe('Model endpoints (1200 of 1200)'));
    expect(query().toString()).toBe('');
  });

  it('groups problems by cause per cluster, failing and degraded counted apart', async () => {
    await renderFleet();
    const prod = within(screen.getByTestId('fleet-problems-ml-prod'));
    expect(prod.getByText('ml-prod')).toBeInTheDocument();
    const count = (mode: string, status: string) =>
      screen
        .queryByTestId(`fleet-problem-ml-prod-${mode}-${status}`)
        ?.getAttribute('data-count');
    expect(count('webhook-no-endpoints', 'failing')).toBe('40');
    expect(count('webhook-no-endpoints', 'degraded')).toBe('40');
    expect(count('crd-missing', 'failing')).toBe('40');
    expect(count('stale-webhook', 'degraded')).toBe('80');
    expect(count('stale-webhook', 'failing')).toBeUndefined();
    expect(
      screen.getByTestId('fleet-problem-ml-prod-webhook-no-endpoints-failing'),
    ).toHaveTextContent('breaks 40 endpoints');
    expect(
      screen.getByTestId('fleet-problem-ml-prod-stale-webhook-degraded'),
    ).toHaveTextContent('degrades 80 endpoints');
    expect(screen.getAllByTestId(/^fleet-problems-ml-/)).toHaveLength(3);
  });

  it('lists the endpoints a cause breaks when its count is selected', async () => {
    await renderFleet('?q=endpoint&page=2');
    await userEvent.click(
      screen.getByTestId(
        'fleet-problem-ml-staging-webhook-no-endpoints-failing',
      ),
    );
    await waitFor(() => expect(shown()).toBe('Model endpoints (40 of 1200)'));
    expect(Object.fromEntries(query())).toEqual({
      cluster: 'ml-staging',
      failureMode: 'webhook-no-endpoints',
      status: 'failing',
    });
    expect(screen.getByTestId('fleet-filter-cluster')).toHaveValue(
      'ml-staging',
    );
    expect(rowNames()).toHaveLength(40);
  });
});
