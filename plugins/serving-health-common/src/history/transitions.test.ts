import { reportTransition, summarizeReport } from './transitions';

const healthy = { overall: 'healthy' as const, failureModes: [] };
const webhookDown = {
  overall: 'failing' as const,
  failureModes: ['webhook-no-endpoints' as const],
  failingStage: 'webhooks',
};

describe('summarizeReport', () => {
  it('keeps the status, the stage and the sorted, distinct failure mode ids', () => {
    expect(
      summarizeReport({
        overall: 'failing',
        failingStage: 'webhooks' as any,
        failureModes: [
          { id: 'stale-webhook', title: 'x', seenBy: ['a'] },
          { id: 'crd-missing', title: 'y', seenBy: ['b'] },
          { id: 'stale-webhook', title: 'x', seenBy: ['c'] },
        ],
      }),
    ).toEqual({
      overall: 'failing',
      failingStage: 'webhooks',
      failureModes: ['crd-missing', 'stale-webhook'],
    });
  });
});

describe('reportTransition', () => {
  it('reports the first summary as a transition from nothing', () => {
    expect(reportTransition(undefined, healthy)).toEqual({
      from: null,
      to: 'healthy',
      added: [],
      cleared: [],
      kind: 'changed',
    });
  });

  it('a first summary that is failing started failing', () => {
    expect(reportTransition(undefined, webhookDown)?.kind).toBe(
      'started-failing',
    );
  });

  it('names the failure mode added when an endpoint starts failing', () => {
    expect(reportTransition(healthy, webhookDown)).toEqual({
      from: 'healthy',
      to: 'failing',
      added: ['webhook-no-endpoints'],
      cleared: [],
      kind: 'started-failing',
    });
  });

  it('names the failure mode cleared when it recovers', () => {
    expect(reportTransition(webhookDown, healthy)).toEqual({
      from: 'failing',
      to: 'healthy',
      added: [],
      cleared: ['webhook-no-endpoints'],
      kind: 'recovered',
    });
  });

  it('is no transition when status and failure modes are unchanged, whatever the stage', () => {
    expect(
      reportTransition(webhookDown, { ...webhookDown, failingStage: 'other' }),
    ).toBeUndefined();
  });

  it('a failure mode swapped while failing is a change, not a recovery', () => {
    expect(
      reportTransition(webhookDown, {
        overall: 'failing',
        failureModes: ['crd-missing'],
      }),
    ).toEqual({
      from: 'failing',
      to: 'failing',
      added: ['crd-missing'],
      cleared: ['webhook-no-endpoints'],
      kind: 'changed',
    });
  });

  it('leaving failing for unknown (cluster unreadable) is a change, not a recovery', () => {
    const t = reportTransition(webhookDown, {
      overall: 'unknown',
      failureModes: [],
    });
    expect(t?.kind).toBe('changed');
    expect(t?.cleared).toEqual(['webhook-no-endpoints']);
  });

  it('leaving failing for degraded is a recovery', () => {
    expect(
      reportTransition(webhookDown, { overall: 'degraded', failureModes: [] })
        ?.kind,
    ).toBe('recovered');
  });
});
