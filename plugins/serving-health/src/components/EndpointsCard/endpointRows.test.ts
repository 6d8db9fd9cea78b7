import { Entity } from '@backstage/catalog-model';
import { endpointSummary } from '../../__fixtures__/fleetEntries';
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
  it('lists failing, degraded, unknown, healthy; more failure modes first; then by name', () => {
    const sorted = worstFirst([
      endpointSummary('a-healthy', 'healthy'),
      endpointSummary('b-unknown', 'unknown'),
      endpointSummary('c-failing-one', 'failing', ['crd-missing']),
      endpointSummary('d-degraded', 'degraded', ['stale-webhook']),
      endpointSummary('e-failing-two', 'failing', [
        'stale-webhook',
        'label-policy-mismatch',
      ]),
      endpointSummary('a-failing-one', 'failing', ['webhook-no-endpoints']),
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
