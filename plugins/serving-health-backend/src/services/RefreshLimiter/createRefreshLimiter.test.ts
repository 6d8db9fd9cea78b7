import { mockCredentials } from '@backstage/backend-test-utils';
import { createRefreshLimiter } from './createRefreshLimiter';

describe('createRefreshLimiter', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  function setup() {
    let clock = 0;
    const limiter = createRefreshLimiter({
      intervalMs: 5_000,
      perUserLimit: 3,
      now: () => clock,
    });
    return { limiter, advance: (ms: number) => (clock += ms) };
  }

  it('allows one refresh of an entity per interval, whoever asks', () => {
    const { limiter, advance } = setup();
    expect(limiter.allow('component:default/a', alice)).toBe(true);
    expect(limiter.allow('component:default/a', alice)).toBe(false);
    expect(limiter.allow('component:default/a', bob)).toBe(false);
    advance(5_001);
    expect(limiter.allow('component:default/a', bob)).toBe(true);
  });

  it('allows a user a bounded number of refreshes per interval across entities', () => {
    const { limiter, advance } = setup();
    for (const e of ['a', 'b', 'c']) {
      expect(limiter.allow(`component:default/${e}`, alice)).toBe(true);
    }
    expect(limiter.allow('component:default/d', alice)).toBe(false);
    expect(limiter.allow('component:default/d', bob)).toBe(true);
    advance(5_001);
    expect(limiter.allow('component:default/e', alice)).toBe(true);
  });
});
