import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readScenario, scenariosDir } from '@internal/testenv';

/* eslint-disable @typescript-eslint/no-shadow */

export interface KubeDoc {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [k: string]: any;
  };
  [k: string]: any;
}

export interface CatalogEntity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    [k: string]: any;
  };
  spec?: any;
}

/** One entity of a scenario's catalog-info.yaml and the objects it points at (as the scenario writes them). */
interface Template {
  entity: CatalogEntity;
  isvc?: KubeDoc;
  app?: KubeDoc;
}

export interface ClusterFleet {
  cluster: string;
  scenario: string;
  /** The scenario's own files, then the generated one: load them in ONE applyFiles call. */
  files: string[];
  entities: CatalogEntity[];
  inferenceServices: number;
  applications: number;
  /** template entity name -> clones */
  templates: Record<string, number>;
}

const ISVC = 'serving.kserve.io/inferenceservice';
const K8S_ID = 'backstage.io/kubernetes-id';
const K8S_NS = 'backstage.io/kubernetes-namespace';
const APP = 'argocd/app-name';
const APP_NS = 'argocd/app-namespace';
const CLUSTER = 'backstage.io/kubernetes-cluster';

function readDocs(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .filter(d => d && typeof d === 'object');
}

/** The scenario and every scenario it extends, each once. */
function chain(name: string, seen: string[] = []): string[] {
  if (seen.includes(name)) return [];
  const manifestFile = path.join(scenariosDir, name, 'scenario.json');
  const manifest = fs.existsSync(manifestFile)
    ? JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
    : {};
  const bases: string[] = manifest.extends ? [].concat(manifest.extends) : [];
  const out = [name];
  for (const b of bases) out.push(...chain(b, [...seen, ...out]));
  return [...new Set(out)];
}

function templates(scenario: string): Template[] {
  const files = readScenario(scenario).files;
  const objects: KubeDoc[] = files.flatMap(readDocs);
  const out: Template[] = [];
  const seen = new Set<string>();
  for (const s of chain(scenario)) {
    const file = path.join(scenariosDir, s, 'catalog-info.yaml');
    if (!fs.existsSync(file)) continue;
    for (const entity of readDocs(file) as CatalogEntity[]) {
      if (entity.kind !== 'Component' || seen.has(entity.metadata.name))
        continue;
      seen.add(entity.metadata.name);
      const a = entity.metadata.annotations ?? {};
      let isvc: KubeDoc | undefined;
      if (a[ISVC]) {
        const parts = a[ISVC].split('/');
        const [ns, name] =
          parts.length === 2 ? parts : [a[K8S_NS] ?? 'default', parts[0]];
        isvc = objects.find(
          o =>
            o.kind === 'InferenceService' &&
            o.metadata.name === name &&
            (o.metadata.namespace ?? 'default') === ns,
        );
      } else if (a[K8S_ID]) {
        isvc = objects.find(
          o =>
            o.kind === 'InferenceService' &&
            o.metadata.labels?.[K8S_ID] === a[K8S_ID] &&
            (!a[K8S_NS] || o.metadata.namespace === a[K8S_NS]),
        );
      }
      const app = a[APP]
        ? objects.find(
            o =>
              o.kind === 'Application' &&
              o.metadata.name === a[APP] &&
              (o.metadata.namespace ?? 'argocd') === (a[APP_NS] ?? 'argocd'),
          )
        : undefined;
      // An entity whose objects this cluster does not have at all says nothing about it.
      if (isvc || app) out.push({ entity, isvc, app });
    }
  }
  return out;
}

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));

/**
 * Entities for one cluster, cloned round-robin from the entities of
 * the scenario and of the scenarios it extends, each with its own copy of the
 * template's InferenceService (when the scenario has one: some failure modes
 * are about it never having been created) and Argo CD Application. A clone
 * keeps the template's labels and status, so it fails the way its template
 * does. Every InferenceService clone also carries `backstage.io/kubernetes-id`
 * so that Backstage's Kubernetes plugin finds it.
 */
export function generateClusterFleet(options: {
  scenario: string;
  cluster: string;
  /** InferenceServices to create; entities whose template has none come on top */
  inferenceServices: number;
  /** first clone number (entity names are unique across clusters) */
  offset: number;
  outDir: string;
}): ClusterFleet {
  const { scenario, cluster, offset, outDir } = options;
  const ts = templates(scenario);
  if (ts.length === 0)
    throw new Error(
      `scenario ${scenario} has no catalog entity whose objects it creates`,
    );
  // Round-robin over the templates until the InferenceService count is reached.
  const anyIsvc = ts.some(t => t.isvc);
  let isvcCount = 0;
  const docs: KubeDoc[] = [];
  const entities: CatalogEntity[] = [];
  const perTemplate: Record<string, number> = {};
  for (
    let i = 0;
    anyIsvc
      ? isvcCount < options.inferenceServices
      : i < options.inferenceServices;
    i++
  ) {
    const t = ts[i % ts.length];
    if (t.isvc) isvcCount += 1;
    const name = `${t.entity.metadata.name}-b${String(offset + i).padStart(
      4,
      '0',
    )}`;
    perTemplate[t.entity.metadata.name] =
      (perTemplate[t.entity.metadata.name] ?? 0) + 1;
    const annotations: Record<string, string> = {
      [CLUSTER]: cluster,
      [K8S_ID]: name,
    };
    const ta = t.entity.metadata.annotations ?? {};
    let isvcNs = ta[K8S_NS] ?? 'models';
    if (t.isvc) isvcNs = t.isvc.metadata.namespace ?? 'default';
    else if (ta[ISVC]?.includes('/')) isvcNs = ta[ISVC].split('/')[0];
    // The Kubernetes plugin reads the namespace annotation too (namespaced queries instead of cluster-wide ones).
    annotations[K8S_NS] = isvcNs;
    if (ta[ISVC] || !ta[K8S_ID]) annotations[ISVC] = `${isvcNs}/${name}`;
    if (ta[APP]) {
      annotations[APP] = name;
      if (ta[APP_NS]) annotations[APP_NS] = ta[APP_NS];
    }
    if (t.isvc) {
      const o = clone(t.isvc);
      o.metadata = {
        ...o.metadata,
        name,
        labels: {
          ...o.metadata.labels,
          'app.kubernetes.io/instance': name,
          [K8S_ID]: name,
        },
      };
      docs.push(o);
    }
    if (t.app) {
      const o = clone(t.app);
      o.metadata = { ...o.metadata, name };
      if (o.spec?.source?.path)
        o.spec.source.path = String(o.spec.source.path).replace(
          t.entity.metadata.name,
          name,
        );
      docs.push(o);
    }
    const e = clone(t.entity);
    e.metadata = {
      name,
      namespace: 'default',
      title: name,
      description: `bench clone of ${t.entity.metadata.name} on ${cluster}`,
      annotations,
    };
    entities.push(e);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const generated = path.join(outDir, `bench-fleet-${cluster}.yaml`);
  // JSON documents are YAML documents; much faster to write and parse.
  fs.writeFileSync(generated, docs.map(d => JSON.stringify(d)).join('\n---\n'));
  return {
    cluster,
    scenario,
    files: [...readScenario(scenario).files, generated],
    entities,
    inferenceServices: docs.filter(d => d.kind === 'InferenceService').length,
    applications: docs.filter(d => d.kind === 'Application').length,
    templates: perTemplate,
  };
}
