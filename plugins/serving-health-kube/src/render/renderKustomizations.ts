import { execFile } from 'node:child_process';
import path from 'node:path';
import {
  kustomizationRoots,
  ManifestFile,
  parseManifests,
  RenderedKustomization,
} from '@serving-health/plugin-serving-health-policy';

/**
 * kustomize of a large overlay renders in well under a second; a hung build must not hang CI.
 *
 * @public
 */
export const DEFAULT_KUSTOMIZE_TIMEOUT_MS = 60_000;

/**
 * Rendering could not run: no kustomize binary, or kustomize refused the kustomization.
 *
 * @public
 */
export class KustomizeRenderError extends Error {}

/** @public */
export interface RenderKustomizationsOptions {
  /** The files as validate reads them, paths relative to `root`. */
  files: ManifestFile[];
  /** Directory the file paths are relative to. */
  root: string;
  /** The kustomize executable. */
  kustomize: string;
  timeoutMs?: number;
}

function run(
  kustomize: string,
  dir: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      kustomize,
      ['build', dir],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          reject(
            new KustomizeRenderError(
              `kustomize not found at ${kustomize} (${code}): run scripts/install.sh, or pass --kustomize <path>; the kustomizations were not rendered, so nothing was validated`,
            ),
          );
        } else if (error.killed) {
          reject(
            new KustomizeRenderError(
              `kustomize build ${dir} did not finish within ${timeoutMs} ms`,
            ),
          );
        } else {
          reject(
            new KustomizeRenderError(
              `kustomize build ${dir} failed: ${(stderr || error.message).trim()}`,
            ),
          );
        }
      },
    );
  });
}

/**
 * Renders every root kustomization among the files with the real kustomize (`kustomize build <dir>`), as
 * Argo CD does before it applies them.
 *
 * @public
 */
export async function renderKustomizations(
  options: RenderKustomizationsOptions,
): Promise<RenderedKustomization[]> {
  const documents = options.files.flatMap(
    f => parseManifests(f.content, f.path).documents,
  );
  const roots = kustomizationRoots(documents);
  const rendered: RenderedKustomization[] = [];
  for (const root of roots) {
    const content = await run(
      options.kustomize,
      path.resolve(options.root, root.dir),
      options.timeoutMs ?? DEFAULT_KUSTOMIZE_TIMEOUT_MS,
    );
    rendered.push({ dir: root.dir, content, sources: root.sources });
  }
  return rendered;
}
