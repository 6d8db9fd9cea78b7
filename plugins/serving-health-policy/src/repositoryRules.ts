/*
 * The rules that judge a repository rather than one object: sync order across Applications, and Helm values
 * against the charts they are given to. Inputs are the parsed documents validateManifests already holds.
 */
import { parse as parseYaml } from 'yaml';
import { toError } from '@backstage/errors';
import {
  applicationSources,
  checkArgoSyncOrder,
  isArgoApplication,
  SYNC_WAVE_ANNOTATION,
  SyncOrderApplication,
} from './argocdSyncOrder';
import { loadHelmCharts } from './helmCharts';
import { checkHelmValues, HelmChart } from './helmValuesPath';
import { ManifestDocument, resourceRef } from './manifests';
import { basename, joinPath, normalizePath } from './paths';
import { KubeObject, NotEvaluated, Violation } from './types';

/** An object of the repository and the directory it is applied from (a rendered overlay's own directory). */
export interface LocatedObject {
  doc: ManifestDocument;
  object: KubeObject;
  prefix: Array<string | number>;
  /** Directory the object is deployed from. */
  dir: string;
}

/** True when `dir` is the source path `path` of an Application, or lies under it. */
function isUnder(dir: string, path: string): boolean {
  const d = `/${normalizePath(dir)}/`;
  const p = normalizePath(path);
  if (p === '.' || p === '') return true;
  return d.includes(`/${p}/`);
}

function kindKeys(obj: KubeObject): string[] {
  const group = (obj.apiVersion ?? '').includes('/')
    ? obj.apiVersion!.split('/')[0]
    : '';
  const key = `${group}/${obj.kind}`;
  return obj.kind === 'CustomResourceDefinition'
    ? [key, `${key}:${obj.metadata?.name}`]
    : [key];
}

/**
 * The directories an ApplicationSet's git directory generators select, as the fixed part of each path
 * (the path up to its first wildcard): what its Applications deploy lies under them.
 */
function gitGeneratorDirectories(obj: KubeObject): string[] {
  if (obj.kind !== 'ApplicationSet') return [];
  const generators: unknown[] = Array.isArray(obj.spec?.generators)
    ? obj.spec.generators
    : [];
  return generators.flatMap(g => {
    const dirs = (g as { git?: { directories?: unknown } })?.git?.directories;
    return (Array.isArray(dirs) ? dirs : [])
      .filter(d => typeof d?.path === 'string' && d.exclude !== true)
      .map(d => (d.path as string).split('*')[0].replace(/\/$/, ''))
      .filter(prefix => prefix !== '');
  });
}

/** @public */
export function lintSyncOrder(objects: LocatedObject[]): Violation[] {
  const apps: Array<SyncOrderApplication & { located: LocatedObject }> = objects
    .filter(o => isArgoApplication(o.object))
    .map(o => {
      const paths = [
        ...applicationSources(o.object)
          .filter(s => typeof s.path === 'string' && !s.path.includes('{{'))
          .map(s => s.path as string),
        ...gitGeneratorDirectories(o.object),
      ];
      const kinds = new Set<string>();
      for (const other of objects) {
        if (paths.some(p => isUnder(other.dir, p)))
          kindKeys(other.object).forEach(k => kinds.add(k));
      }
      return {
        object: o.object,
        file: o.doc.file,
        ...(paths.length ? { resourceKinds: kinds } : {}),
        located: o,
      };
    });
  return checkArgoSyncOrder(apps).map(f => {
    const { doc, prefix, object } = (f.application as (typeof apps)[number])
      .located;
    return {
      file: doc.file,
      line: doc.lineOf([...prefix, 'metadata', 'annotations', SYNC_WAVE_ANNOTATION]),
      resource: resourceRef(object),
      rule: 'argocd-sync-order',
      severity: 'error',
      message: f.message,
      path: `/metadata/annotations/${SYNC_WAVE_ANNOTATION}/`,
      hint: f.hint,
    };
  });
}

const pointer = (segs: Array<string | number>) => `/${segs.join('/')}/`;

function helmViolations(
  chart: HelmChart,
  values: unknown,
  where: {
    file: string;
    line: (path: string[]) => number | undefined;
    resource: Violation['resource'];
    pathPrefix: Array<string | number>;
    givenAs: string;
  },
  notEvaluated: NotEvaluated[],
): Violation[] {
  const result = checkHelmValues(chart, values);
  for (const n of result.notVendored) {
    notEvaluated.push({
      feature: 'helm-dependency-not-vendored',
      reason: `values under \`${n.path.join('.')}\` go to dependency \`${n.dependency}\` of chart \`${chart.name}\`, which is not vendored under ${joinPath(chart.dir, 'charts')}/ (run \`helm dependency build\`), so they were not checked`,
      file: where.file,
    });
  }
  return result.undefinedValues.map(u => ({
    file: where.file,
    line: where.line(u.path),
    resource: where.resource,
    rule: 'helm-values-path' as const,
    severity: 'error' as const,
    message: `${where.givenAs} sets \`${u.path.join('.')}\`, which chart \`${chart.name}\` (${chart.dir}) and its dependencies do not define: Helm ignores it silently`,
    path: pointer([...where.pathPrefix, ...u.path]),
    ...(u.nearest
      ? { hint: `did you mean \`${u.nearest.join('.')}\`?` }
      : {}),
  }));
}

/** @public */
export function lintHelmValues(
  documents: ManifestDocument[],
  objects: LocatedObject[],
): { violations: Violation[]; notEvaluated: NotEvaluated[] } {
  const charts = loadHelmCharts(documents);
  const violations: Violation[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const docOf = (file: string) =>
    documents.find(d => normalizePath(d.file) === normalizePath(file));
  for (const chart of charts) {
    const doc = docOf(joinPath(chart.dir, 'values.yaml'));
    if (!doc) continue;
    violations.push(
      ...helmViolations(
        chart,
        doc.data,
        {
          file: doc.file,
          line: p => doc.lineOf(p),
          resource: {},
          pathPrefix: [],
          givenAs: basename(doc.file),
        },
        notEvaluated,
      ),
    );
  }
  for (const { doc, object, prefix } of objects) {
    if (object.kind !== 'Application' || !isArgoApplication(object)) continue;
    const spec = object.spec ?? {};
    const sources: Array<[Record<string, any>, Array<string | number>]> = [
      [spec.source, ['spec', 'source']],
      ...(Array.isArray(spec.sources) ? spec.sources : []).map(
        (s: unknown, i: number) =>
          [s, ['spec', 'sources', i]] as [Record<string, any>, Array<string | number>],
      ),
    ];
    for (const [source, at] of sources) {
      const helm = source?.helm;
      if (typeof helm !== 'object' || helm === null) continue;
      const base = {
        resource: resourceRef(object),
      };
      const givesValues =
        helm.values !== undefined ||
        helm.valuesObject !== undefined ||
        (Array.isArray(helm.valueFiles) && helm.valueFiles.length > 0);
      const sourcePath =
        typeof source.path === 'string' ? normalizePath(source.path) : undefined;
      const chart =
        sourcePath === undefined
          ? undefined
          : charts.find(
              c => c.dir === sourcePath || c.dir.endsWith(`/${sourcePath}`),
            );
      if (!chart) {
        // A chart from a Helm repository, or a path outside the files validated: its values are not judged.
        if (givesValues)
          notEvaluated.push({
            feature: 'helm-chart-not-in-repository',
            reason: `Application \`${object.metadata?.name}\` gives Helm values to ${
              typeof source.chart === 'string'
                ? `chart \`${source.chart}\` of ${source.repoURL}`
                : `path \`${source.path}\``
            }, whose chart is not among the files validated: helm-values-path did not check them`,
            file: doc.file,
            resource: base.resource,
          });
        continue;
      }
      const fieldLine = (field: string, sub: string[] = []) =>
        doc.lineOf([...prefix, ...at, 'helm', field, ...sub]);
      if (typeof helm.values === 'string') {
        let parsed: unknown;
        try {
          parsed = parseYaml(helm.values);
        } catch (e) {
          notEvaluated.push({
            feature: 'helm-values',
            reason: `spec.source.helm.values is not YAML: ${toError(e).message}`,
            file: doc.file,
            resource: base.resource,
          });
        }
        violations.push(
          ...helmViolations(chart, parsed, {
            file: doc.file,
            line: () => fieldLine('values'),
            resource: base.resource,
            pathPrefix: [...at, 'helm', 'values'],
            givenAs: `Application \`${object.metadata?.name}\` helm.values`,
          }, notEvaluated),
        );
      }
      if (helm.valuesObject !== undefined) {
        violations.push(
          ...helmViolations(chart, helm.valuesObject, {
            file: doc.file,
            line: p => fieldLine('valuesObject', p),
            resource: base.resource,
            pathPrefix: [...at, 'helm', 'valuesObject'],
            givenAs: `Application \`${object.metadata?.name}\` helm.valuesObject`,
          }, notEvaluated),
        );
      }
      for (const valueFile of Array.isArray(helm.valueFiles) ? helm.valueFiles : []) {
        if (typeof valueFile !== 'string' || valueFile.startsWith('$')) continue;
        const fileDoc = docOf(joinPath(chart.dir, valueFile));
        if (!fileDoc) {
          notEvaluated.push({
            feature: 'helm-value-file',
            reason: `value file \`${valueFile}\` of Application \`${object.metadata?.name}\` is not among the files validated (looked for ${joinPath(chart.dir, valueFile)})`,
            file: doc.file,
            resource: base.resource,
          });
          continue;
        }
        violations.push(
          ...helmViolations(chart, fileDoc.data, {
            file: fileDoc.file,
            line: p => fileDoc.lineOf(p),
            resource: {},
            pathPrefix: [],
            givenAs: `value file ${basename(fileDoc.file)} (Application \`${object.metadata?.name}\`)`,
          }, notEvaluated),
        );
      }
    }
  }
  return { violations, notEvaluated };
}
