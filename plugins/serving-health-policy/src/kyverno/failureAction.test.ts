import { KubeObject } from '../types';
import { normalizeAction, resolveFailureAction } from './failureAction';

const policy = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'p' },
  spec,
});
const labels: Record<string, Record<string, string>> = {
  'team-a': { tier: 'sandbox', 'kubernetes.io/metadata.name': 'team-a' },
  prod: { tier: 'prod', 'kubernetes.io/metadata.name': 'prod' },
};
const nsLabels = (ns: string) => labels[ns];

describe('resolveFailureAction', () => {
  it('defaults to Audit and reads either spelling of the action', () => {
    expect(resolveFailureAction(policy({}), undefined, 'prod')).toEqual({
      action: 'Audit',
      source: 'default (no failure action set)',
    });
    expect(
      resolveFailureAction(
        policy({ validationFailureAction: 'enforce' }),
        {},
        'prod',
      ),
    ).toEqual({ action: 'Enforce', source: 'spec.validationFailureAction' });
  });

  it("prefers the rule's failureAction to the policy's", () => {
    const p = policy({ validationFailureAction: 'Enforce' });
    expect(resolveFailureAction(p, { failureAction: 'audit' }, 'prod')).toEqual(
      {
        action: 'Audit',
        source: 'validate.failureAction',
      },
    );
  });

  it("puts a matching namespace override before the rule's failureAction, first match wins", () => {
    const p = policy({
      validationFailureAction: 'Enforce',
      validationFailureActionOverrides: [
        { action: 'Audit', namespaces: ['team-*'] },
        { action: 'Enforce', namespaces: ['team-a'] },
      ],
    });
    expect(
      resolveFailureAction(p, { failureAction: 'Enforce' }, 'team-a'),
    ).toEqual({
      action: 'Audit',
      source: 'spec.validationFailureActionOverrides[0] for namespace team-a',
    });
    expect(resolveFailureAction(p, {}, 'prod').action).toBe('Enforce');
  });

  it("uses the rule's own overrides instead of the policy's when it has any", () => {
    const p = policy({
      validationFailureAction: 'Audit',
      validationFailureActionOverrides: [
        { action: 'Enforce', namespaces: ['prod'] },
      ],
    });
    const validate = {
      failureActionOverrides: [{ action: 'Enforce', namespaces: ['team-a'] }],
    };
    expect(resolveFailureAction(p, validate, 'prod')).toEqual({
      action: 'Audit',
      source: 'spec.validationFailureAction',
    });
    expect(resolveFailureAction(p, validate, 'team-a')).toEqual({
      action: 'Enforce',
      source: 'validate.failureActionOverrides[0] for namespace team-a',
    });
  });

  it("matches a namespaceSelector on the namespace's labels, and both filters when both are set", () => {
    const p = policy({ validationFailureAction: 'Enforce' });
    const bySelector = {
      failureActionOverrides: [
        {
          action: 'Audit',
          namespaceSelector: { matchLabels: { tier: 'sandbox' } },
        },
      ],
    };
    expect(resolveFailureAction(p, bySelector, 'team-a', nsLabels).action).toBe(
      'Audit',
    );
    expect(resolveFailureAction(p, bySelector, 'prod', nsLabels).action).toBe(
      'Enforce',
    );
    const both = {
      failureActionOverrides: [
        {
          action: 'Audit',
          namespaces: ['prod'],
          namespaceSelector: {
            matchExpressions: [
              { key: 'tier', operator: 'In', values: ['sandbox'] },
            ],
          },
        },
      ],
    };
    expect(resolveFailureAction(p, both, 'prod', nsLabels).action).toBe(
      'Enforce',
    );
    expect(resolveFailureAction(p, both, 'team-a', nsLabels).action).toBe(
      'Enforce',
    );
  });

  it('cannot decide when a selector needs labels nobody gave', () => {
    const p = policy({
      validationFailureAction: 'Enforce',
      validationFailureActionOverrides: [
        {
          action: 'Audit',
          namespaceSelector: { matchLabels: { tier: 'sandbox' } },
        },
      ],
    });
    expect(resolveFailureAction(p, {}, 'team-b', nsLabels)).toEqual({
      undecided: expect.stringContaining(
        'labels of namespace `team-b` are not known',
      ),
    });
  });

  it('ignores an override naming no namespace, invalid actions, and overrides for cluster-scoped resources', () => {
    const p = policy({
      validationFailureAction: 'Enforce',
      validationFailureActionOverrides: [
        { action: 'Audit' },
        { action: 'Warn', namespaces: ['*'] },
        { action: 'Audit', namespaces: ['*'] },
      ],
    });
    expect(resolveFailureAction(p, {}, 'prod')).toEqual({
      action: 'Audit',
      source: 'spec.validationFailureActionOverrides[2] for namespace prod',
    });
    expect(resolveFailureAction(p, {}, '').action).toBe('Enforce');
  });

  it('never enforces a background-only policy', () => {
    expect(
      resolveFailureAction(
        policy({ validationFailureAction: 'Enforce', admission: false }),
        {},
        'prod',
      ).action,
    ).toBe('Audit');
  });
});

describe('normalizeAction', () => {
  it('reads Kyverno values in any case and rejects others', () => {
    expect(
      ['Enforce', 'enforce', 'AUDIT', 'Warn', 3].map(normalizeAction),
    ).toEqual(['Enforce', 'Enforce', 'Audit', undefined, undefined]);
  });
});
