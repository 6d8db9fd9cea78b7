/*
 * One matched validate rule on one resource, as Kyverno's validator runs it
 * (pkg/engine/handlers/validation/validate_resource.go): context entries, preconditions, then `deny`, or
 * `pattern` / `anyPattern`, or `foreach` (nested, with `element`, `elementIndex`, `elementScope`), with Kyverno's
 * statuses and messages. What needs the cluster (context apiCall / configMap / imageRegistry / globalReference
 * without a value given) or the requester comes back notEvaluated, naming why.
 */
import { Condition, evaluateConditions, evaluateOperator } from './conditions';
import { imageInfos } from './images';
import { NotEvaluatedError, searchKyverno, UnknownKeyError } from './jmespath';
import { matchPattern } from './pattern';
import {
  hasValue,
  setVariable,
  SubstitutionError,
  substituteAll,
} from './variables';

/** A rule's verdict before Kyverno's admission handling. `unreported`: Kyverno emits no result for the rule. */
export type RawOutcome =
  | { status: 'pass'; message: string }
  | { status: 'skip'; message: string; unreported?: true }
  | { status: 'fail' | 'error'; message: string; path: string }
  | { status: 'notEvaluated'; feature: string; reason: string };

/** Kyverno's message for a failed pattern (buildErrorMessage). */
function patternFailureMessage(
  ruleName: string,
  message: string | Error,
  path: string,
  error?: string,
): string {
  if (message instanceof Error)
    return `validation error: variables substitution error in rule ${ruleName} execution error: ${error}`;
  if (!message) {
    return error !== undefined
      ? `validation error: rule ${ruleName} execution error: ${error}`
      : `validation error: rule ${ruleName} failed at path ${path}`;
  }
  const msg = message.endsWith('.') ? message : `${message}.`;
  return error !== undefined
    ? `validation error: ${msg} rule ${ruleName} execution error: ${error}`
    : `validation error: ${msg} rule ${ruleName} failed at path ${path}`;
}

/** Kyverno's message when no anyPattern matched (buildAnyPatternErrorMessage). */
function anyPatternFailureMessage(
  message: string | Error,
  errors: string[],
): string {
  const errStr = errors.join(' ');
  if (message instanceof Error)
    return `validation error: variables substitution error: ${errStr}`;
  if (!message) return `validation error: ${errStr}`;
  if (message.endsWith('.')) return `validation error: ${message} ${errStr}`;
  return `validation error: ${message}. ${errStr}`;
}

/** An error inside one step (a context entry, a condition); the step that ran it names it (`<what>: <cause>`). */
class StepError extends Error {}

/** A rule's final error: its message is the rule's result. */
class RuleError extends Error {}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** An error Kyverno itself would report as the rule's (or the conditions') error. */
const isKyvernoError = (e: unknown): e is Error =>
  e instanceof RuleError ||
  e instanceof StepError ||
  e instanceof UnknownKeyError ||
  e instanceof SubstitutionError;

/** Rethrows what only Kyverno can decide; wraps the rest as Kyverno's rule error `<what>: <cause>`. */
function ruleError(what: string, e: unknown): never {
  if (e instanceof NotEvaluatedError) throw e;
  throw new RuleError(`${what}: ${errorText(e)}`);
}

/** Wraps a failed step as Go's fmt.Errorf("<what>: %w") does. */
function stepError(what: string, e: unknown): never {
  if (e instanceof NotEvaluatedError) throw e;
  throw new StepError(`${what}: ${errorText(e)}`);
}

const CLUSTER_CONTEXT: Record<string, string> = {
  configMap: 'reads a ConfigMap from the cluster',
  apiCall: 'calls the Kubernetes API or a service',
  imageRegistry: 'reads image metadata from the registry',
  globalReference: 'reads a global context entry of the cluster',
};

/** Loads a rule's (or a foreach's) context entries into ctx, in order. */
function loadContext(
  ctx: Record<string, any>,
  entries: unknown,
  given: Record<string, any>,
): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries as Array<Record<string, any>>) {
    const name = String(entry?.name ?? '');
    // A value given for the entry (Kyverno CLI values file) stands for what the cluster would answer.
    if (name && hasValue(given, name)) continue;
    const clusterKind = Object.keys(CLUSTER_CONTEXT).find(k => entry?.[k]);
    if (clusterKind) {
      throw new NotEvaluatedError(
        `context entry ${name} ${CLUSTER_CONTEXT[clusterKind]}`,
        `context.${clusterKind}`,
      );
    }
    const variable = entry?.variable;
    if (!variable) continue;
    const sub = (v: unknown, label: unknown) => {
      try {
        return substituteAll(ctx, v);
      } catch (e) {
        if (e instanceof NotEvaluatedError) throw e;
        throw new StepError(
          `failed to substitute variables in context entry ${name} ${label}: ${errorText(
            e,
          )}`,
        );
      }
    };
    const path =
      typeof variable.jmesPath === 'string' && variable.jmesPath
        ? (sub(variable.jmesPath, variable.jmesPath) as string)
        : '';
    const defaultValue =
      variable.default !== undefined && variable.default !== null
        ? sub(variable.default, JSON.stringify(variable.default))
        : null;
    let output: unknown = defaultValue;
    const query = (expr: string, data: unknown) => {
      try {
        return { value: searchKyverno(expr, data) };
      } catch (e) {
        if (e instanceof NotEvaluatedError) throw e;
        return { error: errorText(e) };
      }
    };
    if (variable.value !== undefined && variable.value !== null) {
      const value = sub(variable.value, JSON.stringify(variable.value));
      if (path) {
        const r = query(path, value);
        if (r.error === undefined) output = r.value;
        else if (defaultValue === null)
          throw new StepError(
            `failed to apply jmespath ${path} to variable ${JSON.stringify(
              value,
            )}: ${r.error}`,
          );
      } else output = value;
    } else if (path) {
      const r = query(path, ctx);
      if (r.error === undefined) {
        if (r.value !== null && r.value !== undefined) output = r.value;
      } else if (defaultValue === null)
        throw new StepError(
          `failed to apply jmespath ${path} to variable <nil>: ${r.error}`,
        );
    }
    if (output === null || output === undefined)
      throw new StepError(
        `failed to add context entry for variable ${name} since it evaluated to nil`,
      );
    setVariable(ctx, name, output);
  }
}

/** Conditions with both sides substituted when evaluated, as Kyverno's variables.Evaluate. */
function checkConditions(
  ctx: Record<string, any>,
  conditions: unknown,
): { result: boolean; message: string } {
  return evaluateConditions(conditions, (c: Condition) => {
    let key: unknown;
    let value: unknown;
    try {
      key = substituteAll(ctx, c.key);
    } catch (e) {
      stepError('failed to substitute variables in condition key', e);
    }
    try {
      value = substituteAll(ctx, c.value);
    } catch (e) {
      stepError('failed to substitute variables in condition value', e);
    }
    const r = evaluateOperator(String(c.operator ?? ''), key, value);
    if (r === undefined)
      throw new StepError(
        `failed to create handler for condition operator: ${c.operator}`,
      );
    return r;
  });
}

/**
 * A block of conditions on a context, as Kyverno's variables.EvaluateConditions: `true` / `false` with the
 * deciding messages, `error` with Kyverno's error text, or notEvaluated.
 */
export function judgeConditions(
  ctx: Record<string, any>,
  conditions: unknown,
): { status: 'true' | 'false' | 'error' | 'notEvaluated'; message: string } {
  try {
    const r = checkConditions(structuredClone(ctx), conditions);
    return { status: r.result ? 'true' : 'false', message: r.message };
  } catch (e) {
    if (e instanceof NotEvaluatedError)
      return { status: 'notEvaluated', message: e.message };
    if (isKyvernoError(e)) return { status: 'error', message: e.message };
    throw e;
  }
}

/** A document with its variables substituted, as Kyverno's variables.SubstituteAll: `ok` with the value, or `error`. */
export function judgeSubstitution(
  ctx: Record<string, any>,
  document: unknown,
): { status: 'ok'; value: unknown } | { status: 'error' | 'notEvaluated' } {
  try {
    return {
      status: 'ok',
      value: substituteAll(structuredClone(ctx), document),
    };
  } catch (e) {
    if (e instanceof NotEvaluatedError) return { status: 'notEvaluated' };
    if (isKyvernoError(e)) return { status: 'error' };
    throw e;
  }
}

interface Validator {
  context?: unknown;
  preconditions?: unknown;
  pattern?: unknown;
  anyPattern?: unknown;
  deny?: { conditions?: unknown };
  foreach?: unknown;
}

interface Frame {
  ruleName: string;
  message: string;
  /** The object patterns apply to: the resource, or a scoped foreach element. */
  target: unknown;
  nesting: number;
  /** The context as given (values), before any entry was loaded. */
  given: Record<string, any>;
}

function substitutedMessage(
  ctx: Record<string, any>,
  frame: Frame,
): string | Error {
  try {
    return substituteAll(ctx, frame.message) as string;
  } catch (e) {
    if (e instanceof NotEvaluatedError) throw e;
    return e as Error;
  }
}

function validatePatterns(
  ctx: Record<string, any>,
  v: Validator,
  frame: Frame,
): RawOutcome {
  let pattern: unknown;
  let anyPattern: unknown;
  try {
    if (v.pattern !== undefined) pattern = substituteAll(ctx, v.pattern);
    else anyPattern = substituteAll(ctx, v.anyPattern);
  } catch (e) {
    ruleError('variable substitution failed', e);
  }
  const { ruleName } = frame;
  if (ctx.request?.operation === 'DELETE' && frame.nesting === 0)
    return { status: 'skip', message: 'delete request', unreported: true };
  if (pattern !== undefined) {
    const r = matchPattern(frame.target as any, pattern);
    if (r.status === 'pass')
      return {
        status: 'pass',
        message: `validation rule '${ruleName}' passed.`,
      };
    if (r.status === 'skip') return { status: 'skip', message: r.message };
    const message = substitutedMessage(ctx, frame);
    return {
      status: r.status,
      path: r.path,
      // A message that cannot be substituted makes Kyverno print the pattern's own error, fail or not.
      message: patternFailureMessage(
        ruleName,
        message,
        r.path,
        r.status === 'error' || message instanceof Error
          ? r.message
          : undefined,
      ),
    };
  }
  if (!Array.isArray(anyPattern)) {
    return {
      status: 'error',
      path: '',
      message: 'failed to deserialize anyPattern, expected type array',
    };
  }
  const failed: string[] = [];
  const skipped: string[] = [];
  let firstPath = '';
  for (const [idx, p] of anyPattern.entries()) {
    const r = matchPattern(frame.target as any, p);
    if (r.status === 'pass') {
      return {
        status: 'pass',
        message: `validation rule '${ruleName}' anyPattern[${idx}] passed.`,
      };
    }
    if (r.status === 'skip') {
      skipped.push(`rule ${ruleName}[${idx}] skipped: ${r.message}`);
    } else if (r.status === 'error') {
      failed.push(`rule ${ruleName}[${idx}] failed: ${r.message}`);
      firstPath ||= r.path;
    } else {
      failed.push(`rule ${ruleName}[${idx}] failed at path ${r.path}`);
      firstPath ||= r.path;
    }
  }
  if (skipped.length && !failed.length)
    return { status: 'skip', message: skipped.join(' ') };
  return {
    status: 'fail',
    path: firstPath,
    message: anyPatternFailureMessage(substitutedMessage(ctx, frame), failed),
  };
}

function validateDeny(
  ctx: Record<string, any>,
  v: Validator,
  frame: Frame,
): RawOutcome {
  let r: { result: boolean; message: string };
  try {
    r = checkConditions(ctx, v.deny?.conditions);
  } catch (e) {
    ruleError('failed to check deny conditions', e);
  }
  if (!r.result)
    return {
      status: 'pass',
      message: `validation rule '${frame.ruleName}' passed.`,
    };
  let text: string;
  if (!frame.message && !r.message)
    text = `validation error: rule ${frame.ruleName} failed`;
  else {
    const joined = [frame.message, r.message].filter(m => m).join('; ');
    try {
      const raw = substituteAll(ctx, joined);
      text =
        typeof raw === 'string'
          ? raw
          : "the produced message didn't resolve to a string, check your policy definition.";
    } catch (e) {
      if (e instanceof NotEvaluatedError) throw e;
      text = r.message;
    }
  }
  return { status: 'fail', path: '', message: text };
}

function validateForEach(
  ctx: Record<string, any>,
  loops: unknown,
  frame: Frame,
): RawOutcome | undefined {
  let applied = 0;
  for (const loop of Array.isArray(loops) ? loops : []) {
    let elements: unknown;
    try {
      elements = searchKyverno(String(loop.list ?? ''), ctx);
    } catch (e) {
      if (e instanceof NotEvaluatedError) throw e;
      continue;
    }
    const list = Array.isArray(elements) ? elements : [elements];
    for (const [index, element] of list.entries()) {
      if (element === null || element === undefined) continue;
      const isMap = typeof element === 'object' && !Array.isArray(element);
      if (loop.elementScope === true && !isMap) {
        return {
          status: 'error',
          path: '',
          message: `failed to process foreach: failed to add element to context: cannot use elementScope=true foreach rules for elements that are not maps, expected type=map got type=${typeof element}`,
        };
      }
      const scoped = loop.elementScope ?? isMap;
      const inner: Record<string, any> = {
        ...ctx,
        element,
        elementIndex: index,
        [`element${frame.nesting}`]: element,
        [`elementIndex${frame.nesting}`]: index,
      };
      const r = validate(inner, loop, {
        ...frame,
        target: scoped ? element : frame.target,
        nesting: frame.nesting + 1,
      });
      if (!r || r.status === 'skip') continue;
      if (r.status === 'notEvaluated') return r;
      if (r.status !== 'pass') {
        if (r.status === 'error' && index < list.length - 1) continue;
        return {
          status: r.status,
          path: r.path,
          message: `validation failure: ${r.message}`,
        };
      }
      applied++;
    }
  }
  if (!applied) return undefined;
  return { status: 'pass', message: 'rule passed' };
}

/** One validator (the rule, or one foreach element); Kyverno's rule errors become `error` outcomes. */
function validate(
  ctx: Record<string, any>,
  v: Validator,
  frame: Frame,
): RawOutcome | undefined {
  try {
    return runValidator(ctx, v, frame);
  } catch (e) {
    if (isKyvernoError(e))
      return { status: 'error', path: '', message: e.message };
    throw e;
  }
}

function runValidator(
  ctx: Record<string, any>,
  v: Validator,
  frame: Frame,
): RawOutcome | undefined {
  try {
    loadContext(ctx, v.context, frame.given);
  } catch (e) {
    ruleError('failed to load context', e);
  }
  let pre: { result: boolean; message: string };
  try {
    pre = checkConditions(ctx, v.preconditions);
  } catch (e) {
    ruleError('failed to evaluate preconditions', e);
  }
  if (!pre.result) {
    return {
      status: 'skip',
      message: ['preconditions not met', pre.message].filter(m => m).join('; '),
    };
  }
  if (v.deny) return validateDeny(ctx, v, frame);
  if (v.pattern !== undefined || v.anyPattern !== undefined)
    return validatePatterns(ctx, v, frame);
  if (v.foreach !== undefined) return validateForEach(ctx, v.foreach, frame);
  return undefined;
}

/**
 * Runs a matched rule's validation on `resource` with the admission context `ctx` (built by
 * {@link admissionContext}). The context is copied, never changed.
 */
export function validateRule(
  rule: {
    name: string;
    context?: unknown;
    preconditions?: unknown;
    validate?: Record<string, any>;
  },
  resource: unknown,
  ctx: Record<string, any>,
): RawOutcome {
  const v = rule.validate ?? {};
  const frame: Frame = {
    ruleName: rule.name,
    message: typeof v.message === 'string' ? v.message : '',
    target: resource,
    nesting: 0,
    given: ctx,
  };
  try {
    const r = validate(
      structuredClone(ctx),
      {
        context: rule.context,
        preconditions: rule.preconditions,
        pattern: v.pattern,
        anyPattern: v.anyPattern,
        deny: v.deny,
        foreach: v.foreach,
      },
      frame,
    );
    return (
      r ?? {
        status: 'skip',
        message: 'the rule produced no result',
        unreported: true,
      }
    );
  } catch (e) {
    if (e instanceof NotEvaluatedError) {
      return {
        status: 'notEvaluated',
        feature: e.feature,
        reason: e.message,
      };
    }
    if (isKyvernoError(e))
      return { status: 'error', path: '', message: e.message };
    throw e;
  }
}

/**
 * The JSON context Kyverno gives a rule for an admission request: `request.{operation, object, oldObject,
 * namespace}`, then `values` (dotted names, e.g. from a Kyverno CLI values file) on top.
 */
export function admissionContext(options: {
  operation: string;
  object: unknown;
  oldObject?: unknown;
  namespace: string;
  values?: Record<string, unknown>;
}): Record<string, any> {
  const ctx: Record<string, any> = {
    request: {
      operation: options.operation,
      // Values may set fields of the object (`request.object.metadata...`): never on the caller's object.
      object: structuredClone(options.object ?? null),
      oldObject: options.oldObject ?? null,
      namespace: options.namespace,
    },
  };
  for (const [name, value] of Object.entries(options.values ?? {})) {
    // Kyverno's CLI keeps the request's operation when a values file leaves it empty.
    if (name === 'request.operation' && value === '') continue;
    setVariable(ctx, name, value);
  }
  const images = imageInfos(ctx.request.object);
  if (images && !('images' in ctx)) ctx.images = images;
  // A DELETE request carries the object being deleted as oldObject only.
  if (ctx.request.operation === 'DELETE' && ctx.request.oldObject === null) {
    ctx.request.oldObject = ctx.request.object;
    ctx.request.object = null;
  }
  return ctx;
}
