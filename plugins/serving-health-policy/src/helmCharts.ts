import { HelmChart } from './helmValuesPath';
import { ManifestDocument } from './manifests';
import { basename, dirname, joinPath, normalizePath } from './paths';

const isMap = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for the files of a chart directory that are not Kubernetes objects: Chart.yaml, values, templates. */
export function isChartFile(file: string, chartDirs: string[]): boolean {
  const f = normalizePath(file);
  return chartDirs.some(dir => {
    const prefix = dir === '.' ? '' : `${dir}/`;
    if (!f.startsWith(prefix)) return false;
    const rest = f.slice(prefix.length);
    return (
      rest === 'Chart.yaml' ||
      rest === 'values.schema.json' ||
      /^values[^/]*\.ya?ml$/.test(rest) ||
      rest.startsWith('templates/') ||
      rest.startsWith('charts/') ||
      rest.startsWith('crds/')
    );
  });
}

/**
 * The charts of a repository, read from parsed files: each `Chart.yaml` with its `values.yaml`,
 * `values.schema.json` and the dependencies vendored under its `charts/` (directories, or `.tgz` archives the
 * caller has unpacked into `charts/<name>/...`).
 *
 * @public
 */
export function loadHelmCharts(documents: ManifestDocument[]): HelmChart[] {
  const byFile = new Map<string, unknown>();
  for (const doc of documents) {
    if (doc.index === 0) byFile.set(normalizePath(doc.file), doc.data);
  }
  const dirs = [...byFile.keys()]
    .filter(f => basename(f) === 'Chart.yaml')
    .map(dirname);
  const build = (dir: string): HelmChart => {
    const at = (name: string) => byFile.get(joinPath(dir, name));
    const meta = at('Chart.yaml');
    const deps = isMap(meta) && Array.isArray(meta.dependencies) ? meta.dependencies : [];
    return {
      dir,
      name: isMap(meta) && typeof meta.name === 'string' ? meta.name : basename(dir),
      values: at('values.yaml') ?? {},
      schema: at('values.schema.json'),
      dependencies: deps.filter(isMap).map((d: Record<string, any>) => {
        const name = String(d.name ?? '');
        const vendored = dirs.find(
          sub =>
            dirname(sub) === joinPath(dir, 'charts') &&
            isMap(byFile.get(joinPath(sub, 'Chart.yaml'))) &&
            (byFile.get(joinPath(sub, 'Chart.yaml')) as Record<string, any>).name === name,
        );
        return {
          name,
          ...(typeof d.alias === 'string' ? { alias: d.alias } : {}),
          ...(typeof d.condition === 'string' ? { condition: d.condition } : {}),
          ...(vendored ? { chart: build(vendored) } : {}),
        };
      }),
    };
  };
  // Vendored subcharts are judged through their parent, not as charts of their own.
  const isVendored = (d: string) =>
    basename(dirname(d)) === 'charts' && dirs.includes(dirname(dirname(d)));
  return dirs.filter(d => !isVendored(d)).map(build);
}

/** The Chart.yaml directories among file paths, vendored ones included. */
export function chartDirectories(files: string[]): string[] {
  return files.filter(f => basename(f) === 'Chart.yaml').map(dirname);
}
