import { ConfigReader } from '@backstage/config';
import { readServingHealthConfig } from './config';

const continuousTriageDefaults = {
  schedule: {
    frequency: { minutes: 5 },
    timeout: { minutes: 4 },
    initialDelay: { seconds: 30 },
  },
  historyRetentionMs: 30 * 24 * 3600 * 1000,
  notifications: false,
};

describe('readServingHealthConfig', () => {
  it('gives the documented defaults for an empty configuration', () => {
    expect(readServingHealthConfig(new ConfigReader({}))).toEqual({
      snapshotTtlMs: 30_000,
      snapshotMode: 'watch',
      reportCacheMaxEntries: 10_000,
      reportCacheMaxBytes: 64 * 1024 * 1024,
      fleetSummaryMaxEntries: 100_000,
      refreshMinIntervalMs: 5_000,
      requestTimeoutMs: 5_000,
      logTailLines: 200,
      admissionDryRun: false,
      namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
      namespaceOwners: [],
      argocdInstances: [],
      kubernetesPluginClusters: false,
      ...continuousTriageDefaults,
    });
  });

  it('reads the fleet schedule, retention and notifications, or turns the schedule off', () => {
    const read = (servingHealth: object) =>
      readServingHealthConfig(new ConfigReader({ servingHealth }));
    expect(
      read({
        schedule: { frequency: { seconds: 10 }, timeout: 'PT1M' },
        historyRetentionDays: 2,
        notifications: { enabled: true },
      }),
    ).toMatchObject({
      schedule: {
        frequency: { seconds: 10 },
        timeout: { minutes: 1 },
        initialDelay: { seconds: 30 },
      },
      historyRetentionMs: 2 * 24 * 3600 * 1000,
      notifications: true,
    });
    expect(read({ schedule: { enabled: false } }).schedule).toBeUndefined();
  });

  it('reads the Kubernetes plugin clusters by default when it is configured, unless turned off', () => {
    const kubernetes = { clusterLocatorMethods: [{ type: 'catalog' }] };
    expect(
      readServingHealthConfig(new ConfigReader({ kubernetes }))
        .kubernetesPluginClusters,
    ).toBe(true);
    expect(
      readServingHealthConfig(
        new ConfigReader({
          kubernetes,
          servingHealth: { kubernetesPluginClusters: false },
        }),
      ).kubernetesPluginClusters,
    ).toBe(false);
  });

  it('reads every setting, converting seconds to milliseconds', () => {
    const config = new ConfigReader({
      servingHealth: {
        snapshotTtlSeconds: 12,
        snapshots: { mode: 'poll' },
        reportCache: { maxEntries: 500, maxMegabytes: 8, maxSummaries: 2_000 },
        refreshMinIntervalSeconds: 2,
        requestTimeoutMs: 900,
        logTailLines: 50,
        admissionDryRun: true,
        namespaces: { kserve: 'kserve-system', kyverno: 'policy' },
        namespaceOwners: [
          { namespace: 'team-a-*', owners: ['group:default/team-a'] },
        ],
        argocdInstances: [
          {
            name: 'mgmt',
            cluster: 'mgmt-cluster',
            destinations: [
              { destination: 'https://10.0.4.1:6443', cluster: 'prod-eu' },
            ],
          },
        ],
      },
    });
    expect(readServingHealthConfig(config)).toEqual({
      snapshotTtlMs: 12_000,
      snapshotMode: 'poll',
      reportCacheMaxEntries: 500,
      reportCacheMaxBytes: 8 * 1024 * 1024,
      fleetSummaryMaxEntries: 2_000,
      refreshMinIntervalMs: 2_000,
      requestTimeoutMs: 900,
      logTailLines: 50,
      admissionDryRun: true,
      namespaces: { kserve: 'kserve-system', kyverno: 'policy' },
      namespaceOwners: [
        {
          cluster: undefined,
          namespace: 'team-a-*',
          owners: ['group:default/team-a'],
        },
      ],
      argocdInstances: [
        {
          name: 'mgmt',
          cluster: 'mgmt-cluster',
          destinations: { 'https://10.0.4.1:6443': 'prod-eu' },
        },
      ],
      kubernetesPluginClusters: false,
      ...continuousTriageDefaults,
    });
  });

  it('names a setting of the wrong type', () => {
    const config = new ConfigReader({
      servingHealth: { snapshotTtlSeconds: 'soon' },
    });
    expect(() => readServingHealthConfig(config)).toThrow(/snapshotTtlSeconds/);
  });

  it('names an unknown snapshot mode and a report cache bound that is not a positive integer', () => {
    expect(() =>
      readServingHealthConfig(
        new ConfigReader({ servingHealth: { snapshots: { mode: 'stream' } } }),
      ),
    ).toThrow(
      "servingHealth.snapshots.mode must be 'watch' or 'poll', not 'stream'",
    );
    expect(() =>
      readServingHealthConfig(
        new ConfigReader({ servingHealth: { reportCache: { maxEntries: 0 } } }),
      ),
    ).toThrow(
      'servingHealth.reportCache.maxEntries must be a positive integer, not 0',
    );
    expect(() =>
      readServingHealthConfig(
        new ConfigReader({
          servingHealth: { reportCache: { maxMegabytes: 0.5 } },
        }),
      ),
    ).toThrow(
      'servingHealth.reportCache.maxMegabytes must be a positive integer, not 0.5',
    );
  });
});
