import path from 'node:path';

/**
 * tools/testenv. This package only ever runs from its sources (through the
 * node transform or Jest), never from a bundle, so __dirname is reliable here.
 */
// eslint-disable-next-line no-restricted-syntax
export const packageDir = path.resolve(__dirname, '..');

export const repoRoot = path.resolve(packageDir, '../..');

export const scenariosDir = path.join(repoRoot, 'scenarios');

/** The plugin's shipped RBAC: the reader identity gets exactly what production gets. */
export const rbacFile = path.join(repoRoot, 'deploy/rbac.yaml');

/** Detached testenvs and generated demo config; gitignored because it holds tokens. */
export const stateDir = path.join(repoRoot, '.testenv');

/** Paths inside the repo are shown relative to it, so messages read the same on every machine. */
export function displayPath(file: string): string {
  const rel = path.relative(repoRoot, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
