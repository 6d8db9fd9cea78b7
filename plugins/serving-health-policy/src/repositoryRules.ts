/*
 * The rules that judge a repository rather than one object: sync order across Applications, and Helm values
 * against the charts they are given to. Inputs are the parsed documents validateManifests already holds.
 */
import { parse as parseYaml } from 'yaml';
import { toError } from '@backstage/errors';
import {
  applicationSources,
  checkArgoSyncOrder,
  infrastructureRole,
  isArgoApplication,
  SYNC_WAVE_ANNOTATION,
  syncWave,
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

/**
 * `argocd-sync-order` on the repository's Applications and ApplicationSets. What an Application deploys is read
 * from the files under its source paths; one that renders a Helm chart (a chart from a repository, or a chart
 * directory: templates are not rendered here) deploys what nobody here has read, so whether it must follow
 * KServe is listed as not evaluated rather than passed.
 *
 * @public
 */
export function lintSyncOrder(
  objects: LocatedObject[],
  chartDirs: string[] = [],
): { violations: Violation[]; notEvaluated: NotEvaluated[] } {
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
  const violations = checkArgoSyncOrder(apps).map((f): Violation => {
    const { doc, prefix, object } = (f.application as (typeof apps)[number])
      .located;
    return {
      file: doc.file,
      line: doc.lineOf([
        ...prefix,
        'metadata',
        'annotations',
        SYNC_WAVE_ANNOTATION,
      ]),
      resource: resourceRef(object),
      rule: 'argocd-sync-order',
      severity: 'error',
      message: f.message,
      path: `/metadata/annotations/${SYNC_WAVE_ANNOTATION}/`,
      hint: f.hint,
    };
  });
  const notEvaluated: NotEvaluated[] = [];
  const kserve = apps.filter(a => infrastructureRole(a) === 'kserve');
  if (kserve.length === 0) return { violations, notEvaluated };
  const kserveWave = Math.min(...kserve.map(a => syncWave(a.object)));
  for (const app of apps) {
    if (infrastructureRole(app) || syncWave(app.object) > kserveWave) continue;
    const charts = applicationSources(app.object).flatMap(source => {
      if (typeof source.chart === 'string')
        return [`chart \`${source.chart}\` of ${source.repoURL}`];
      const path =
        typeof source.path === 'string' ? normalizePath(source.path) : '';
      return chartDirs.includes(path) ? [`chart directory \`${path}\``] : [];
    });
    if (charts.length === 0) continue;
    notEvaluated.push({
      feature: 'argocd-sync-order-helm',
      reason: `${app.object.kind} \`${
        app.object.metadata?.name ?? '?'
      }\` (wave ${syncWave(app.object)}) renders ${charts.join(
        ', ',
      )}, which is not rendered here: whether it deploys InferenceServices, and so must sync after KServe (wave ${kserveWave}), was not checked`,
      file: app.file,
      resource: resourceRef(app.object),
    });
  }
  return { violations, notEvaluated };
}

/** Where an Argo CD object's Application spec is: an ApplicationSet gives its Applications its template's. */
const SPEC_OF: Record<string, string[] | undefined> = {
  Application: ['spec'],
  ApplicationSet: ['spec', 'template', 'spec'],
};

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
      reason: `values under \`${n.path.join('.')}\` go to dependency \`${
        n.dependency
      }\` of chart \`${chart.name}\`, which is not vendored under ${joinPath(
        chart.dir,
        'charts',
      )}/ (run \`helm dependency build\`), so they were not checked`,
      file: where.file,
    });
  }
  return result.undefinedValues.map(u => ({
    file: where.file,
    line: where.line(u.path),
    resource: where.resource,
    rule: 'helm-values-path' as const,
    severity: 'error' as const,
    message: `${where.givenAs} sets \`${u.path.join('.')}\`, which chart \`${
      chart.name
    }\` (${
      chart.dir
    }) and its dependencies do not define: Helm ignores it silently`,
    path: pointer([...where.pathPrefix, ...u.path]),
    ...(u.nearest ? { hint: `did you mean \`${u.nearest.join('.')}\`?` } : {}),
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
    if (!isArgoApplication(object)) continue;
    const specAt = SPEC_OF[String(object.kind)];
    if (!specAt) continue;
    const spec =
      (specAt.slice(1) as string[]).reduce<any>(
        (o, k) => o?.[k],
        object.spec,
      ) ?? {};
    const sources: Array<[Record<string, any>, Array<string | number>]> = [
      [spec.source, [...specAt, 'source']],
      ...(Array.isArray(spec.sources) ? spec.sources : []).map(
        (s: unknown, i: number) =>
          [s, [...specAt, 'sources', i]] as [
            Record<string, any>,
            Array<string | number>,
          ],
      ),
    ];
    for (const [source, at] of sources) {
      const helm = source?.helm;
      if (typeof helm !== 'object' || helm === null) continue;
      const base = {
        resource: resourceRef(object),
      };
      // A generator's parameters are known only to Argo CD: a templated source or value is not judged here.
      if (JSON.stringify(source).includes('{{')) {
        notEvaluated.push({
          feature: 'helm-values-templated',
          reason: `${object.kind} \`${object.metadata?.name}\` gives Helm values through a templated source ({{...}} parameters of its generators): helm-values-path did not check them`,
          file: doc.file,
          resource: base.resource,
        });
        continue;
      }
      const givesValues =
        helm.values !== undefined ||
        helm.valuesObject !== undefined ||
        (Array.isArray(helm.valueFiles) && helm.valueFiles.length > 0);
      const sourcePath =
        typeof source.path === 'string'
          ? normalizePath(source.path)
          : undefined;
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
            reason: `${object.kind} \`${
              object.metadata?.name
            }\` gives Helm values to ${
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
            reason: `spec.source.helm.values is not YAML: ${
              toError(e).message
            }`,
            file: doc.file,
            resource: base.resource,
          });
        }
        violations.push(
          ...helmViolations(
            chart,
            parsed,
            {
              file: doc.file,
              line: () => fieldLine('values'),
              resource: base.resource,
              pathPrefix: [...at, 'helm', 'values'],
              givenAs: `${object.kind} \`${object.metadata?.name}\` helm.values`,
            },
            notEvaluated,
          ),
        );
      }
      if (helm.valuesObject !== undefined) {
        violations.push(
          ...helmViolations(
            chart,
            helm.valuesObject,
            {
              file: doc.file,
              line: p => fieldLine('valuesObject', p),
              resource: base.resource,
              pathPrefix: [...at, 'helm', 'valuesObject'],
              givenAs: `${object.kind} \`${object.metadata?.name}\` helm.valuesObject`,
            },
            notEvaluated,
          ),
        );
      }
      for (const valueFile of Array.isArray(helm.valueFiles)
        ? helm.valueFiles
        : []) {
        if (typeof valueFile !== 'string') continue;
        if (valueFile.startsWith('$')) {
          notEvaluated.push({
            feature: 'helm-value-file',
            reason: `value file \`${valueFile}\` of ${object.kind} \`${object.metadata?.name}\` comes from another source of the Application (a \`ref\` source): helm-values-path did not check it`,
            file: doc.file,
            resource: base.resource,
          });
          continue;
        }
        const fileDoc = docOf(joinPath(chart.dir, valueFile));
        if (!fileDoc) {
          notEvaluated.push({
            feature: 'helm-value-file',
            reason: `value file \`${valueFile}\` of ${object.kind} \`${
              object.metadata?.name
            }\` is not among the files validated (looked for ${joinPath(
              chart.dir,
              valueFile,
            )})`,
            file: doc.file,
            resource: base.resource,
          });
          continue;
        }
        violations.push(
          ...helmViolations(
            chart,
            fileDoc.data,
            {
              file: fileDoc.file,
              line: p => fileDoc.lineOf(p),
              resource: {},
              pathPrefix: [],
              givenAs: `value file ${basename(fileDoc.file)} (${
                object.kind
              } \`${object.metadata?.name}\`)`,
            },
            notEvaluated,
          ),
        );
      }
    }
  }
  return { violations, notEvaluated };
}
