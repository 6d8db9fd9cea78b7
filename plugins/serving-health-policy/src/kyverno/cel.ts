/*
 * CEL as Kubernetes and Kyverno evaluate it (standard library, macros, optional types, string functions), through
 * @marcbachmann/cel-js. What the library cannot evaluate (Kubernetes extension libraries such as quantity(),
 * url(), ip(), authorizer; Kyverno's http, resource, image libraries; a field missing without has()) is an
 * error the caller reports as "cannot be decided". Regular expressions are never run: CEL's matches() is RE2,
 * and a JavaScript RegExp of a policy's pattern on cluster data can backtrack without bound.
 */
import { Environment } from '@marcbachmann/cel-js';

/** @public */
export type CelResult =
  | { ok: true; value: unknown }
  /** `runtime`: the expression parsed but failed while evaluated (a missing key): Kyverno fails the rule then. */
  | { ok: false; reason: string; runtime?: true };

/**
 * A CEL expression parsed once by the shared environment, ready to evaluate.
 *
 * @public
 */
export type ParsedCelExpression = ReturnType<Environment['parse']>;

const REGEX_FUNCTIONS = new Set(['matches', 'find', 'findAll']);

interface AstNode {
  op: string;
  args: unknown;
}
const isNode = (v: unknown): v is AstNode =>
  typeof v === 'object' && v !== null && 'op' in v && 'args' in v;

function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (Array.isArray(node)) {
    node.forEach(n => walk(n, visit));
    return;
  }
  if (!isNode(node)) return;
  visit(node);
  walk(node.args, visit);
}

/**
 * The first line of an evaluator error (its messages carry the expression and a caret below).
 *
 * @public
 */
export function celErrorLine(e: unknown): string {
  const s = (e as { summary?: unknown })?.summary;
  if (typeof s === 'string' && s) return s;
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].trim();
}

/**
 * Parses (and type-checks) expressions in one environment, each once: the same few expressions are evaluated for
 * every object of a cluster (bounded, oldest dropped). The environment is built on first use: building one is
 * costly, and importing a module must not. `regexFunction` names the regular-expression function an expression
 * calls, if any: those are never run.
 *
 * @public
 */
export function createCelCompiler(
  createEnvironment: () => Environment,
  options: { typeCheck: boolean },
) {
  const MAX_CACHED = 500;
  const cache = new Map<string, ParsedCelExpression | Error>();
  let env: Environment | undefined;
  return {
    compile(expression: string): ParsedCelExpression | Error {
      const hit = cache.get(expression);
      if (hit) return hit;
      let result: ParsedCelExpression | Error;
      try {
        env ??= createEnvironment();
        const parsed = env.parse(expression);
        const checked = options.typeCheck
          ? parsed.check()
          : { valid: true as const };
        result = checked.valid
          ? parsed
          : checked.error ?? new Error('does not type-check');
      } catch (e) {
        result = e instanceof Error ? e : new Error(String(e));
      }
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(expression, result);
      return result;
    },
    regexFunction(parsed: ParsedCelExpression): string | undefined {
      let found: string | undefined;
      walk(parsed.ast, n => {
        const args = n.args as unknown[];
        if (
          (n.op === 'call' || n.op === 'rcall') &&
          REGEX_FUNCTIONS.has(String(args[0]))
        )
          found ??= String(args[0]);
      });
      return found;
    },
  };
}

const kyvernoCel = createCelCompiler(
  () =>
    new Environment({
      unlistedVariablesAreDyn: true,
      enableOptionalTypes: true,
      homogeneousAggregateLiterals: false,
    }),
  // Kyverno's variables are untyped (dyn): a check would only reject what evaluation decides anyway.
  { typeCheck: false },
);

function parse(expression: string): ParsedCelExpression | Error {
  const p = kyvernoCel.compile(expression);
  return p instanceof Error
    ? new Error(`cannot be parsed: ${celErrorLine(p)}`)
    : p;
}

/**
 * What an expression refers to: the functions it calls, the `variables.<name>` it reads, the fields it selects,
 * and the string literals it uses as map keys (`'k' in m`, `m['k']`).
 *
 * @public
 */
export function celReferences(expression: string): {
  functions: Set<string>;
  variables: Set<string>;
  fields: Set<string>;
  keys: string[];
} {
  const out = {
    functions: new Set<string>(),
    variables: new Set<string>(),
    fields: new Set<string>(),
    keys: [] as string[],
  };
  const literal = (n: unknown) =>
    isNode(n) && n.op === 'value' && typeof n.args === 'string'
      ? n.args
      : undefined;
  const p = parse(expression);
  if (p instanceof Error) return out;
  walk(p.ast, n => {
    const args = n.args as any[];
    if (n.op === 'call' || n.op === 'rcall') out.functions.add(String(args[0]));
    if (n.op === '.' || n.op === '.?') {
      out.fields.add(String(args[1]));
      if (
        isNode(args[0]) &&
        args[0].op === 'id' &&
        args[0].args === 'variables'
      )
        out.variables.add(String(args[1]));
    }
    let key: string | undefined;
    if (n.op === 'in') key = literal(args[0]);
    else if (n.op === '[]' || n.op === '[?]') key = literal(args[1]);
    if (key !== undefined) out.keys.push(key);
  });
  return out;
}

/**
 * JSON as the API server hands it to CEL: integral numbers are CEL ints, objects are maps (Maps, so a key such as
 * `constructor` is data, not a property of the object).
 */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null) {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/**
 * Evaluates one expression with bindings already converted by {@link toCel}.
 *
 * @public
 */
export function evaluateCel(
  expression: string,
  bindings: Record<string, unknown>,
): CelResult {
  const p = parse(expression);
  if (p instanceof Error) return { ok: false, reason: p.message };
  const regex = kyvernoCel.regexFunction(p);
  if (regex) {
    return {
      ok: false,
      reason: `uses ${regex}(): regular expressions (RE2 in CEL) are not evaluated here`,
    };
  }
  try {
    return { ok: true, value: p(bindings) };
  } catch (e) {
    return { ok: false, reason: celErrorLine(e), runtime: true };
  }
}
