import { Entity } from '@backstage/catalog-model';
import { FleetEntry } from '@serving-health/plugin-serving-health-common';
import {
  matchesSelection,
  selectionFromQuery,
  selectionToQuery,
  ServingHealthFilter,
} from './servingHealthFilter';

const entry = (overrides: Partial<FleetEntry>): FleetEntry => ({
  entityRef: 'component:default/fraud',
  overall: 'failing',
  failureModes: ['webhook-no-endpoints'],
  ...overrides,
});

const component = (name: string, namespace = 'default'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace },
});

describe('matchesSelection', () => {
  it('matches everything when nothing is selected', () => {
    expect(
      matchesSelection(entry({ overall: 'healthy', failureModes: [] }), {}),
    ).toBe(true);
  });

  it('requires both the status and the failure mode when both are selected', () => {
    const selection = {
      status: 'failing' as const,
      failureMode: 'crd-missing' as const,
    };
    expect(
      matchesSelection(entry({ failureModes: ['crd-missing'] }), selection),
    ).toBe(true);
    expect(matchesSelection(entry({}), selection)).toBe(false);
    expect(
      matchesSelection(
        entry({ overall: 'degraded', failureModes: ['crd-missing'] }),
        selection,
      ),
    ).toBe(false);
  });
});

describe('the URL form of the selection', () => {
  it('round-trips a status and a failure mode', () => {
    const selection = {
      status: 'degraded' as const,
      failureMode: 'stale-webhook' as const,
    };
    expect(selectionToQuery(selection)).toEqual([
      'status:degraded',
      'mode:stale-webhook',
    ]);
    expect(selectionFromQuery(selectionToQuery(selection))).toEqual(selection);
  });

  it('ignores values that name no status or failure mode', () => {
    expect(
      selectionFromQuery([
        'status:broken',
        'mode:nope',
        'other:failing',
        'status',
      ]),
    ).toEqual({});
    expect(selectionFromQuery('status:unknown')).toEqual({ status: 'unknown' });
  });
});

describe('ServingHealthFilter', () => {
  it('keeps the matching entities only, whatever the case of their kind', () => {
    const filter = new ServingHealthFilter(
      { status: 'failing' },
      ['component:default/Fraud'],
      ['uid-1'],
    );
    expect(filter.filterEntity(component('Fraud'))).toBe(true);
    expect(filter.filterEntity(component('Fraud', 'other'))).toBe(false);
    expect(filter.filterEntity(component('churn'))).toBe(false);
  });

  it('narrows the catalog query to the matching uids, and to none when nothing matches', () => {
    expect(
      new ServingHealthFilter(
        {},
        ['component:default/a'],
        ['uid-1'],
      ).getCatalogFilters(),
    ).toEqual({
      'metadata.uid': ['uid-1'],
    });
    const none = new ServingHealthFilter(
      { status: 'failing' },
      [],
      [],
    ).getCatalogFilters();
    expect(none['metadata.uid']).toHaveLength(1);
    expect(none['metadata.uid'][0]).not.toMatch(/^[0-9a-f-]{36}$/);
  });
});
