/*
 * Kyverno's variable substitution (pkg/engine/variables/vars.go): every `{{ expr }}` in a string leaf or key of
 * a policy document is a JMESPath query on the rule's context (`request.object`, `request.oldObject`,
 * `request.operation`, `request.namespace`, `element`, `elementIndex`, context entries). A string that is one
 * variable becomes the value itself; otherwise the value is printed into the string (JSON for non-strings) and
 * the result scanned again. `{{- x }}` is substituted once, `\{{` is a literal. On DELETE requests
 * `request.object` reads `request.oldObject`. Variables are found by a scanner, not a regular expression.
 */
import { NotEvaluatedError, searchKyverno, UnknownKeyError } from './jmespath';

/** Variables only the admission request knows (who asks): never guessed. */
const REQUESTER = [
  'request.userInfo',
  'request.roles',
  'request.clusterRoles',
  'serviceAccountName',
  'serviceAccountNamespace',
];

interface Found {
  start: number;
  end: number;
  inner: string;
}

/** The next `{{ ... }}` (one level of `{...}` inside allowed, as Kyverno's RegexVariables) not escaped by `\`. */
function nextVariable(s: string, from: number): Found | undefined {
  let i = s.indexOf('{{', from);
  while (i >= 0) {
    if (i > 0 && s[i - 1] === '\\') {
      i = s.indexOf('{{', i + 1);
      continue;
    }
    let j = i + 2;
    let ok = false;
    while (j < s.length) {
      if (s[j] === '}' && s[j + 1] === '}') {
        ok = true;
        break;
      }
      if (s[j] === '{') {
        const close = s.indexOf('}', j + 1);
        const open = s.indexOf('{', j + 1);
        if (close < 0 || (open >= 0 && open < close)) break;
        j = close + 1;
        continue;
      }
      if (s[j] === '}') break;
      j++;
    }
    if (ok) return { start: i, end: j + 2, inner: s.slice(i + 2, j) };
    i = s.indexOf('{{', i + 2);
  }
  return undefined;
}

export class SubstitutionError extends Error {}

function resolve(ctx: Record<string, any>, expression: string, path: string) {
  let variable = expression.trim();
  let shallow = false;
  if (variable.startsWith('-')) {
    variable = variable.slice(1).trim();
    shallow = true;
  }
  if (variable === '@') {
    throw new NotEvaluatedError(
      `the variable {{${expression}}} refers to the current pattern position (@)`,
    );
  }
  if (ctx.request?.operation === 'DELETE')
    variable = variable.split('request.object').join('request.oldObject');
  for (const r of REQUESTER) {
    if (variable.includes(r) && !hasValue(ctx, r))
      throw new NotEvaluatedError(
        `{{${expression}}} reads ${r}, which only the admission request carries`,
        'userInfo',
      );
  }
  try {
    return { value: searchKyverno(variable, ctx), shallow };
  } catch (e) {
    if (e instanceof UnknownKeyError || e instanceof NotEvaluatedError) throw e;
    throw new SubstitutionError(
      `failed to resolve ${variable} at path ${path}: ${(e as Error).message}`,
    );
  }
}

/** Whether the context holds a value at a dotted name (`request.userInfo`, `annotations."a.b/c"`). */
export function hasValue(ctx: Record<string, any>, dotted: string): boolean {
  let v: any = ctx;
  for (const seg of segments(dotted)) {
    if (typeof v !== 'object' || v === null || !(seg in v)) return false;
    v = v[seg];
  }
  return true;
}

function substituteString(
  ctx: Record<string, any>,
  value: string,
  path: string,
): unknown {
  let s = value;
  let found = nextVariable(s, 0);
  while (found) {
    const { value: v, shallow } = resolve(ctx, found.inner, path);
    if (found.start === 0 && found.end === s.length) return v;
    let text: string;
    if (typeof v === 'string') text = shallow ? v.split('{{').join('\\{{') : v;
    else text = v === undefined ? 'null' : JSON.stringify(v);
    s = s.slice(0, found.start) + text + s.slice(found.end);
    found = shallow
      ? nextVariable(s, found.start + text.length)
      : nextVariable(s, 0);
  }
  return s.split('\\{{').join('{{');
}

/**
 * Substitutes every variable in `document` (string leaves and keys). Throws UnknownKeyError for a path that
 * misses a key, NotEvaluatedError for what needs the admission request or the cluster, SubstitutionError else.
 */
export function substituteAll(
  ctx: Record<string, any>,
  document: unknown,
  path = '',
): unknown {
  if (typeof document === 'string')
    return substituteString(ctx, document, path || '/');
  if (Array.isArray(document))
    return document.map((d, i) => substituteAll(ctx, d, `${path}/${i}`));
  if (typeof document === 'object' && document !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(document)) {
      // Kyverno keeps a key that resolves to null and refuses one that resolves to anything but a string. (It
      // may also substitute a renamed entry a second time: Go's map iteration decides; not reproduced.)
      const key = substituteString(ctx, k, `${path}/${k}`) ?? k;
      if (typeof key !== 'string')
        throw new SubstitutionError(
          `expected string after substituting variables in key "${k}"`,
        );
      out[key] = substituteAll(ctx, v, `${path}/${k}`);
    }
    return out;
  }
  return document;
}

/** The segments of a dotted name; a segment may be double-quoted (`annotations."example.com/team"`). */
function segments(name: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= name.length) {
    if (name[i] === '"') {
      const close = name.indexOf('"', i + 1);
      if (close < 0) return [...out, name.slice(i)];
      out.push(name.slice(i + 1, close));
      i = close + 2;
    } else {
      const dot = name.indexOf('.', i);
      const end = dot < 0 ? name.length : dot;
      out.push(name.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Sets `value` at a dotted name (`dictionary.data.env`) in the context, as Kyverno's CLI adds values. */
export function setVariable(
  ctx: Record<string, any>,
  name: string,
  value: unknown,
): void {
  const segs = segments(name);
  let at = ctx;
  for (const seg of segs.slice(0, -1)) {
    if (typeof at[seg] !== 'object' || at[seg] === null) at[seg] = {};
    at = at[seg];
  }
  at[segs[segs.length - 1]] = value;
}
