import { mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { ServingHealthClient } from './ServingHealthClient';
import { fleetSummary, healthyReport } from '../__fixtures__/reports';

const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: { 'content-type': 'application/json' },
  });

describe('ServingHealthClient', () => {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend.test' });
  const fetch = jest.fn();
  const client = new ServingHealthClient({ discoveryApi, fetchApi: { fetch } });

  beforeEach(() => fetch.mockReset());

  it('reads an entity report from the plugin base URL', async () => {
    fetch.mockResolvedValue(jsonResponse(healthyReport));
    const report = await client.getReport({
      kind: 'Component',
      namespace: 'default',
      name: 'fraud-model',
    });
    expect(report).toEqual(healthyReport);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/serving-health/entities/default/component/fraud-model/report',
    );
  });

  it('asks for a fresh report with ?refresh=true', async () => {
    fetch.mockResolvedValue(jsonResponse(healthyReport));
    await client.getReport(
      { kind: 'Component', namespace: 'default', name: 'fraud-model' },
      { refresh: true },
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/serving-health/entities/default/component/fraud-model/report?refresh=true',
    );
  });

  it('encodes entity names in the path', async () => {
    fetch.mockResolvedValue(jsonResponse(healthyReport));
    await client.getReport({ kind: 'Component', namespace: '', name: 'a b/c' });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/serving-health/entities/default/component/a%20b%2Fc/report',
    );
  });

  it('reads the fleet summary', async () => {
    fetch.mockResolvedValue(jsonResponse(fleetSummary));
    await expect(client.getFleet()).resolves.toEqual(fleetSummary);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/serving-health/fleet',
    );
  });

  it('posts the refs of a page to /summaries in one request', async () => {
    fetch.mockResolvedValue(jsonResponse(fleetSummary));
    await expect(
      client.getSummaries(['component:default/a', 'component:default/b']),
    ).resolves.toEqual(fleetSummary);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/serving-health/summaries',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          entityRefs: ['component:default/a', 'component:default/b'],
        }),
      },
    );
  });

  it('throws a ResponseError carrying the backend message on 400', async () => {
    fetch.mockResolvedValue(
      jsonResponse(
        {
          error: {
            name: 'InputError',
            message: 'Malformed annotation serving.kserve.io/inferenceservice',
          },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const error = await client
      .getReport({ kind: 'Component', namespace: 'default', name: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe(
      'Malformed annotation serving.kserve.io/inferenceservice',
    );
  });

  it('throws a ResponseError on 404', async () => {
    fetch.mockResolvedValue(new Response('not found', { status: 404 }));
    await expect(client.getFleet()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
  });
});

describe('ServingHealthClient with clusters read as the user', () => {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend.test' });
  const fetch = jest.fn();
  const client = new ServingHealthClient({ discoveryApi, fetchApi: { fetch } });
  const clusters = {
    items: [
      { name: 'prod', authScope: 'server' },
      {
        name: 'okta-a',
        authScope: 'user',
        authProvider: 'oidc',
        oidcTokenProvider: 'okta',
        header: 'Backstage-Kubernetes-Authorization-oidc-okta',
      },
      {
        name: 'okta-b',
        authScope: 'user',
        authProvider: 'oidc',
        oidcTokenProvider: 'okta',
        header: 'Backstage-Kubernetes-Authorization-oidc-okta',
      },
      {
        name: 'gke',
        authScope: 'user',
        authProvider: 'google',
        header: 'Backstage-Kubernetes-Authorization-google',
      },
      {
        name: 'aks',
        authScope: 'user',
        authProvider: 'aks',
        header: 'Backstage-Kubernetes-Authorization-aks',
      },
    ],
  };

  beforeEach(() => fetch.mockReset());

  it("sends the user's token of each sign-in once, in the Kubernetes plugin's headers, leaving out those it lacks", async () => {
    fetch.mockImplementation(async (url: string) =>
      jsonResponse(url.endsWith('/clusters') ? clusters : healthyReport),
    );
    const asked: string[] = [];
    const clusterCredentials = async (provider: string) => {
      asked.push(provider);
      if (provider === 'aks') throw new Error('not signed in to Microsoft');
      return { token: `token-of-${provider}` };
    };
    await client.getReport(
      { kind: 'Component', namespace: 'default', name: 'm' },
      { clusterCredentials },
    );
    expect(asked).toEqual(['oidc.okta', 'google', 'aks']);
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend.test/api/serving-health/entities/default/component/m/report',
      {
        headers: {
          'Backstage-Kubernetes-Authorization-oidc-okta': 'token-of-oidc.okta',
          'Backstage-Kubernetes-Authorization-google': 'token-of-google',
        },
      },
    );
  });

  it('asks nothing and sends nothing extra without a credentials source', async () => {
    fetch.mockResolvedValue(jsonResponse(fleetSummary));
    await client.getFleet();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/serving-health/fleet',
    );
  });
});
