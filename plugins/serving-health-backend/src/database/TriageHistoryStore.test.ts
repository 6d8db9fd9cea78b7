import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  createTriageHistoryStoreFromKnex,
  migrationsDir,
} from './TriageHistoryStore';

// PostgreSQL comes from scripts/with-postgres.sh (run by scripts/test-all.sh), never from Docker.
const postgres = process.env.SERVING_HEALTH_TEST_POSTGRES as
  | TestDatabaseId
  | undefined;
const databases = TestDatabases.create({
  ids: [...(postgres ? [postgres] : []), 'SQLITE_3'],
  disableDocker: true,
});

const t0 = new Date('2026-11-30T10:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const entityRef = 'component:default/fraud-model';
const healthy = {
  entityRef,
  overall: 'healthy' as const,
  failureModes: [],
  cluster: 'ml-prod',
  owner: 'group:default/team-ml',
};
const webhookDown = {
  ...healthy,
  overall: 'failing' as const,
  failureModes: ['webhook-no-endpoints' as const],
  failingStage: 'webhooks',
};

it('runs against the PostgreSQL server scripts/with-postgres.sh started, when there is one', () => {
  expect(databases.eachSupportedId()).toEqual([
    ...(postgres ? [[postgres]] : []),
    ['SQLITE_3'],
  ]);
});

describe.each(databases.eachSupportedId())('TriageHistoryStore on %s', id => {
  let knex: Knex;
  beforeAll(async () => {
    knex = await databases.init(id as TestDatabaseId);
    await knex.migrate.latest({ directory: migrationsDir });
  });
  beforeEach(async () => {
    await knex('transitions').delete();
    await knex('latest_reports').delete();
  });

  it('records the first sight, then only changes, and keeps "since" across unchanged runs', async () => {
    const store = createTriageHistoryStoreFromKnex(knex);
    expect(await store.record(healthy, t0)).toMatchObject({
      from: null,
      to: 'healthy',
    });
    expect(await store.record(healthy, minutes(5))).toBeUndefined();
    const failing = await store.record(webhookDown, minutes(10));
    expect(failing).toMatchObject({
      entityRef,
      from: 'healthy',
      to: 'failing',
      kind: 'started-failing',
      added: ['webhook-no-endpoints'],
      at: minutes(10).toISOString(),
      cluster: 'ml-prod',
    });
    expect(await store.record(webhookDown, minutes(15))).toBeUndefined();
    expect(await store.state(entityRef)).toEqual({
      entityRef,
      overall: 'failing',
      failureModes: ['webhook-no-endpoints'],
      failingStage: 'webhooks',
      cluster: 'ml-prod',
      owner: 'group:default/team-ml',
      since: minutes(10).toISOString(),
      checkedAt: minutes(15).toISOString(),
    });
  });

  it('returns transitions newest first, per entity or for the fleet, limited', async () => {
    const store = createTriageHistoryStoreFromKnex(knex);
    const other = { ...healthy, entityRef: 'component:default/other' };
    await store.record(healthy, t0);
    await store.record(other, minutes(1));
    await store.record(webhookDown, minutes(2));
    await store.record(healthy, minutes(3));
    const mine = await store.transitions({ entityRef, limit: 10 });
    expect(mine.map(t => [t.from, t.to, t.kind])).toEqual([
      ['failing', 'healthy', 'recovered'],
      ['healthy', 'failing', 'started-failing'],
      [null, 'healthy', 'changed'],
    ]);
    expect(mine[0].cleared).toEqual(['webhook-no-endpoints']);
    const fleet = await store.transitions({ limit: 2 });
    expect(fleet.map(t => t.at)).toEqual([
      minutes(3).toISOString(),
      minutes(2).toISOString(),
    ]);
    expect((await store.states()).map(s => s.entityRef)).toEqual([
      entityRef,
      'component:default/other',
    ]);
  });

  it('lets exactly one caller claim a transition notification', async () => {
    const store = createTriageHistoryStoreFromKnex(knex);
    await store.record(healthy, t0);
    const t = await store.record(webhookDown, minutes(1));
    const claims = await Promise.all([
      store.claimNotification(t!.id, minutes(1)),
      store.claimNotification(t!.id, minutes(1)),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claimNotification(t!.id, minutes(2))).toBe(false);
  });

  it('prunes transitions and states older than the retention cut-off', async () => {
    const store = createTriageHistoryStoreFromKnex(knex);
    const other = { ...healthy, entityRef: 'component:default/gone' };
    await store.record(other, t0);
    await store.record(healthy, t0);
    await store.record(webhookDown, minutes(60));
    expect(await store.prune(minutes(30))).toBe(3);
    expect(await store.state('component:default/gone')).toBeUndefined();
    expect(
      (await store.transitions({ entityRef, limit: 10 })).map(t => t.to),
    ).toEqual(['failing']);
  });
});
