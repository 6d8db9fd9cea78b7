import { Entity } from '@backstage/catalog-model';
import { FleetEntry } from '@serving-health/plugin-serving-health-common';
import { endpointsQueryOf, worstFirst } from './endpointRows';

const entity = (kind: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
});

describe('endpointsQueryOf', () => {
  it("asks the catalog for a group's owned entities and a system's parts", () => {
    expect(endpointsQueryOf(entity('Group', 'team-risk'))).toEqual({
      'relations.ownedBy': 'group:default/team-risk',
    });
    expect(endpointsQueryOf(entity('System', 'lending'))).toEqual({
      'relations.partOf': 'system:default/lending',
    });
  });

  it('asks nothing for other kinds', () => {
    expect(endpointsQueryOf(entity('Component', 'fraud'))).toBeUndefined();
  });
});

describe('worstFirst', () => {
  const e = (
    name: string,
    overall: FleetEntry['overall'],
    failureModes: FleetEntry['failureModes'] = [],
  ): FleetEntry => ({
    entityRef: `component:default/${name}`,
    overall,
    failureModes,
  });

  it('lists failing, degraded, unknown, healthy; more failure modes first; then by name', () => {
    const sorted = worstFirst([
      e('a-healthy', 'healthy'),
      e('b-unknown', 'unknown'),
      e('c-failing-one', 'failing', ['crd-missing']),
      e('d-degraded', 'degraded', ['stale-webhook']),
      e('e-failing-two', 'failing', ['stale-webhook', 'label-policy-mismatch']),
      e('a-failing-one', 'failing', ['webhook-no-endpoints']),
    ]);
    expect(sorted.map(x => x.entityRef.split('/')[1])).toEqual([
      'e-failing-two',
      'a-failing-one',
      'c-failing-one',
      'd-degraded',
      'b-unknown',
      'a-healthy',
    ]);
  });
});
