import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError, toError } from '@backstage/errors';
import fg from 'fast-glob';
import {
  isChartArchive,
  readChartArchive,
} from '@serving-health/plugin-serving-health-kube';
import {
  ManifestFile,
  parseManifests,
} from '@serving-health/plugin-serving-health-policy';

export const DEFAULT_MANIFEST_GLOBS = ['**/*.yaml', '**/*.yml'];

/** Resolves a workspace-relative path, rejecting anything outside the workspace. */
export function safeWorkspacePath(
  workspacePath: string,
  relative: string,
  field: string,
): string {
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) {
    throw new InputError(`${field}: '${relative}' is outside the workspace`);
  }
  try {
    return resolveSafeChildPath(workspacePath, relative);
  } catch {
    throw new InputError(`${field}: '${relative}' is outside the workspace`);
  }
}

/**
 * Reads the files the globs (or plain paths, or directories) select inside the workspace. Paths come back
 * relative to the workspace, `/`-separated. With `chartArchives`, the vendored dependency archives of every
 * chart selected (`<chart>/charts/*.tgz`) are read too, as their chart files (helm-values-path reads them).
 */
export async function readWorkspaceFiles(
  workspacePath: string,
  patterns: string[],
  field: string,
  options: { chartArchives?: boolean } = {},
): Promise<ManifestFile[]> {
  const globs: string[] = [];
  for (const pattern of patterns) {
    const abs = safeWorkspacePath(workspacePath, pattern, field);
    const stat = await fs.stat(abs).catch(() => undefined);
    if (stat?.isDirectory()) {
      const dir = path.relative(workspacePath, abs).split(path.sep).join('/');
      globs.push(
        ...['yaml', 'yml', 'json'].map(ext =>
          dir ? `${fg.escapePath(dir)}/**/*.${ext}` : `**/*.${ext}`,
        ),
      );
    } else {
      globs.push(pattern);
    }
  }
  const matches = await fg(globs, {
    cwd: workspacePath,
    // Symbolic links are listed (not followed) so that one pointing outside is rejected, not silently skipped.
    onlyFiles: false,
    dot: false,
    followSymbolicLinks: false,
    unique: true,
    ignore: ['**/node_modules/**', '**/.git/**'],
  });
  if (options.chartArchives) {
    const chartDirs = matches
      .filter(m => path.posix.basename(m) === 'Chart.yaml')
      .map(m => path.posix.dirname(m));
    if (chartDirs.length) {
      matches.push(
        ...(await fg(
          chartDirs.map(d => `${fg.escapePath(d)}/charts/*.tgz`),
          { cwd: workspacePath, onlyFiles: false, followSymbolicLinks: false },
        )),
      );
    }
  }
  const files: ManifestFile[] = [];
  const realWorkspace = await fs.realpath(workspacePath);
  for (const rel of [...new Set(matches)].sort()) {
    const abs = safeWorkspacePath(workspacePath, rel, field);
    // A symbolic link inside the workspace must not read a file outside it.
    const real = await fs.realpath(abs).catch(() => undefined);
    if (!real) throw new InputError(`${field}: '${rel}' is a broken link`);
    const fromRoot = path.relative(realWorkspace, real);
    if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) {
      throw new InputError(`${field}: '${rel}' links outside the workspace`);
    }
    if (!(await fs.stat(real)).isFile()) continue;
    if (options.chartArchives && isChartArchive(rel)) {
      try {
        files.push(...readChartArchive(real, rel));
      } catch (e) {
        throw new InputError(
          `${field}: cannot read chart archive '${rel}': ${toError(e).message}`,
        );
      }
      continue;
    }
    files.push({ path: rel, content: await fs.readFile(real, 'utf8') });
  }
  return files;
}

/** Every document of the files; the first malformed one is an InputError naming file and line. */
export function parseWorkspaceManifests(files: ManifestFile[]) {
  return files.flatMap(f => {
    const parsed = parseManifests(f.content, f.path);
    if (parsed.errors.length) {
      const e = parsed.errors[0];
      throw new InputError(
        `malformed YAML: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`,
      );
    }
    return parsed.documents;
  });
}
