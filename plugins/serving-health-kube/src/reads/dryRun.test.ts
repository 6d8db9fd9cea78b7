import { KubeRequest, KubernetesClient } from '../client/types';
import { dryRunOnly } from './dryRun';

/** Records what would be sent; answers every request it forwards with 200. */
function recorder() {
  const sent: KubeRequest[] = [];
  const client: KubernetesClient = {
    cluster: 'c',
    requestCount: () => sent.length,
    async request<T>(req: KubeRequest) {
      sent.push(req);
      return { ok: true as const, status: 200, body: {} as T };
    },
  };
  return { client, sent };
}

describe('dryRunOnly', () => {
  it('forwards reads and dry-run writes', async () => {
    const { client, sent } = recorder();
    const guarded = dryRunOnly(client);
    await guarded.request({ path: '/api/v1/namespaces' });
    await guarded.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      query: { dryRun: 'All' },
      body: {},
    });
    expect(sent.map(r => r.method ?? 'GET')).toEqual(['GET', 'POST']);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)(
    'refuses a %s without dryRun=All and sends nothing',
    async method => {
      const { client, sent } = recorder();
      const res = await dryRunOnly(client).request({
        method,
        path: '/api/v1/namespaces/x',
        query: { dryRun: 'None' },
      });
      expect(res.ok).toBe(false);
      expect(!res.ok && res.error.message).toContain('only as a server-side dry run');
      expect(sent).toEqual([]);
    },
  );
});
