import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ClusterAccess, KubeApiError, KubeClient } from './kube';
import { displayPath, scenariosDir } from './paths';

/** scenario.json: what a scenario is about and what the triage must find in it. */
export interface ScenarioManifest {
  description: string;
  /**
   * Sibling scenario(s) whose files are loaded too; a file of this scenario
   * replaces the inherited file of the same name. A list combines scenarios:
   * each keeps its own replacements of a shared base, and where two replace
   * the same file the later one in the list wins.
   */
  extends?: string | string[];
  /**
   * Secrets written into the scenario's container logs (logs/<namespace>/<pod>/<container>.log): no
   * report may show them.
   */
  logSecrets?: string[];
  /**
   * Hub and spoke: Argo CD instances whose Applications live on another scenario's cluster, as
   * `servingHealth.argocdInstances` with scenario names for cluster names (each scenario is the cluster named
   * after it). Whoever loads this scenario also loads those.
   */
  argocdInstances?: Array<{
    name: string;
    scenario: string;
    destinations?: Array<{ destination: string; scenario: string }>;
  }>;
  expect: ExpectedReport[];
}

/** `servingHealth.argocdInstances` of a scenario, its clusters named after their scenarios. */
export function scenarioArgocdInstances(
  manifest: ScenarioManifest | undefined,
) {
  return (manifest?.argocdInstances ?? []).map(i => ({
    name: i.name,
    cluster: i.scenario,
    destinations: (i.destinations ?? []).map(d => ({
      destination: d.destination,
      cluster: d.scenario,
    })),
  }));
}

/** What the triage must report for one entity of a scenario. */
export interface ExpectedReport {
  entity: string;
  failureModes: string[];
  /**
   * The report's overall status; by default failing when failure modes are expected, else healthy. `degraded`: no
   * failure mode, but a check warns (a cluster-level warning, or a cause the triage cannot decide).
   */
  overall?: 'healthy' | 'degraded' | 'failing';
  /** What single checks must say, by check id: their status, failure mode, and words their summary contains. */
  checks?: Record<
    string,
    { status?: string; failureMode?: string; summaryIncludes?: string[] }
  >;
}

/** The overall status a scenario expects of an entity's report. */
export function expectedOverall(
  e: ExpectedReport,
): 'healthy' | 'degraded' | 'failing' {
  return e.overall ?? (e.failureModes.length ? 'failing' : 'healthy');
}

export interface Scenario {
  /** directory name; the demo names the cluster after it */
  name: string;
  dir: string;
  /** absent for a plain directory of YAML without scenario.json */
  manifest?: ScenarioManifest;
  /** the YAML files to load, inherited ones included, in file-name order */
  files: string[];
}

/** One document of a scenario file, as applied. */
export interface AppliedObject {
  file: string;
  /** 1-based position of the document in its file */
  document: number;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface LoadResult {
  applied: AppliedObject[];
  ms: number;
}

/**
 * A scenario could not be (fully) loaded. `applied` lists what is in the
 * cluster now; the loader never rolls back, because a real API server cannot
 * undo everything either (namespaces never finish deleting without a
 * controller-manager), so it says exactly what was left behind instead.
 */
export class ScenarioLoadError extends Error {
  constructor(message: string, readonly applied: AppliedObject[]) {
    const left = applied.length
      ? `\nAlready applied and left in place (${applied.length}): ${applied
          .map(describe)
          .join(', ')}`
      : '\nNothing was applied.';
    super(message + left);
    this.name = 'ScenarioLoadError';
  }
}

const SCENARIO_MANIFEST = 'scenario.json';

/** Every directory under scenarios/ that has a scenario.json, by name. */
export function listScenarios(): Scenario[] {
  return fs
    .readdirSync(scenariosDir, { withFileTypes: true })
    .filter(
      d =>
        d.isDirectory() &&
        fs.existsSync(path.join(scenariosDir, d.name, SCENARIO_MANIFEST)),
    )
    .map(d => d.name)
    .sort()
    .map(name => readScenario(name));
}

/**
 * Accepts a scenario name (a directory of scenarios/) or a path to any
 * directory of YAML. Relative paths are taken from where the user ran yarn.
 */
export function readScenario(nameOrDir: string): Scenario {
  const fromUser = path.resolve(
    process.env.INIT_CWD ?? process.cwd(),
    nameOrDir,
  );
  let dir: string;
  if (fs.existsSync(fromUser) && fs.statSync(fromUser).isDirectory()) {
    dir = fromUser;
  } else if (fs.existsSync(path.join(scenariosDir, nameOrDir))) {
    dir = path.join(scenariosDir, nameOrDir);
  } else {
    const known = fs.existsSync(scenariosDir)
      ? fs.readdirSync(scenariosDir).join(', ')
      : 'none';
    throw new Error(
      `no scenario "${nameOrDir}": neither a directory nor a name under ${displayPath(
        scenariosDir,
      )} (known: ${known})`,
    );
  }
  const manifest = readManifest(dir);
  const files = [...collectFiles(dir).values()].sort((a, b) =>
    path.basename(a).localeCompare(path.basename(b)),
  );
  return { name: path.basename(dir), dir, manifest, files };
}

function readManifest(dir: string): ScenarioManifest | undefined {
  const file = path.join(dir, SCENARIO_MANIFEST);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${displayPath(file)}: ${(e as Error).message}`);
  }
}

function isLoadable(file: string): boolean {
  const base = path.basename(file);
  return (
    /\.ya?ml$/.test(base) &&
    !/^catalog-info\.ya?ml$/.test(base) &&
    fs.statSync(file).isFile()
  );
}

/**
 * The scenario and its ancestors, each once, every base before the scenarios
 * built on it (a depth-first post-order walk of `extends`). With
 * `extends: [a, b]` where both extend `healthy`: healthy, a, b, the scenario.
 */
export function lineage(
  dir: string,
  chain: string[] = [],
  out: string[] = [],
): string[] {
  if (chain.includes(dir)) {
    throw new Error(
      `scenario "extends" cycle: ${[...chain, dir]
        .map(d => path.basename(d))
        .join(' -> ')}`,
    );
  }
  const bases = readManifest(dir)?.extends ?? [];
  for (const base of Array.isArray(bases) ? bases : [bases]) {
    const baseDir = path.resolve(path.dirname(dir), base);
    if (!fs.existsSync(baseDir)) {
      throw new Error(
        `${displayPath(
          path.join(dir, SCENARIO_MANIFEST),
        )}: extends "${base}", which is not a directory next to it`,
      );
    }
    lineage(baseDir, [...chain, dir], out);
  }
  if (!out.includes(dir)) {
    out.push(dir);
  }
  return out;
}

/**
 * file name -> path: each directory of the lineage contributes its own files,
 * replacing same-named files of the directories before it. So a combination
 * of two scenarios keeps both of their replacements of the shared base.
 */
function collectFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const d of lineage(dir, [], [])) {
    for (const name of fs.readdirSync(d)) {
      const file = path.join(d, name);
      if (isLoadable(file)) {
        files.set(name, file);
      }
    }
  }
  return files;
}

interface Item {
  file: string;
  document: number;
  obj: any;
}

/** Parses every file before anything is applied: a typo never half-loads a scenario. */
export function parseFiles(files: string[]): Item[] {
  const items: Item[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    YAML.parseAllDocuments(text).forEach((doc, i) => {
      const where = `${displayPath(file)}#${i + 1}`;
      const error = doc.errors[0];
      if (error) {
        const pos = error.linePos?.[0];
        const reason = error.message
          .split('\n')[0]
          .replace(/ at line \d+, column \d+:?$/, '');
        throw new Error(
          `${displayPath(file)}${
            pos ? `:${pos.line}:${pos.col}` : ''
          } (${where}): malformed YAML: ${reason}`,
        );
      }
      const obj = doc.toJS();
      if (obj === null || obj === undefined) {
        return; // a document holding only comments
      }
      const problem = checkObject(obj);
      if (problem) {
        throw new Error(`${where}: ${problem}`);
      }
      items.push({ file, document: i + 1, obj });
    });
  }
  return items;
}

function checkObject(obj: any): string | undefined {
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    return 'a document must be one Kubernetes object';
  }
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return 'apiVersion and kind are required';
  }
  if (typeof obj.metadata?.name !== 'string') {
    return `${obj.kind}: metadata.name is required`;
  }
  // The API server assigns these; written ones would be made-up links that a
  // real cluster never has, and the checks must join objects as they do on
  // real clusters (by namespace, kind, name and selectors).
  for (const field of ['uid', 'resourceVersion', 'ownerReferences']) {
    if (obj.metadata[field] !== undefined) {
      return `${obj.kind} ${obj.metadata.name}: metadata.${field} must not be written in a scenario (the API server assigns it)`;
    }
  }
  return undefined;
}

/** Where a testenv publishes the CA of its stand-in webhook server. */
export const WEBHOOK_CA_CONFIGMAP = {
  namespace: 'kube-system',
  name: 'testenv-webhook-ca',
};

/**
 * Sets caBundle on every Service-backed webhook that has none, from the CA the
 * testenv publishes: the job cert-manager's cainjector does on a real cluster.
 * On a cluster without that ConfigMap the webhooks stay as written.
 */
async function injectCaBundle(client: KubeClient, obj: any): Promise<any> {
  let ca: string | undefined;
  try {
    const cm = await client.get(
      `/api/v1/namespaces/${WEBHOOK_CA_CONFIGMAP.namespace}/configmaps/${WEBHOOK_CA_CONFIGMAP.name}`,
    );
    ca = cm?.data?.['ca.crt'];
  } catch (e) {
    if (!(e instanceof KubeApiError && e.statusCode === 404)) throw e;
  }
  if (!ca) return obj;
  const caBundle = Buffer.from(ca).toString('base64');
  return {
    ...obj,
    webhooks: (obj.webhooks ?? []).map((w: any) =>
      w.clientConfig?.service && !w.clientConfig.caBundle
        ? { ...w, clientConfig: { ...w.clientConfig, caBundle } }
        : w,
    ),
  };
}

const ADMISSION_KINDS = new Set([
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
]);

function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * CRDs before the objects of their kinds; Namespaces before what lives in
 * them; admission configurations last, because the API server enforces them
 * from the moment they exist (a webhook whose Service has no ready endpoints
 * would otherwise reject the rest of the scenario).
 */
function phase(obj: any): number {
  const g = group(obj.apiVersion);
  if (g === 'apiextensions.k8s.io' && obj.kind === 'CustomResourceDefinition') {
    return 0;
  }
  if (g === '' && obj.kind === 'Namespace') {
    return 1;
  }
  if (g === 'admissionregistration.k8s.io' && ADMISSION_KINDS.has(obj.kind)) {
    return 3;
  }
  return 2;
}

interface ResourceInfo {
  plural: string;
  namespaced: boolean;
  hasStatus: boolean;
}

/** kind -> REST resource, read from the API server's own discovery documents. */
class Discovery {
  private readonly cache = new Map<string, Promise<any>>();

  constructor(private readonly client: KubeClient) {}

  private list(apiVersion: string): Promise<any> {
    let list = this.cache.get(apiVersion);
    if (!list) {
      const url = apiVersion.includes('/')
        ? `/apis/${apiVersion}`
        : `/api/${apiVersion}`;
      list = this.client.get(url);
      // a failed lookup is not cached: the group may appear (CRD established)
      list.catch(() => this.cache.delete(apiVersion));
      this.cache.set(apiVersion, list);
    }
    return list;
  }

  forget(apiVersion: string): void {
    this.cache.delete(apiVersion);
  }

  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let list: any;
    try {
      list = await this.list(apiVersion);
    } catch (e) {
      if (e instanceof KubeApiError && e.statusCode === 404) {
        throw new Error(
          `the API server does not serve ${apiVersion} (is its CustomResourceDefinition part of the scenario?)`,
        );
      }
      throw e;
    }
    const resources: any[] = list.resources ?? [];
    const main = resources.find(r => r.kind === kind && !r.name.includes('/'));
    if (!main) {
      throw new Error(`${apiVersion} has no kind ${kind}`);
    }
    return {
      plural: main.name,
      namespaced: main.namespaced,
      hasStatus: resources.some(r => r.name === `${main.name}/status`),
    };
  }
}

function describe(o: {
  kind: string;
  namespace?: string;
  name: string;
}): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

function resourcePath(
  apiVersion: string,
  info: ResourceInfo,
  namespace: string | undefined,
): string {
  const prefix = apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
  return namespace
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`
    : `${prefix}/${info.plural}`;
}

const ESTABLISH_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Waits until each CRD is Established, its kind is in discovery and its storage
 * answers a LIST ("storage is (re)initializing" before that): only then does a
 * POST of a custom resource succeed, and a reader's first LIST with it.
 */
async function waitForCrds(
  client: KubeClient,
  discovery: Discovery,
  crds: Item[],
): Promise<Item | undefined> {
  const deadline = Date.now() + ESTABLISH_TIMEOUT_MS;
  for (const item of crds) {
    const name = item.obj.metadata.name;
    const spec = item.obj.spec ?? {};
    const version =
      (spec.versions ?? []).find((v: any) => v.served)?.name ?? 'v1';
    const apiVersion = `${spec.group}/${version}`;
    for (;;) {
      const crd = await client.get(
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      );
      const established = (crd.status?.conditions ?? []).some(
        (c: any) => c.type === 'Established' && c.status === 'True',
      );
      if (established) {
        discovery.forget(apiVersion);
        const served = await discovery
          .lookup(apiVersion, spec.names?.kind)
          .then(() => true)
          .catch(() => false);
        const listed =
          served &&
          (await client
            .get(`/apis/${apiVersion}/${spec.names?.plural}?limit=1`)
            .then(() => true)
            .catch(() => false));
        if (listed) {
          break;
        }
      }
      if (Date.now() > deadline) {
        return item;
      }
      await sleep(100);
    }
  }
  return undefined;
}

/**
 * Creates the objects of `files` in the order DESIGN.md prescribes and writes
 * their `status` through the /status subresource where the kind has one (where
 * it has none, as for Argo CD's Application, status is an ordinary field and is
 * created with the object, exactly as the API server stores it).
 */
export async function applyFiles(
  access: ClusterAccess,
  files: string[],
): Promise<LoadResult> {
  const started = Date.now();
  const items = parseFiles(files)
    .map((item, order) => ({ item, order, phase: phase(item.obj) }))
    .sort((a, b) => a.phase - b.phase || a.order - b.order);
  const client = new KubeClient(access);
  const discovery = new Discovery(client);
  const applied: AppliedObject[] = [];
  try {
    let crdsWaited = false;
    for (const { item, phase: p } of items) {
      if (p > 0 && !crdsWaited) {
        crdsWaited = true;
        const crds = items.filter(i => i.phase === 0).map(i => i.item);
        const stuck = await waitForCrds(client, discovery, crds);
        if (stuck) {
          throw new ScenarioLoadError(
            `${displayPath(stuck.file)}#${
              stuck.document
            } CustomResourceDefinition ${
              stuck.obj.metadata.name
            }: not Established (or not in discovery) after ${
              ESTABLISH_TIMEOUT_MS / 1000
            } s`,
            applied,
          );
        }
      }
      applied.push(await createObject(client, discovery, item, applied));
    }
    // Last, so that what holds them (their finalizers, a CRD's custom resources) exists by then.
    const deleting = items.filter(
      ({ item }) => item.obj.metadata.deletionTimestamp !== undefined,
    );
    for (const { item } of deleting.reverse()) {
      await startDeletion(client, discovery, item, applied);
    }
    return { applied, ms: Date.now() - started };
  } finally {
    client.close();
  }
}

async function createObject(
  client: KubeClient,
  discovery: Discovery,
  item: Item,
  applied: AppliedObject[],
): Promise<AppliedObject> {
  const { obj } = item;
  const ref: AppliedObject = {
    file: displayPath(item.file),
    document: item.document,
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
  };
  const fail = (message: string, soFar: AppliedObject[]) =>
    new ScenarioLoadError(
      `${ref.file}#${ref.document} ${describe(ref)}: ${message}`,
      soFar,
    );
  let info: ResourceInfo;
  try {
    info = await discovery.lookup(obj.apiVersion, obj.kind);
  } catch (e) {
    throw fail((e as Error).message, applied);
  }
  let body = { ...obj, metadata: { ...obj.metadata } };
  // Deletion is requested after every create (startDeletion): the API server would drop the field anyway.
  delete body.metadata.deletionTimestamp;
  if (phase(obj) === 3) body = await injectCaBundle(client, body);
  if (info.namespaced) {
    body.metadata.namespace = obj.metadata.namespace ?? 'default';
    ref.namespace = body.metadata.namespace;
  }
  const collection = resourcePath(obj.apiVersion, info, ref.namespace);
  const status = info.hasStatus ? body.status : undefined;
  if (status !== undefined) {
    // The create strategy of a kind with a status subresource drops status.
    delete body.status;
  }
  let created: any;
  try {
    created = await client.post(collection, body);
  } catch (e) {
    throw fail((e as Error).message, applied);
  }
  if (status !== undefined) {
    const itemPath = `${collection}/${encodeURIComponent(ref.name)}/status`;
    try {
      await client.put(itemPath, { ...created, status });
    } catch (e) {
      throw fail(
        `created, but its status was rejected: ${(e as Error).message}`,
        [...applied, ref],
      );
    }
  }
  return ref;
}

/**
 * An object written with `metadata.deletionTimestamp` is one a real cluster
 * shows as terminating: it is created, then deleted, and stays as long as its
 * finalizers (or, for a CRD, its custom resources' finalizers) hold it, which
 * is for ever in a testenv without controllers. The API server sets its own
 * deletionTimestamp; an object that nothing holds is gone, and the scenario
 * does not describe what it meant to.
 */
async function startDeletion(
  client: KubeClient,
  discovery: Discovery,
  item: Item,
  applied: AppliedObject[],
): Promise<void> {
  const { obj } = item;
  const info = await discovery.lookup(obj.apiVersion, obj.kind);
  const namespace = info.namespaced
    ? obj.metadata.namespace ?? 'default'
    : undefined;
  const itemPath = `${resourcePath(
    obj.apiVersion,
    info,
    namespace,
  )}/${encodeURIComponent(obj.metadata.name)}`;
  const fail = (message: string) =>
    new ScenarioLoadError(
      `${displayPath(item.file)}#${item.document} ${describe({
        kind: obj.kind,
        namespace,
        name: obj.metadata.name,
      })}: ${message}`,
      applied,
    );
  try {
    await client.delete(itemPath);
    const after = await client.get(itemPath);
    if (!after.metadata?.deletionTimestamp) {
      throw fail('deleted, but the API server shows no deletionTimestamp');
    }
  } catch (e) {
    if (e instanceof KubeApiError && e.statusCode === 404) {
      throw fail(
        'has metadata.deletionTimestamp, but nothing holds its deletion: it was deleted for good (give it a finalizer, or for a CRD a custom resource with one)',
      );
    }
    throw e instanceof ScenarioLoadError ? e : fail((e as Error).message);
  }
}

/**
 * Loads a scenario (name or directory) into a running cluster with an
 * identity allowed to create everything in it (the testenv's admin).
 */
export async function loadScenario(
  target:
    | ClusterAccess
    | { url: string; caData: string; tokens: { admin: string } },
  nameOrDir: string,
): Promise<LoadResult & { scenario: Scenario }> {
  const scenario = readScenario(nameOrDir);
  const access: ClusterAccess =
    'tokens' in target
      ? { url: target.url, caData: target.caData, token: target.tokens.admin }
      : target;
  const result = await applyFiles(access, scenario.files);
  return { ...result, scenario };
}
