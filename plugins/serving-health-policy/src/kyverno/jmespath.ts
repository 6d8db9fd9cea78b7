/*
 * JMESPath as Kyverno evaluates it: the JMESPath Community library (the specification Kyverno's go-jmespath fork
 * follows) plus Kyverno's custom functions that need neither a cluster nor the clock (kyvernoFunctions.ts). Two
 * behaviours of Kyverno's fork are kept: a key missing from a plain path (`request.object.metadata.labels.x`) is
 * an error `Unknown key "x" in path`, while inside functions, comparisons and `||` it is null.
 */
// The default export is the one every build of the library (ESM, CommonJS, UMD under Jest) agrees on.
import jmespath, { JSONValue } from '@jmespath-community/jmespath';
import { KYVERNO_FUNCTIONS, NotEvaluatedError } from './kyvernoFunctions';

type ExpressionNode = ReturnType<typeof jmespath.compile>;
const { compile, register, TreeInterpreter } = jmespath;

export { NotEvaluatedError } from './kyvernoFunctions';

/** Kyverno's go-jmespath NotFoundError. */
export class UnknownKeyError extends Error {
  constructor(readonly key: string) {
    super(`Unknown key "${key}" in path`);
  }
}

/** Functions Kyverno offers that read the clock, the cluster or randomness: never evaluated here. */
const OUTSIDE_WORLD: Record<string, string> = {
  time_now: 'reads the clock',
  time_now_utc: 'reads the clock',
  time_since: 'reads the clock',
  random: 'is random',
  lookup: 'is not evaluated here',
  x509_decode: 'decodes certificates, not evaluated here',
  image_normalize: 'is not evaluated here',
  is_external_url: 'resolves host names',
  sha256: 'is not evaluated here',
  time_to_cron: 'is not evaluated here',
  time_add: 'is not evaluated here',
  time_parse: 'is not evaluated here',
  time_utc: 'is not evaluated here',
  time_diff: 'is not evaluated here',
  time_before: 'is not evaluated here',
  time_after: 'is not evaluated here',
  time_between: 'is not evaluated here',
  time_truncate: 'is not evaluated here',
};

let registered = false;

/** Registers Kyverno's functions in the library's (global) function table, once, on first use. */
function ensureFunctions(): void {
  if (registered) return;
  for (const [name, f] of Object.entries(KYVERNO_FUNCTIONS)) {
    // Kyverno's split/replace/items/sum/... replace the community functions of the same name, as in Kyverno.
    register(name as never, f.fn as never, f.signature, { override: true });
  }
  registered = true;
}

const MAX_CACHED = 500;
const compiled = new Map<string, ExpressionNode | Error>();

function parse(expression: string): ExpressionNode {
  let hit = compiled.get(expression);
  if (!hit) {
    try {
      hit = compile(expression);
    } catch (e) {
      hit = new Error(
        `incorrect query ${expression}: ${(e as Error).message.split('\n')[0]}`,
      );
    }
    if (compiled.size >= MAX_CACHED)
      compiled.delete(compiled.keys().next().value!);
    compiled.set(expression, hit);
  }
  if (hit instanceof Error) throw hit;
  return hit;
}

function functionNames(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    node.forEach(n => functionNames(n, out));
  } else if (typeof node === 'object' && node !== null) {
    const n = node as Record<string, unknown>;
    if (n.type === 'Function' && typeof n.name === 'string') out.add(n.name);
    for (const v of Object.values(n)) functionNames(v, out);
  }
  return out;
}

/** The key a plain path misses (Kyverno's NotFoundError), walking only field / index / pipe chains. */
function missingKey(node: ExpressionNode, data: JSONValue): string | undefined {
  const n = node as any;
  if (n.type === 'Field') {
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      return n.name in data ? undefined : n.name;
    }
    return undefined;
  }
  if (
    n.type === 'Subexpression' ||
    n.type === 'IndexExpression' ||
    n.type === 'Pipe'
  ) {
    const left = missingKey(n.left, data);
    if (left !== undefined) return left;
    const value = TreeInterpreter.search(n.left, data) as JSONValue;
    return missingKey(n.right, value);
  }
  return undefined;
}

/**
 * Evaluates `expression` on `data` with Kyverno's functions. Throws UnknownKeyError for a missing key on a
 * plain path, NotEvaluatedError for a function that needs what only Kyverno has, Error for anything else.
 */
export function searchKyverno(expression: string, data: unknown): unknown {
  ensureFunctions();
  const ast = parse(expression.trim());
  for (const name of functionNames(ast, new Set())) {
    if (name in OUTSIDE_WORLD)
      throw new NotEvaluatedError(
        `the JMESPath function ${name}() ${OUTSIDE_WORLD[name]}`,
        `jmespath ${name}()`,
      );
  }
  const value = TreeInterpreter.search(ast, data as JSONValue);
  if (value === null) {
    const key = missingKey(ast, data as JSONValue);
    if (key !== undefined) throw new UnknownKeyError(key);
  }
  return value;
}
