import { toError } from '@backstage/errors';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  Node as YamlNode,
} from 'yaml';
import { KubeObject } from './types';
import { ManifestError, ResourceRef } from './types';

/**
 * One YAML document of one file.
 *
 * @public
 */
export interface ManifestDocument {
  file: string;
  /** 0-based position of the document in its file. */
  index: number;
  /** 1-based line where the document starts. */
  line: number;
  /** The document as plain data (anything YAML can hold; Kubernetes objects are mappings). */
  data: unknown;
  /** 1-based line of the node at `path` (keys and list indexes), or of the document when not found. */
  lineOf(path: Array<string | number>): number;
}

/** @public */
export interface ParsedManifests {
  documents: ManifestDocument[];
  errors: ManifestError[];
}

/**
 * Parses a (multi-document) YAML or JSON text. Every syntax error comes back with the file and the
 * 1-based line and column the parser stopped at; a file with errors yields no documents, so a half-read
 * file is never validated as if it were whole.
 *
 * @public
 */
export function parseManifests(text: string, file: string): ParsedManifests {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const errors: ManifestError[] = [];
  for (const doc of list) {
    for (const err of doc.errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      errors.push({
        file,
        line: pos.line,
        column: pos.col,
        message: err.message.split('\n')[0],
      });
    }
  }
  if (errors.length) return { documents: [], errors };

  const documents: ManifestDocument[] = [];
  list.forEach((doc, index) => {
    const contents = doc.contents as YamlNode | null;
    const startOffset = contents?.range?.[0] ?? doc.range?.[0] ?? 0;
    const line = lineCounter.linePos(startOffset).line;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      errors.push({ file, line, message: toError(e).message });
      return;
    }
    if (data === null || data === undefined) return;
    documents.push({
      file,
      index,
      line,
      data,
      lineOf(path) {
        // The deepest node found on the path: a missing label points at its `labels:` line.
        let node: unknown = contents;
        let found = line;
        const lineAt = (n: unknown) => {
          const range = (n as YamlNode | undefined)?.range;
          return range ? lineCounter.linePos(range[0]).line : found;
        };
        for (const seg of path) {
          if (isMap(node)) {
            const pair = node.items.find(
              p => isScalar(p.key) && String(p.key.value) === String(seg),
            );
            if (!pair) return found;
            found = lineAt(pair.key);
            node = pair.value;
          } else if (
            isSeq(node) &&
            typeof seg === 'number' &&
            node.items[seg]
          ) {
            node = node.items[seg];
            found = lineAt(node);
          } else {
            return found;
          }
        }
        return found;
      },
    });
  });
  return { documents, errors };
}

/**
 * A Kubernetes object: a mapping with a non-empty `apiVersion` and `kind`.
 *
 * @public
 */
export function isKubeObject(data: unknown): data is KubeObject {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return false;
  const o = data as Record<string, unknown>;
  return (
    typeof o.apiVersion === 'string' &&
    o.apiVersion !== '' &&
    typeof o.kind === 'string' &&
    o.kind !== ''
  );
}

/** @public */
export function resourceRef(obj: Partial<KubeObject> | undefined): ResourceRef {
  const meta = (obj?.metadata ?? {}) as {
    name?: unknown;
    namespace?: unknown;
    generateName?: unknown;
  };
  const ref: ResourceRef = {
    apiVersion:
      typeof obj?.apiVersion === 'string' ? obj.apiVersion : undefined,
    kind: typeof obj?.kind === 'string' ? obj.kind : undefined,
    name: [meta.name, meta.generateName].find(
      (n): n is string => typeof n === 'string',
    ),
  };
  if (typeof meta.namespace === 'string') ref.namespace = meta.namespace;
  return ref;
}

/**
 * `List` kinds (`v1/List`, `DeploymentList`...) hold their objects in `items`.
 *
 * @public
 */
export function expandLists(obj: KubeObject): KubeObject[] {
  if ((obj.kind ?? '').endsWith('List') && Array.isArray(obj.items)) {
    return (obj.items as unknown[]).filter(isKubeObject);
  }
  return [obj];
}
