import { Environment } from '@marcbachmann/cel-js';
import {
  celErrorLine,
  createCelCompiler,
} from '@serving-health/plugin-serving-health-policy';

/**
 * Webhook `matchConditions` (admissionregistration.k8s.io/v1, CEL) evaluated as the API server does
 * (`k8s.io/apiserver/pkg/admission/plugin/webhook/matchconditions`): any condition false -> the webhook is not
 * called; else any evaluation error -> failurePolicy decides; else it is called. The triage knows the request only in
 * part (never who sends it, nor the authorizer's answer, and of what KServe creates only kind, namespace and labels), so
 * what it does not know is UNKNOWN: a condition whose value depends on it is undecidable, never guessed.
 */

/** A value the triage cannot know: the requesting user, the authorizer's decision, fields it never read. */
export const UNKNOWN: unique symbol = Symbol('unknown');

const PARTIAL: unique symbol = Symbol('partial');

/** A map of which only the given keys are known; any other key may or may not exist. */
export interface PartialMap {
  [PARTIAL]: Record<string, Known>;
}

export type Known =
  | string
  | number
  | boolean
  | null
  | typeof UNKNOWN
  | PartialMap
  | Known[]
  | { [key: string]: Known };

export function partialMap(known: Record<string, Known>): PartialMap {
  return { [PARTIAL]: known };
}

/** The variables a webhook's matchConditions see (`authorizer` is never known). */
export interface MatchConditionInput {
  object: Known;
  oldObject: Known;
  request: Known;
}

export interface MatchCondition {
  name: string;
  expression: string;
}

export type MatchConditionsVerdict =
  /** Every condition is true: the API server calls the webhook. */
  | { verdict: 'match' }
  /** A condition is false: the webhook is not called, whatever the others say. */
  | { verdict: 'no-match'; condition: string }
  /** No condition is false, one fails to evaluate: failurePolicy Fail rejects the request, Ignore skips the webhook. */
  | { verdict: 'error'; condition: string; message: string }
  /** A condition depends on what the triage cannot know, or uses what it cannot evaluate. */
  | { verdict: 'undecidable'; condition: string; why: string };

class UnknownValue extends Error {}

/** Kubernetes' `authorizer` library: declared so expressions type-check; every call depends on the unknown authorizer. */
const AUTHORIZER_METHODS = [
  'dyn.group(string): dyn',
  'dyn.resource(string): dyn',
  'dyn.subresource(string): dyn',
  'dyn.namespace(string): dyn',
  'dyn.name(string): dyn',
  'dyn.path(string): dyn',
  'dyn.serviceAccount(string, string): dyn',
  'dyn.check(string): dyn',
  'dyn.allowed(): bool',
  'dyn.reason(): string',
  'dyn.errored(): bool',
  'dyn.error(): string',
];

function createEnvironment(): Environment {
  const env = new Environment({ enableOptionalTypes: true })
    .registerVariable('object', 'dyn')
    .registerVariable('oldObject', 'dyn')
    .registerVariable('request', 'dyn')
    .registerVariable('authorizer', 'dyn');
  for (const signature of AUTHORIZER_METHODS) {
    env.registerFunction(signature, () => {
      throw new UnknownValue('authorizer');
    });
  }
  return env;
}

// Webhook variables are typed (object, request, authorizer): type-checking catches what the API server would reject.
const cel = createCelCompiler(createEnvironment, { typeCheck: true });

/**
 * A map of which only some keys are known: a known key reads as itself; any other key, or the set of keys (size,
 * iteration), is a read of something unknown. The evaluator recognises maps by their constructor, so it reads as Map;
 * it peeks at one entry (`entries()`) only to type the map, which the known entries answer.
 */
class PartialCelMap extends Map<string, unknown> {
  constructor(
    entries: Array<[string, unknown]>,
    private readonly path: string,
    private readonly touched: string[],
  ) {
    super(entries);
  }
  override get(key: string) {
    return super.has(key)
      ? super.get(key)
      : unknownRead(`${this.path}.${key}`, this.touched);
  }
  override has(key: string) {
    return super.has(key) || unknownRead(`${this.path}.${key}`, this.touched);
  }
  override get size(): number {
    return unknownRead(`the keys of ${this.path}`, this.touched);
  }
  override keys(): never {
    return unknownRead(`the keys of ${this.path}`, this.touched);
  }
  override values(): never {
    return unknownRead(`the keys of ${this.path}`, this.touched);
  }
  override forEach(): never {
    return unknownRead(`the keys of ${this.path}`, this.touched);
  }
  override [Symbol.iterator](): never {
    return unknownRead(`the keys of ${this.path}`, this.touched);
  }
}
Object.defineProperty(PartialCelMap.prototype, 'constructor', { value: Map });

/** Plain data for the evaluator: JSON integers as CEL ints, maps as Maps, unknown parts as values that record their reads. */
function toCel(value: Known, path: string, touched: string[]): unknown {
  if (value === UNKNOWN) return unknownValue(path, touched);
  if (value === null || typeof value === 'string' || typeof value === 'boolean')
    return value;
  if (typeof value === 'number')
    return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value))
    return value.map((v, i) => toCel(v, `${path}[${i}]`, touched));
  if (PARTIAL in value)
    return new PartialCelMap(
      entriesOf((value as PartialMap)[PARTIAL], path, touched),
      path,
      touched,
    );
  // A Map, not an object: a key such as "constructor" in cluster data must stay data.
  return new Map(entriesOf(value as Record<string, Known>, path, touched));
}

function entriesOf(
  known: Record<string, Known>,
  path: string,
  touched: string[],
): Array<[string, unknown]> {
  return Object.entries(known).map(([k, v]) => [
    k,
    toCel(v, `${path}.${k}`, touched),
  ]);
}

function unknownRead(path: string, touched: string[]): never {
  touched.push(path);
  throw new UnknownValue(path);
}

/** Any use of it (its type, a field, a comparison) is a read of something unknown. */
function unknownValue(path: string, touched: string[]): object {
  const read = () => unknownRead(path, touched);
  return new Proxy(Object.create(null), {
    get: read,
    has: read,
    ownKeys: read,
    getOwnPropertyDescriptor: read,
  });
}

type ConditionResult =
  | { value: boolean }
  | { error: string }
  | { undecidable: string };

function evaluateCondition(
  expression: string,
  input: MatchConditionInput,
): ConditionResult {
  const program = cel.compile(expression);
  if (program instanceof Error) {
    // The API server accepted the expression, so what does not compile here is a function this evaluator lacks.
    return {
      undecidable: `it uses what this triage cannot evaluate (${celErrorLine(
        program,
      )})`,
    };
  }
  // RE2 on the API server; JavaScript's engine differs and can backtrack on a pattern read from the cluster.
  if (cel.regexFunction(program)) {
    return {
      undecidable:
        'it uses a regular expression, which this triage does not evaluate (RE2 on the API server)',
    };
  }
  const touched: string[] = [];
  const activation = {
    object: toCel(input.object, 'object', touched),
    oldObject: toCel(input.oldObject, 'oldObject', touched),
    request: toCel(input.request, 'request', touched),
    authorizer: unknownValue('authorizer', touched),
  };
  try {
    const value = program(activation);
    // A result despite an unknown read means the unknown part did not matter (`false && ...`).
    if (typeof value === 'boolean') return { value };
    return touched.length
      ? {
          undecidable: `it depends on ${touched[0]}, which this triage cannot know`,
        }
      : { error: `returned ${typeof value}, not a bool` };
  } catch (e) {
    if (touched.length)
      return {
        undecidable: `it depends on ${touched[0]}, which this triage cannot know`,
      };
    return { error: celErrorLine(e) };
  }
}

/** The API server's verdict on a webhook's matchConditions for one request, as far as the triage can know it. */
export function evaluateMatchConditions(
  conditions: MatchCondition[],
  input: MatchConditionInput,
): MatchConditionsVerdict {
  let undecidable: { condition: string; why: string } | undefined;
  let error: { condition: string; message: string } | undefined;
  for (const c of conditions) {
    const r = evaluateCondition(c.expression, input);
    // One false condition skips the webhook, whatever the others evaluate to.
    if ('value' in r && !r.value)
      return { verdict: 'no-match', condition: c.name };
    if ('undecidable' in r)
      undecidable ??= { condition: c.name, why: r.undecidable };
    if ('error' in r) error ??= { condition: c.name, message: r.error };
  }
  if (undecidable) return { verdict: 'undecidable', ...undecidable };
  if (error) return { verdict: 'error', ...error };
  return { verdict: 'match' };
}
