import { ConfigReader } from '@backstage/config';
import { readServingHealthConfig } from './config';

describe('readServingHealthConfig', () => {
  it('gives the documented defaults for an empty configuration', () => {
    expect(readServingHealthConfig(new ConfigReader({}))).toEqual({
      snapshotTtlMs: 30_000,
      refreshMinIntervalMs: 5_000,
      requestTimeoutMs: 5_000,
      logTailLines: 200,
      admissionDryRun: false,
      namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
      namespaceOwners: [],
    });
  });

  it('reads every setting, converting seconds to milliseconds', () => {
    const config = new ConfigReader({
      servingHealth: {
        snapshotTtlSeconds: 12,
        refreshMinIntervalSeconds: 2,
        requestTimeoutMs: 900,
        logTailLines: 50,
        admissionDryRun: true,
        namespaces: { kserve: 'kserve-system', kyverno: 'policy' },
        namespaceOwners: [{ namespace: 'team-a-*', owners: ['group:default/team-a'] }],
      },
    });
    expect(readServingHealthConfig(config)).toEqual({
      snapshotTtlMs: 12_000,
      refreshMinIntervalMs: 2_000,
      requestTimeoutMs: 900,
      logTailLines: 50,
      admissionDryRun: true,
      namespaces: { kserve: 'kserve-system', kyverno: 'policy' },
      namespaceOwners: [
        { cluster: undefined, namespace: 'team-a-*', owners: ['group:default/team-a'] },
      ],
    });
  });

  it('names a setting of the wrong type', () => {
    const config = new ConfigReader({ servingHealth: { snapshotTtlSeconds: 'soon' } });
    expect(() => readServingHealthConfig(config)).toThrow(/snapshotTtlSeconds/);
  });
});
