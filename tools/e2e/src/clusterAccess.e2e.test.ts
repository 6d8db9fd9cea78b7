import fs from 'node:fs';
import path from 'node:path';
import { freePort, startTestEnv, TestEnv } from '@internal/testenv';
import YAML from 'yaml';
import {
  artifactsDir,
  childEnv,
  Guarded,
  guestToken as guestSignIn,
  portalAppConfig,
  repoRoot,
  spawnBackend,
  waitBackendReady,
  waitFor,
} from './portal';

/**
 * The portal backend (packages/backend, with the Backstage Kubernetes plugin) reading one testenv through the
 * Kubernetes plugin: the same API server named as clusters of every kind a portal has -- config clusters with
 * serviceAccount, oidc, google and aws auth, and a catalog-located cluster -- so what differs between their
 * reports is the cluster access alone. Runs in a real backend process: the Kubernetes plugin's proxy loads
 * @kubernetes/client-node with a dynamic ESM import, which jest's module sandbox cannot run.
 */
jest.setTimeout(240_000);

const workDir = path.join(artifactsDir, 'e2e', 'cluster-access');
const OWNER = 'group:default/team-risk';

let env: TestEnv;
let backend: Guarded | undefined;
let backendUrl: string;
let guestToken: string;

function entity(name: string, cluster: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'serving.kserve.io/inferenceservice': 'models/fraud-detector',
        'backstage.io/kubernetes-cluster': cluster,
      },
    },
    spec: { type: 'model-endpoint', lifecycle: 'production', owner: OWNER },
  };
}

beforeAll(async () => {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  env = await startTestEnv({ scenario: 'healthy' });
  const caData = Buffer.from(env.caData).toString('base64');
  const catalogFile = path.join(workDir, 'catalog.yaml');
  fs.writeFileSync(
    catalogFile,
    [
      entity('via-service-account', 'access-sa'),
      entity('via-oidc', 'access-oidc'),
      entity('via-google', 'access-google'),
      entity('via-aws', 'access-aws'),
      entity('via-google-service-account', 'access-gsa'),
      entity('via-catalog-cluster', 'access-catalog'),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'access-catalog',
          annotations: {
            'kubernetes.io/api-server': env.url,
            'kubernetes.io/api-server-certificate-authority': caData,
            'kubernetes.io/auth-provider': 'oidc',
            'kubernetes.io/oidc-token-provider': 'testenv',
          },
        },
        spec: { type: 'kubernetes-cluster', owner: OWNER },
      },
    ]
      .map(doc => YAML.stringify(doc))
      .join('---\n'),
  );
  const backendPort = await freePort();
  backendUrl = `http://localhost:${backendPort}`;
  const portalConfig = path.join(workDir, 'app-config.e2e.yaml');
  fs.writeFileSync(
    portalConfig,
    portalAppConfig({ appPort: await freePort(), backendPort }),
  );
  const accessConfig = path.join(workDir, 'app-config.cluster-access.yaml');
  const cluster = (name: string, auth: Record<string, string>) => ({
    name,
    url: env.url,
    caData,
    ...auth,
  });
  fs.writeFileSync(
    accessConfig,
    YAML.stringify({
      catalog: { locations: [{ type: 'file', target: catalogFile }] },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              cluster('access-sa', {
                authProvider: 'serviceAccount',
                serviceAccountToken: env.tokens.reader,
              }),
              cluster('access-oidc', {
                authProvider: 'oidc',
                oidcTokenProvider: 'testenv',
              }),
              cluster('access-google', { authProvider: 'google' }),
              cluster('access-aws', { authProvider: 'aws' }),
              cluster('access-gsa', { authProvider: 'googleServiceAccount' }),
            ],
          },
          // The testenv listens on loopback, which the catalog locator refuses unless allowed by name.
          {
            type: 'catalog',
            dangerouslyAllowClusterUrls: [new URL(env.url).hostname],
          },
        ],
      },
      servingHealth: { namespaceOwners: [{ namespace: '*', owners: [OWNER] }] },
    }),
  );
  const configs = [
    path.join(repoRoot, 'app-config.yaml'),
    accessConfig,
    portalConfig,
  ];
  backend = spawnBackend({
    configPaths: configs,
    // No cloud credentials anywhere (and no metadata endpoint): the aws and Google service account clusters
    // cannot be signed in to.
    env: {
      ...childEnv(),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      GOOGLE_APPLICATION_CREDENTIALS: path.join(
        workDir,
        'no-such-google-credentials.json',
      ),
    },
    logFile: path.join(workDir, 'backend.log'),
  });
  await waitBackendReady(backend, backendUrl, 120_000, () =>
    backend ? `\n${backend.logTail(40)}` : '',
  );
  guestToken = await guestSignIn(backendUrl);
  await waitFor('catalog ingestion', 60_000, async () => {
    const r = await fetch(
      `${backendUrl}/api/catalog/entities/by-name/resource/default/access-catalog`,
      {
        headers: { authorization: `Bearer ${guestToken}` },
      },
    );
    return r.ok;
  });
});

afterAll(async () => {
  await backend?.stop();
  await env?.stop();
});

async function report(name: string, headers: Record<string, string> = {}) {
  const res = await fetch(
    `${backendUrl}/api/serving-health/entities/default/component/${name}/report`,
    {
      headers: { authorization: `Bearer ${guestToken}`, ...headers },
    },
  );
  const text = await res.text();
  for (const token of Object.values(env.tokens))
    expect(text.includes(token)).toBe(false);
  expect(res.status).toBe(200);
  const body = JSON.parse(text);
  const reachable = body.checks.find((c: any) => c.id === 'cluster.reachable');
  return { body, reachable, text };
}

describe('clusters read through the Backstage Kubernetes plugin', () => {
  it('serviceAccount (config locator): the portal identity reads the cluster', async () => {
    const { body, reachable } = await report('via-service-account');
    expect(reachable.status).toBe('pass');
    expect(body.overall).toBe('healthy');
  });

  it("oidc: read only with the signed-in user's own token, which is never served to a request without it", async () => {
    const without = await report('via-oidc');
    expect(without.reachable.status).toBe('error');
    expect(without.text).toContain(
      "signed-in user's own oidc (testenv) credentials",
    );
    expect(without.text).toContain(
      'backstage-kubernetes-authorization-oidc-testenv',
    );

    const withToken = await report('via-oidc', {
      'Backstage-Kubernetes-Authorization-oidc-testenv': env.tokens.reader,
    });
    expect(withToken.reachable.status).toBe('pass');
    expect(withToken.body.overall).toBe('healthy');

    const again = await report('via-oidc');
    expect(again.reachable.status).toBe('error');
  });

  it('oidc with a token the API server rejects: unauthorized, named', async () => {
    const { reachable } = await report('via-oidc', {
      'Backstage-Kubernetes-Authorization-oidc-testenv': 'not-a-token',
    });
    expect(reachable.status).toBe('fail');
    expect(reachable.summary).toContain(
      'rejected the configured credentials (401)',
    );
  });

  it("google: the user's Google token travels as the Kubernetes plugin expects it", async () => {
    const { body, reachable } = await report('via-google', {
      'Backstage-Kubernetes-Authorization-google': env.tokens.reader,
    });
    expect(reachable.status).toBe('pass');
    expect(body.overall).toBe('healthy');
  });

  it('catalog locator: a kubernetes-cluster Resource of the catalog is a cluster like any other', async () => {
    const { body, reachable } = await report('via-catalog-cluster', {
      'Backstage-Kubernetes-Authorization-oidc-testenv': env.tokens.reader,
    });
    expect(reachable.status).toBe('pass');
    expect(body.overall).toBe('healthy');
  });

  it("aws without AWS credentials: the backend runs, that cluster's reports say why", async () => {
    const { reachable } = await report('via-aws');
    expect(reachable.status).toBe('error');
    expect(JSON.stringify(reachable.evidence)).toMatch(/credential/i);
  });

  it("googleServiceAccount without Google credentials: that cluster's reports name the missing file", async () => {
    const { reachable } = await report('via-google-service-account');
    expect(reachable.status).toBe('error');
    expect(JSON.stringify(reachable.evidence)).toContain(
      'no-such-google-credentials.json',
    );
  });

  it('lists the clusters with the sign-in each needs, no addresses', async () => {
    const res = await fetch(`${backendUrl}/api/serving-health/clusters`, {
      headers: { authorization: `Bearer ${guestToken}` },
    });
    const text = await res.text();
    expect(text).not.toContain(env.url);
    const byName = Object.fromEntries(
      JSON.parse(text).items.map((c: any) => [c.name, c]),
    );
    expect(byName['access-sa']).toEqual({
      name: 'access-sa',
      authScope: 'server',
    });
    expect(byName['access-oidc']).toEqual({
      name: 'access-oidc',
      authScope: 'user',
      authProvider: 'oidc',
      oidcTokenProvider: 'testenv',
      header: 'backstage-kubernetes-authorization-oidc-testenv',
    });
    expect(byName['access-catalog']).toMatchObject({
      authScope: 'user',
      authProvider: 'oidc',
    });
  });
});
