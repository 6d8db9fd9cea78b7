import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestEnv } from './jest';
import { KubeApiError, KubeClient } from './kube';
import { loadScenario, readScenario, ScenarioLoadError } from './scenario';

/** The loader's rules (DESIGN.md "Test environment and scenarios"), against one real API server. */

let root: string;

/** Writes a directory of scenario files under a fresh parent (so `extends` finds siblings). */
function scenario(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

beforeAll(() => {
  root = fs.mkdtempSync(
    path.join(os.tmpdir(), 'serving-health-scenario-test-'),
  );
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const CRD = (plural: string, kind: string, status: boolean) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.example.io
spec:
  group: example.io
  names: { kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()} }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      subresources: ${status ? '{ status: {} }' : '{}'}
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;

const WEBHOOK = (name: string) => `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: ${name}
webhooks:
  - name: ${name}.example.io
    clientConfig:
      service: { name: gone, namespace: default, path: /validate }
    failurePolicy: Fail
    sideEffects: None
    admissionReviewVersions: [v1]
    namespaceSelector:
      matchLabels: { kubernetes.io/metadata.name: ordering }
    rules:
      - { apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps] }
`;

describe('loadScenario', () => {
  const env = useTestEnv({ name: 'loader' });

  const read = async (urlPath: string) => {
    const client = new KubeClient(env().access('admin'));
    try {
      return await client.get(urlPath);
    } finally {
      client.close();
    }
  };

  it('applies CRDs, then Namespaces, then the rest, then admission webhooks, whatever the file order', async () => {
    // Written in the worst order: a blocking webhook first, custom resources
    // before their CRD, namespaced objects before their Namespace.
    const dir = scenario('ordering', {
      'a-webhook.yaml': WEBHOOK('blocks-configmaps'),
      'b-objects.yaml': `
apiVersion: example.io/v1
kind: Widget
metadata: { name: w1, namespace: ordering }
spec: { size: 3 }
status: { phase: Ready }
---
apiVersion: example.io/v1
kind: Gadget
metadata: { name: g1, namespace: ordering }
status: { phase: Ready }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: ordering }
data: { a: "1" }
`,
      'c-crds.yaml': `${CRD('widgets', 'Widget', true)}---${CRD(
        'gadgets',
        'Gadget',
        false,
      )}`,
      'd-namespace.yml':
        'apiVersion: v1\nkind: Namespace\nmetadata: { name: ordering }\n',
      'catalog-info.yaml': 'this: is not loaded',
      'notes.txt': 'neither is this',
    });
    const result = await loadScenario(env(), dir);
    expect(result.applied.map(o => `${o.kind}/${o.name}`)).toEqual([
      'CustomResourceDefinition/widgets.example.io',
      'CustomResourceDefinition/gadgets.example.io',
      'Namespace/ordering',
      'Widget/w1',
      'Gadget/g1',
      'ConfigMap/settings',
      'ValidatingWebhookConfiguration/blocks-configmaps',
    ]);
    expect(result.applied[3]).toMatchObject({
      file: path.join(dir, 'b-objects.yaml'),
      document: 1,
      namespace: 'ordering',
    });

    // status went through /status where the kind has one, inline where not
    const widget = await read(
      '/apis/example.io/v1/namespaces/ordering/widgets/w1',
    );
    expect(widget.status).toEqual({ phase: 'Ready' });
    const gadget = await read(
      '/apis/example.io/v1/namespaces/ordering/gadgets/g1',
    );
    expect(gadget.status).toEqual({ phase: 'Ready' });

    // the webhook is enforced from now on, which is why it came last
    const blocked = await loadScenario(
      env(),
      scenario('after-webhook', {
        'cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: late, namespace: ordering }\n',
      }),
    ).catch(e => e);
    expect(blocked).toBeInstanceOf(ScenarioLoadError);
    expect(blocked.message).toMatch(
      /cm\.yaml#1 ConfigMap ordering\/late: Internal error occurred: failed calling webhook "blocks-configmaps\.example\.io": .*service "gone" not found/,
    );
    expect(blocked.message).toMatch(/Nothing was applied\.$/);
  });

  it('writes status of built-in kinds through /status, and Pods with their node as written', async () => {
    const dir = scenario('status', {
      'all.yaml': `
apiVersion: v1
kind: Namespace
metadata: { name: status }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: status }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
status:
  replicas: 1
  unavailableReplicas: 1
  conditions: [{ type: Available, status: "False", reason: MinimumReplicasUnavailable }]
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: status, labels: { app: web } }
spec:
  nodeName: node-a
  containers: [{ name: web, image: nginx }]
status:
  phase: Running
  podIP: 10.244.1.5
  podIPs: [{ ip: 10.244.1.5 }]
  conditions: [{ type: Ready, status: "False" }]
  containerStatuses:
    - name: web
      image: nginx
      imageID: ""
      ready: false
      restartCount: 0
      state: { waiting: { reason: ErrImagePull } }
`,
    });
    await loadScenario(env(), dir);
    const deployment = await read(
      '/apis/apps/v1/namespaces/status/deployments/web',
    );
    expect(deployment.status.conditions[0].reason).toBe(
      'MinimumReplicasUnavailable',
    );
    const pod = await read('/api/v1/namespaces/status/pods/web-1');
    expect(pod.spec.nodeName).toBe('node-a');
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe(
      'ErrImagePull',
    );
  });

  it('leaves an object written with deletionTimestamp terminating, held by finalizers (a CRD by its custom resources\')', async () => {
    const dir = scenario('terminating', {
      'crd.yaml': CRD('sprockets', 'Sprocket', true).replace(
        'name: sprockets.example.io',
        "name: sprockets.example.io\n  deletionTimestamp: '2025-11-24T08:12:00Z'",
      ),
      'objects.yaml': `
apiVersion: v1
kind: Namespace
metadata: { name: terminating }
---
apiVersion: example.io/v1
kind: Sprocket
metadata: { name: s1, namespace: terminating, finalizers: [example.io/cleanup] }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: held
  namespace: terminating
  finalizers: [example.io/keep]
  deletionTimestamp: '2025-11-24T08:00:00Z'
`,
    });
    await loadScenario(env(), dir);
    const crd = await read('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/sprockets.example.io');
    expect(crd.metadata.deletionTimestamp).toBeDefined();
    const cm = await read('/api/v1/namespaces/terminating/configmaps/held');
    expect(cm.metadata.deletionTimestamp).toBeDefined();
    expect(cm.metadata.finalizers).toEqual(['example.io/keep']);

    const unheld = await loadScenario(
      env(),
      scenario('unheld', {
        'cm.yaml': "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: unheld, namespace: terminating, deletionTimestamp: '2025-11-24T08:00:00Z' }\n",
      }),
    ).catch(e => e);
    expect(unheld).toBeInstanceOf(ScenarioLoadError);
    expect(unheld.message).toContain('ConfigMap terminating/unheld: has metadata.deletionTimestamp, but nothing holds its deletion');
  });

  it('names file, document and object when the API server rejects one, and lists what was applied', async () => {
    const dir = scenario('rejected', {
      'objects.yaml': `
apiVersion: v1
kind: Namespace
metadata: { name: rejected }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: fine, namespace: rejected }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: no-selector, namespace: rejected }
spec: { template: { spec: { containers: [] } } }
`,
    });
    const error = await loadScenario(env(), dir).catch(e => e);
    expect(error).toBeInstanceOf(ScenarioLoadError);
    expect(error.message).toMatch(
      /objects\.yaml#3 Deployment rejected\/no-selector: Deployment\.apps "no-selector" is invalid: .*spec\.selector: Required value/,
    );
    expect(error.message).toContain(
      'Already applied and left in place (2): Namespace rejected, ConfigMap rejected/fine',
    );
    expect(error.applied).toHaveLength(2);
  });

  it('rejects malformed YAML with file and line before applying anything', async () => {
    const dir = scenario('malformed', {
      'a.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata: { name: never-created }\n',
      'b.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [1, 2\n  a: b\n',
    });
    const error = await loadScenario(env(), dir).catch(e => e);
    expect(error.message).toMatch(
      /b\.yaml:\d+:\d+ \(.*b\.yaml#1\): malformed YAML: /,
    );
    const namespaces = await read('/api/v1/namespaces');
    expect(namespaces.items.map((n: any) => n.metadata.name)).not.toContain(
      'never-created',
    );
  });

  it('refuses server-assigned fields and unknown kinds with the object named', async () => {
    const uid = scenario('uid', {
      'x.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, uid: 1234 }\n',
    });
    await expect(loadScenario(env(), uid)).rejects.toThrow(
      /x\.yaml#1: ConfigMap x: metadata\.uid must not be written in a scenario/,
    );
    const unknown = scenario('unknown-kind', {
      'x.yaml':
        'apiVersion: nothing.example.io/v1\nkind: Thing\nmetadata: { name: x }\n',
    });
    await expect(loadScenario(env(), unknown)).rejects.toThrow(
      /x\.yaml#1 Thing x: the API server does not serve nothing\.example\.io\/v1/,
    );
  });

  it('refuses identities without the rights', async () => {
    const dir = scenario('as-reader', {
      'ns.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata: { name: as-reader }\n',
    });
    const error = await loadScenario(env().access('reader'), dir).catch(e => e);
    expect(error.message).toMatch(
      /ns\.yaml#1 Namespace as-reader: .*forbidden/,
    );
  });

  it('exposes API errors with status code and reason', async () => {
    const client = new KubeClient(env().access('nobody'));
    const error = await client.get('/api/v1/secrets').catch(e => e);
    client.close();
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ statusCode: 403, reason: 'Forbidden' });
  });
});

describe('readScenario', () => {
  it('resolves extends: own files replace inherited ones of the same name', () => {
    scenario('base', {
      'scenario.json': '{"description": "base", "expect": []}',
      'a.yaml': '',
      'b.yaml': '',
    });
    const child = scenario('child', {
      'scenario.json':
        '{"description": "child", "extends": "base", "expect": []}',
      'b.yaml': '',
      'c.yml': '',
      'catalog-info.yaml': '',
    });
    expect(readScenario(child).files.map(f => path.relative(root, f))).toEqual([
      'base/a.yaml',
      'child/b.yaml',
      'child/c.yml',
    ]);
  });

  it('combines scenarios that extend the same base, keeping both replacements', () => {
    scenario('left', {
      'scenario.json': '{"description": "", "extends": "base", "expect": []}',
      'a.yaml': '',
    });
    scenario('right', {
      'scenario.json': '{"description": "", "extends": "base", "expect": []}',
      'b.yaml': '',
    });
    const combo = scenario('combo', {
      'scenario.json':
        '{"description": "", "extends": ["left", "right"], "expect": []}',
    });
    expect(readScenario(combo).files.map(f => path.relative(root, f))).toEqual([
      'left/a.yaml',
      'right/b.yaml',
    ]);
  });

  it('reports extends cycles and missing bases', () => {
    scenario('ping', {
      'scenario.json': '{"description": "", "extends": "pong", "expect": []}',
    });
    const pong = scenario('pong', {
      'scenario.json': '{"description": "", "extends": "ping", "expect": []}',
    });
    expect(() => readScenario(pong)).toThrow(
      'scenario "extends" cycle: pong -> ping -> pong',
    );
    const orphan = scenario('orphan', {
      'scenario.json':
        '{"description": "", "extends": "nowhere", "expect": []}',
    });
    expect(() => readScenario(orphan)).toThrow(
      /extends "nowhere", which is not a directory next to it/,
    );
  });

  it('finds the library scenarios by name', () => {
    expect(readScenario('healthy').manifest?.expect).toHaveLength(2);
    expect(() => readScenario('no-such-scenario')).toThrow(
      /no scenario "no-such-scenario"/,
    );
  });
});
