import { KubeObject } from '../types';
import {
  kindMatches,
  parseKindSelector,
  ruleMatches,
  selectorMatches,
} from './match';

const isvc: KubeObject = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: {
    name: 'credit-scoring',
    namespace: 'models',
    labels: { owner: 'team-risk' },
    annotations: { tier: 'gold' },
  },
};
const ctx = { namespace: 'models', operation: 'CREATE' as const };

describe('kind selectors', () => {
  it.each([
    ['InferenceService', true],
    ['v1beta1/InferenceService', true],
    ['serving.kserve.io/v1beta1/InferenceService', true],
    ['serving.kserve.io/*/InferenceService', true],
    ['*/InferenceService', true],
    ['*', true],
    ['Inference*', true],
    ['v1/InferenceService', false],
    ['apps/v1/InferenceService', false],
    ['Pod', false],
    ['InferenceService/status', false],
  ])('%s matches an InferenceService: %s', (selector, expected) => {
    expect(kindMatches([selector], isvc)).toBe(expected);
  });

  it('parses the Kyverno forms', () => {
    expect(parseKindSelector('Pod')).toEqual({
      group: '*',
      version: '*',
      kind: 'Pod',
      subresource: '',
    });
    expect(parseKindSelector('v1/Pod')).toEqual({
      group: '*',
      version: 'v1',
      kind: 'Pod',
      subresource: '',
    });
    expect(parseKindSelector('apps/v1/Deployment')).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      subresource: '',
    });
    expect(parseKindSelector('Pod/exec')).toEqual({
      group: '*',
      version: '*',
      kind: 'Pod',
      subresource: 'exec',
    });
  });

  it('matches core resources by version', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    };
    expect(kindMatches(['v1/ConfigMap'], cm)).toBe(true);
    expect(kindMatches(['apps/v1/ConfigMap'], cm)).toBe(false);
  });
});

describe('selectorMatches', () => {
  it('supports matchLabels with wildcards and every matchExpressions operator', () => {
    const labels = { owner: 'team-risk', tier: 'gold' };
    expect(selectorMatches({ matchLabels: { owner: 'team-*' } }, labels)).toBe(
      true,
    );
    expect(selectorMatches({ matchLabels: { owner: 'team-a' } }, labels)).toBe(
      false,
    );
    expect(
      selectorMatches(
        {
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      selectorMatches(
        {
          matchExpressions: [
            { key: 'tier', operator: 'NotIn', values: ['gold'] },
          ],
        },
        labels,
      ),
    ).toBe(false);
    expect(
      selectorMatches(
        { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] },
        labels,
      ),
    ).toBe(true);
    expect(
      selectorMatches(
        { matchExpressions: [{ key: 'x', operator: 'Exists' }] },
        labels,
      ),
    ).toBe(false);
  });
});

describe('ruleMatches', () => {
  it('matches any / all filters on kinds, namespaces, names, annotations and selector', () => {
    expect(
      ruleMatches(
        {
          any: [
            { resources: { kinds: ['Pod'] } },
            { resources: { kinds: ['InferenceService'] } },
          ],
        },
        undefined,
        isvc,
        ctx,
      ).result,
    ).toBe('yes');
    expect(
      ruleMatches(
        {
          all: [
            { resources: { kinds: ['InferenceService'] } },
            { resources: { namespaces: ['prod-*'] } },
          ],
        },
        undefined,
        isvc,
        ctx,
      ).result,
    ).toBe('no');
    expect(
      ruleMatches(
        {
          any: [
            {
              resources: {
                kinds: ['InferenceService'],
                namespaces: ['mod*'],
                names: ['credit-*'],
              },
            },
          ],
        },
        undefined,
        isvc,
        ctx,
      ).result,
    ).toBe('yes');
    expect(
      ruleMatches(
        {
          any: [
            {
              resources: {
                kinds: ['InferenceService'],
                annotations: { tier: 'silver' },
              },
            },
          ],
        },
        undefined,
        isvc,
        ctx,
      ).result,
    ).toBe('no');
    expect(
      ruleMatches(
        {
          any: [
            {
              resources: {
                kinds: ['InferenceService'],
                selector: { matchLabels: { owner: '?*' } },
              },
            },
          ],
        },
        undefined,
        isvc,
        ctx,
      ).result,
    ).toBe('yes');
  });

  it('supports the legacy match.resources form', () => {
    expect(
      ruleMatches(
        { resources: { kinds: ['InferenceService'] } },
        undefined,
        isvc,
        ctx,
      ).result,
    ).toBe('yes');
  });

  it('removes excluded resources', () => {
    const match = { any: [{ resources: { kinds: ['InferenceService'] } }] };
    expect(
      ruleMatches(
        match,
        { any: [{ resources: { namespaces: ['models'] } }] },
        isvc,
        ctx,
      ).result,
    ).toBe('no');
    expect(
      ruleMatches(
        match,
        { any: [{ resources: { namespaces: ['kube-system'] } }] },
        isvc,
        ctx,
      ).result,
    ).toBe('yes');
  });

  it('cannot decide a match on the requesting user, and does not let such an exclude hide the rule', () => {
    const match = { any: [{ resources: { kinds: ['InferenceService'] } }] };
    expect(
      ruleMatches(
        {
          any: [
            {
              resources: { kinds: ['InferenceService'] },
              subjects: [{ kind: 'User', name: 'x' }],
            },
          ],
        },
        undefined,
        isvc,
        ctx,
      ),
    ).toMatchObject({
      result: 'unknown',
      feature: 'match.subjects',
    });
    expect(
      ruleMatches(
        match,
        { any: [{ clusterRoles: ['cluster-admin'] }] },
        isvc,
        ctx,
      ).result,
    ).toBe('yes');
  });

  it('uses namespace labels for namespaceSelector, and cannot decide without them', () => {
    const match = {
      any: [
        {
          resources: {
            kinds: ['InferenceService'],
            namespaceSelector: { matchLabels: { 'cost-center': '?*' } },
          },
        },
      ],
    };
    expect(ruleMatches(match, undefined, isvc, ctx).result).toBe('unknown');
    expect(
      ruleMatches(match, undefined, isvc, {
        ...ctx,
        namespaceLabels: () => ({ 'cost-center': 'cc-1' }),
      }).result,
    ).toBe('yes');
    expect(
      ruleMatches(match, undefined, isvc, {
        ...ctx,
        namespaceLabels: () => ({}),
      }).result,
    ).toBe('no');
  });

  it('honours operations', () => {
    expect(
      ruleMatches(
        {
          any: [
            {
              resources: {
                kinds: ['InferenceService'],
                operations: ['DELETE'],
              },
            },
          ],
        },
        undefined,
        isvc,
        ctx,
      ).result,
    ).toBe('no');
    expect(
      ruleMatches(
        {
          any: [
            {
              resources: {
                kinds: ['InferenceService'],
                operations: ['CREATE', 'UPDATE'],
              },
            },
          ],
        },
        undefined,
        isvc,
        ctx,
      ).result,
    ).toBe('yes');
  });

  // The cases below were found by the differential test against Kyverno v1.13.4 (differential.test.ts).
  it('matches nothing with an empty filter, and excludes nothing with one (Kyverno: "match cannot be empty")', () => {
    const all = { any: [{ resources: { kinds: ['*'] } }] };
    expect(
      ruleMatches({ any: [{ resources: {} }] }, undefined, isvc, ctx).result,
    ).toBe('no');
    expect(
      ruleMatches({ any: [{ resources: { name: '' } }] }, undefined, isvc, ctx)
        .result,
    ).toBe('no');
    expect(
      ruleMatches(all, { any: [{ resources: {} }] }, isvc, ctx).result,
    ).toBe('yes');
    // A field set to an empty list is set (Go's DeepEqual against the zero value).
    expect(
      ruleMatches({ any: [{ resources: { kinds: [] } }] }, undefined, isvc, ctx)
        .result,
    ).toBe('yes');
  });

  it('takes a selector apimachinery rejects as not matching', () => {
    const labels = { owner: 'team-risk' };
    for (const matchExpressions of [
      [{ key: 'team', operator: 'NotIn', values: [] }],
      [{ key: 'owner', operator: 'Exists', values: ['team-risk'] }],
      [{ key: 'team', operator: 'NotIn', values: ['not a label value'] }],
      [{ key: 'bad key', operator: 'DoesNotExist' }],
    ]) {
      expect(selectorMatches({ matchExpressions }, labels)).toBe(false);
    }
    expect(
      selectorMatches(
        {
          matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }],
        },
        labels,
      ),
    ).toBe(true);
  });

  it('never matches a Namespace with a namespaceSelector', () => {
    const ns: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'models', labels: { team: 'risk' } },
    };
    const match = {
      any: [
        { resources: { namespaceSelector: { matchLabels: { team: 'risk' } } } },
      ],
    };
    expect(
      ruleMatches(match, undefined, ns, { ...ctx, namespace: '' }).result,
    ).toBe('no');
  });

  it('matches an object still to be named by its generateName', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: '', generateName: 'job-', namespace: 'models' },
    };
    const byName = (name: string) => ({
      any: [{ resources: { kinds: ['Pod'], name } }],
    });
    expect(ruleMatches(byName('job-*'), undefined, pod, ctx).result).toBe(
      'yes',
    );
    expect(ruleMatches(byName('?*'), undefined, pod, ctx).result).toBe('yes');
  });
});
