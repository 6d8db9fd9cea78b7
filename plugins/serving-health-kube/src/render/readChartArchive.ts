import path from 'node:path';
import { t as listTar } from 'tar';
import { ManifestFile } from '@serving-health/plugin-serving-health-policy';

/** What the helm-values-path rule reads from a chart; templates stay in the archive. */
const CHART_FILES = /(^|\/)(Chart\.yaml|values\.yaml|values\.schema\.json)$/;

/**
 * True for a vendored dependency archive: `<chart>/charts/<name>-<version>.tgz`, as `helm dependency build`
 * writes it.
 *
 * @public
 */
export function isChartArchive(file: string): boolean {
  const f = file.replace(/\\/g, '/');
  return (
    f.endsWith('.tgz') &&
    path.posix.basename(path.posix.dirname(f)) === 'charts'
  );
}

/**
 * Unpacks the chart files of a vendored dependency archive (`charts/<name>-<version>.tgz`, as
 * `helm dependency build` writes it) in memory, as files under `charts/<name>/` next to the archive.
 *
 * @param archive - absolute path of the .tgz
 * @param display - the archive's path as validate names files
 *
 * @public
 */
export function readChartArchive(
  archive: string,
  display: string,
): ManifestFile[] {
  const files: ManifestFile[] = [];
  const chartsDir = path.posix.dirname(display);
  listTar({
    file: archive,
    sync: true,
    onReadEntry: entry => {
      // Entry paths come from the archive: keep only plain chart files, never a path that climbs out.
      const name = entry.path.replace(/\\/g, '/');
      if (
        entry.type !== 'File' ||
        !CHART_FILES.test(name) ||
        name.split('/').includes('..') ||
        name.startsWith('/')
      ) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () =>
        files.push({
          path: path.posix.join(chartsDir, name),
          content: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    },
  });
  return files;
}
