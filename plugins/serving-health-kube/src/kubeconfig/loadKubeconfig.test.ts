import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKubeconfig } from './loadKubeconfig';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('loadKubeconfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    const f = path.join(dir, `k${Math.random()}.yaml`);
    fs.writeFileSync(f, text);
    return f;
  };

  it('reads the named context with token and CA data', async () => {
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
    const one = loadKubeconfig(f);
    expect(one).toMatchObject({ name: 'c1', url: 'https://127.0.0.1:6443', caData: PEM });
    expect((await one.credentials()).token).toBe('secret-token');
    expect((await loadKubeconfig(f, 'two').credentials()).token).toBe('other');
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
