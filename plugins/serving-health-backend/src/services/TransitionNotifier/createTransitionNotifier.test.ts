import { HistoryTransition } from '@serving-health/plugin-serving-health-common';
import {
  describeTransition,
  servingHealthTabPath,
} from './createTransitionNotifier';

const base: HistoryTransition = {
  id: '7',
  entityRef: 'component:default/fraud-detector',
  at: '2026-11-30T15:00:00.000Z',
  from: 'healthy',
  to: 'failing',
  added: ['webhook-no-endpoints'],
  cleared: [],
  kind: 'started-failing',
  cluster: 'ml-prod',
};

describe('describeTransition', () => {
  it('names the failure mode and the cluster when an endpoint starts failing', () => {
    expect(
      describeTransition(base, {
        entityRef: base.entityRef,
        title: 'Fraud detector',
      }),
    ).toEqual({
      title: 'Fraud detector is failing: KServe webhook has no ready endpoints',
      description:
        'Serving Health saw component:default/fraud-detector on cluster ml-prod start failing at 2026-11-30T15:00:00.000Z (webhook-no-endpoints). The tab names the cause, the evidence and the fix.',
    });
  });

  it('names what cleared when it recovers, and the status it is in now', () => {
    const text = describeTransition(
      {
        ...base,
        from: 'failing',
        to: 'degraded',
        added: [],
        cleared: ['webhook-no-endpoints'],
        kind: 'recovered',
      },
      { entityRef: base.entityRef },
    );
    expect(text?.title).toBe(
      'fraud-detector recovered: KServe webhook has no ready endpoints cleared',
    );
    expect(text?.description).toContain('(now degraded)');
  });

  it('tells nobody of other changes', () => {
    expect(
      describeTransition(
        {
          ...base,
          from: 'healthy',
          to: 'degraded',
          added: [],
          kind: 'changed',
        },
        { entityRef: base.entityRef },
      ),
    ).toBeUndefined();
  });
});

describe('servingHealthTabPath', () => {
  it('is the entity page tab, kind in lower case', () => {
    expect(servingHealthTabPath('Component:team-a/Fraud')).toBe(
      '/catalog/team-a/component/Fraud/serving-health',
    );
  });
});
