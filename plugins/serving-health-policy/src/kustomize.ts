/*
 * `$patch: delete` is an instruction to kustomize: referenced from a kustomization's `patches:` (or
 * `patchesStrategicMerge:`) it removes the object from the build output. The same file applied directly
 * (`kubectl apply -f`, an Argo CD directory source) deletes the live object, and deleting a CRD deletes
 * every custom resource of that type. So a file holding `$patch: delete` must be referenced as a patch, and
 * never as a resource.
 */
import { ManifestDocument } from './manifests';
import { basename, dirname, joinPath, normalizePath } from './paths';
import { resourceRef } from './manifests';
import { Violation } from './types';

const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** @public */
export function isKustomizationDocument(doc: ManifestDocument): boolean {
  const data = doc.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return false;
  if (
    typeof data.apiVersion === 'string' &&
    data.apiVersion.startsWith('kustomize.config.k8s.io/')
  ) {
    return data.kind === 'Kustomization' || data.kind === 'Component';
  }
  return (
    KUSTOMIZATION_FILES.includes(basename(doc.file)) &&
    (data.kind === undefined || data.kind === 'Kustomization')
  );
}

export interface KustomizationRefs {
  file: string;
  /** Files (normalized paths) referenced as patches. */
  patches: Set<string>;
  /** Paths referenced as resources, bases or components. */
  resources: Set<string>;
}

const isInlineYaml = (s: string) =>
  s.includes('\n') || /^\s*(apiVersion|kind|metadata|\$patch)\s*:/.test(s);

export function kustomizationRefs(doc: ManifestDocument): KustomizationRefs {
  const data = doc.data as Record<string, any>;
  const dir = dirname(doc.file);
  const refs: KustomizationRefs = {
    file: doc.file,
    patches: new Set(),
    resources: new Set(),
  };
  const add = (set: Set<string>, p: unknown) => {
    if (
      typeof p !== 'string' ||
      p === '' ||
      isInlineYaml(p) ||
      /^[a-z][a-z0-9+.-]*:\/\//i.test(p)
    )
      return;
    set.add(joinPath(dir, p));
  };
  for (const field of ['resources', 'bases', 'components']) {
    for (const p of Array.isArray(data[field]) ? data[field] : [])
      add(refs.resources, p);
  }
  for (const p of Array.isArray(data.patchesStrategicMerge)
    ? data.patchesStrategicMerge
    : [])
    add(refs.patches, p);
  for (const field of ['patches', 'patchesJson6902']) {
    for (const p of Array.isArray(data[field]) ? data[field] : []) {
      add(refs.patches, typeof p === 'string' ? p : p?.path);
    }
  }
  return refs;
}

/**
 * Paths (as path segments) of every `$patch: delete` directive in a document.
 *
 * @public
 */
export function findPatchDeletes(
  data: unknown,
  path: Array<string | number> = [],
): Array<Array<string | number>> {
  const found: Array<Array<string | number>> = [];
  if (Array.isArray(data)) {
    data.forEach((item, i) =>
      found.push(...findPatchDeletes(item, [...path, i])),
    );
  } else if (typeof data === 'object' && data !== null) {
    for (const [k, v] of Object.entries(data)) {
      if (k === '$patch' && v === 'delete') found.push([...path, k]);
      else found.push(...findPatchDeletes(v, [...path, k]));
    }
  }
  return found;
}

/** What deleting this object takes with it, in a few words. */
function deletionConsequence(data: Record<string, any>): string {
  const kind = data?.kind ?? 'object';
  const name = data?.metadata?.name ?? '';
  if (kind === 'CustomResourceDefinition') {
    const plural = typeof name === 'string' ? name.split('.')[0] : 'resources';
    return `it deletes the live CustomResourceDefinition ${name}, and with it every ${plural} object in the cluster`;
  }
  if (kind === 'Namespace')
    return `it deletes the live Namespace ${name} and everything in it`;
  return `it deletes the live ${kind}${name ? ` ${name}` : ''}`;
}

const toPointer = (segs: Array<string | number>) => `/${segs.join('/')}/`;

/**
 * Lints a set of parsed files: every document with `$patch: delete` must be referenced as a patch by a
 * kustomization of the set, and by none as a resource.
 *
 * @public
 */
export function lintKustomize(documents: ManifestDocument[]): Violation[] {
  const refs = documents.filter(isKustomizationDocument).map(kustomizationRefs);
  const violations: Violation[] = [];
  for (const doc of documents) {
    if (isKustomizationDocument(doc)) continue;
    const deletes = findPatchDeletes(doc.data);
    if (!deletes.length) continue;
    const file = normalizePath(doc.file);
    const asResource = refs.filter(r => r.resources.has(file));
    const asPatch = refs.filter(r => r.patches.has(file));
    const data = doc.data as Record<string, any>;
    const consequence = deletionConsequence(data);
    let message: string;
    if (asResource.length) {
      message = `\`${doc.file}\` contains \`$patch: delete\` and ${asResource
        .map(r => `\`${r.file}\``)
        .join(
          ', ',
        )} lists it under \`resources\`: it is emitted as an object instead of being applied as a patch; reference it under \`patches:\` instead`;
    } else if (!asPatch.length) {
      message = `\`${doc.file}\` contains \`$patch: delete\` but no kustomization references it under \`patches:\` (or \`patchesStrategicMerge:\`): applied directly (\`kubectl apply -f\`, an Argo CD directory source) ${consequence}`;
    } else {
      continue;
    }
    for (const segs of deletes.slice(0, 1)) {
      violations.push({
        file: doc.file,
        line: doc.lineOf(segs),
        resource: resourceRef(data),
        rule: 'kustomize-patch-delete',
        severity: 'error',
        message,
        path: toPointer(segs),
      });
    }
  }
  return violations;
}

/**
 * Files a kustomization of the set uses as patches: partial objects, not resources to validate.
 *
 * @public
 */
export function patchFiles(documents: ManifestDocument[]): Set<string> {
  const out = new Set<string>();
  for (const doc of documents.filter(isKustomizationDocument)) {
    kustomizationRefs(doc).patches.forEach(p => out.add(p));
  }
  return out;
}

/**
 * The kustomizations to render: those no other kustomization of the set includes as a resource, base or
 * component, each with the files its rendering covers (the files of every directory it reaches, and the files
 * it references).
 *
 * @public
 */
export function kustomizationRoots(
  documents: ManifestDocument[],
): Array<{ dir: string; sources: string[] }> {
  const refsByDir = new Map<string, KustomizationRefs>();
  for (const doc of documents.filter(isKustomizationDocument))
    refsByDir.set(dirname(normalizePath(doc.file)), kustomizationRefs(doc));
  const included = new Set<string>();
  refsByDir.forEach(r => r.resources.forEach(p => included.add(p)));
  const files = [...new Set(documents.map(d => normalizePath(d.file)))];
  return [...refsByDir.keys()]
    .filter(dir => !included.has(dir))
    .sort()
    .map(root => {
      const dirs = new Set<string>();
      const referenced = new Set<string>();
      const visit = (dir: string) => {
        if (dirs.has(dir)) return;
        dirs.add(dir);
        const refs = refsByDir.get(dir);
        if (!refs) return;
        for (const p of [...refs.resources, ...refs.patches]) {
          referenced.add(p);
          if (refsByDir.has(p)) visit(p);
        }
      };
      visit(root);
      return {
        dir: root,
        sources: files.filter(f => dirs.has(dirname(f)) || referenced.has(f)),
      };
    });
}
