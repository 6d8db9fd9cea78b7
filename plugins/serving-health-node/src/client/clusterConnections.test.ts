import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { loadKubeconfig, readClusterConnections } from './clusterConnections';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('readClusterConnections', () => {
  it('reads the Kubernetes plugin clusters and lets servingHealth.clusters override by name', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          {
            type: 'config',
            clusters: [
              { name: 'a', url: 'https://a:6443', authProvider: 'serviceAccount', serviceAccountToken: 't-a', caData: Buffer.from(PEM).toString('base64') },
              { name: 'b', url: 'https://b:6443', authProvider: 'serviceAccount', serviceAccountToken: 't-b', skipTLSVerify: true },
            ],
          },
        ],
      },
      servingHealth: {
        requestTimeoutMs: 1234,
        clusters: [{ name: 'b', url: 'https://b2:6443', serviceAccountToken: 't-b2' }],
      },
    });
    const conns = readClusterConnections(config);
    expect(conns.map(c => [c.name, c.url, c.token])).toEqual([
      ['a', 'https://a:6443', 't-a'],
      ['b', 'https://b2:6443', 't-b2'],
    ]);
    expect(conns[0].caData).toBe(PEM);
    expect(conns[0].timeoutMs).toBe(1234);
  });

  it('rejects an auth provider it cannot use, naming the cluster', () => {
    const config = new ConfigReader({
      kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters: [{ name: 'gke', url: 'https://x', authProvider: 'google' }] }] },
    });
    expect(() => readClusterConnections(config)).toThrow("Cluster 'gke': authProvider 'google' is not supported");
  });
});

describe('loadKubeconfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    const f = path.join(dir, `k${Math.random()}.yaml`);
    fs.writeFileSync(f, text);
    return f;
  };

  it('reads the named context with token and CA data', () => {
    const f = write(`
apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: ${Buffer.from(PEM).toString('base64')}}
users:
- name: u1
  user: {token: secret-token}
- name: u2
  user: {token: other}
contexts:
- name: one
  context: {cluster: c1, user: u1}
- name: two
  context: {cluster: c1, user: u2}
`);
    expect(loadKubeconfig(f)).toMatchObject({ name: 'c1', url: 'https://127.0.0.1:6443', token: 'secret-token', caData: PEM });
    expect(loadKubeconfig(f, 'two').token).toBe('other');
  });

  it('explains an exec plugin user instead of failing later', () => {
    const f = write(`
current-context: x
clusters: [{name: c, cluster: {server: "https://h"}}]
users: [{name: u, user: {exec: {command: aws}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`);
    expect(() => loadKubeconfig(f)).toThrow(/exec or auth-provider plugin/);
  });

  it('names a missing context and an unreadable file', () => {
    const f = write('current-context: nope\ncontexts: []\n');
    expect(() => loadKubeconfig(f)).toThrow("has no context 'nope'");
    expect(() => loadKubeconfig(path.join(dir, 'missing.yaml'))).toThrow('Cannot read kubeconfig');
  });
});
