import { KubeObject } from '../types';
import { reportedResults } from './policyReport';

const isvc: KubeObject = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'fraud', namespace: 'models', uid: 'u-1' },
};
const result = (extra: Record<string, unknown> = {}) => ({
  policy: 'require-labels',
  rule: 'check-for-labels',
  result: 'fail',
  message: 'validation error: x',
  source: 'kyverno',
  ...extra,
});

describe('reportedResults', () => {
  it('reads a per-resource report (Kyverno 1.10+) by its scope', () => {
    const report: KubeObject = {
      kind: 'PolicyReport',
      metadata: { name: 'u-1', namespace: 'models' },
      scope: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        namespace: 'models',
        name: 'fraud',
        uid: 'u-1',
      },
      results: [result(), result({ source: 'trivy' })],
    };
    expect(reportedResults([report], isvc)).toEqual([
      {
        report: 'models/u-1',
        policy: 'require-labels',
        rule: 'check-for-labels',
        result: 'fail',
        message: 'validation error: x',
        source: 'kyverno',
      },
    ]);
  });

  it('reads results that list their resources (older reports, ClusterPolicyReports)', () => {
    const report: KubeObject = {
      kind: 'ClusterPolicyReport',
      metadata: { name: 'cpol-require-labels' },
      results: [
        result({
          resources: [
            { kind: 'InferenceService', namespace: 'models', name: 'fraud' },
          ],
        }),
        result({
          resources: [
            { kind: 'InferenceService', namespace: 'models', name: 'other' },
          ],
        }),
        result({
          source: 'KyvernoValidatingPolicy',
          policy: 'vpol',
          resources: [
            { kind: 'InferenceService', namespace: 'models', name: 'fraud' },
          ],
        }),
      ],
    };
    expect(
      reportedResults([report], isvc).map(r => [r.report, r.policy]),
    ).toEqual([
      ['cpol-require-labels', 'require-labels'],
      ['cpol-require-labels', 'vpol'],
    ]);
  });

  it('ignores reports about another object of the same name (another uid, kind or namespace)', () => {
    const scoped = (scope: Record<string, unknown>): KubeObject => ({
      kind: 'PolicyReport',
      metadata: { name: 'r', namespace: 'models' },
      scope: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        namespace: 'models',
        name: 'fraud',
        ...scope,
      },
      results: [result()],
    });
    expect(
      reportedResults(
        [
          scoped({ uid: 'u-0' }),
          scoped({ namespace: 'other' }),
          scoped({ kind: 'Deployment' }),
        ],
        isvc,
      ),
    ).toEqual([]);
    expect(reportedResults([scoped({ uid: undefined })], isvc)).toHaveLength(1);
  });
});
