import { toError } from '@backstage/errors';
import { parse as parseYaml } from 'yaml';
import {
  apiServerLabelMessage,
  isQualifiedName,
  isValidLabelValue,
  reservedPrefixNote,
  splitLabelKey,
} from './labels';
import { ValidationRuleId, ViolationSeverity } from './types';

/** @public */
export type LabelKeyStyle = 'kebab-case' | 'snake_case' | 'camelCase' | 'any';

/**
 * The organisation's label conventions. Every field is optional in a conventions file.
 *
 * @public
 */
export interface LabelConventions {
  /** Keys every resource must carry with a non-empty value. */
  requiredLabels: string[];
  /** Style of the name part of every key (the part after `prefix/`). */
  keyStyle: LabelKeyStyle;
  /** Key prefixes the style rule does not apply to (third-party labels), e.g. `helm.sh`. */
  exemptPrefixes: string[];
  /** Kinds the required labels apply to; empty means every kind. */
  kinds: string[];
}

/** @public */
export const DEFAULT_LABEL_CONVENTIONS: LabelConventions = Object.freeze({
  requiredLabels: ['owner', 'cost-center'],
  keyStyle: 'kebab-case',
  exemptPrefixes: [],
  kinds: [],
}) as LabelConventions;

const KEY_STYLES: LabelKeyStyle[] = [
  'kebab-case',
  'snake_case',
  'camelCase',
  'any',
];

const STYLE_PATTERNS: Record<Exclude<LabelKeyStyle, 'any'>, RegExp> = {
  'kebab-case': /^[a-z0-9]+(-[a-z0-9]+)*$/,
  snake_case: /^[a-z0-9]+(_[a-z0-9]+)*$/,
  camelCase: /^[a-z][a-zA-Z0-9]*$/,
};

/**
 * Thrown for a conventions file that is not what the format describes.
 *
 * @public
 */
export class ConventionsFormatError extends Error {
  name = 'ConventionsFormatError';
}

/**
 * Reads a conventions document (YAML or JSON, same fields):
 *
 * ```yaml
 * requiredLabels: [owner, cost-center]
 * keyStyle: kebab-case        # kebab-case | snake_case | camelCase | any
 * exemptPrefixes: [helm.sh]   # optional
 * kinds: [InferenceService]   # optional, default every kind
 * ```
 *
 * @public
 */
export function parseConventions(text: string): LabelConventions {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConventionsFormatError(
      `not valid YAML or JSON: ${toError(e).message}`,
    );
  }
  return conventionsFromObject(raw ?? {});
}

/** @public */
export function conventionsFromObject(raw: unknown): LabelConventions {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConventionsFormatError(
      'expected a mapping with requiredLabels / keyStyle',
    );
  }
  const obj = raw as Record<string, unknown>;
  const known = [
    'requiredLabels',
    'keyStyle',
    'exemptPrefixes',
    'kinds',
    'apiVersion',
    'kind',
  ];
  const unknown = Object.keys(obj).filter(k => !known.includes(k));
  if (unknown.length) {
    throw new ConventionsFormatError(
      `unknown field(s) ${unknown
        .map(k => `\`${k}\``)
        .join(', ')}; expected ${known.slice(0, 4).join(', ')}`,
    );
  }
  const stringList = (field: string, fallback: string[]) => {
    const v = obj[field];
    if (v === undefined || v === null) return [...fallback];
    if (!Array.isArray(v) || v.some(x => typeof x !== 'string')) {
      throw new ConventionsFormatError(
        `\`${field}\` must be a list of strings`,
      );
    }
    return v as string[];
  };
  const keyStyle = (obj.keyStyle ??
    DEFAULT_LABEL_CONVENTIONS.keyStyle) as LabelKeyStyle;
  if (!KEY_STYLES.includes(keyStyle)) {
    throw new ConventionsFormatError(
      `\`keyStyle\` must be one of ${KEY_STYLES.join(
        ', ',
      )}, got ${JSON.stringify(obj.keyStyle)}`,
    );
  }
  const requiredLabels = stringList(
    'requiredLabels',
    DEFAULT_LABEL_CONVENTIONS.requiredLabels,
  );
  for (const key of requiredLabels) {
    const errs = isQualifiedName(key);
    if (errs.length) {
      throw new ConventionsFormatError(
        `required label \`${key}\` is not a valid key: ${errs[0]}`,
      );
    }
  }
  return {
    requiredLabels,
    keyStyle,
    exemptPrefixes: stringList('exemptPrefixes', []),
    kinds: stringList('kinds', []),
  };
}

/**
 * One finding about one label of one object (or one missing label).
 *
 * @public
 */
export interface LabelIssue {
  rule: ValidationRuleId;
  severity: ViolationSeverity;
  /** The key the issue is about: the offending key, or the missing required one. */
  key: string;
  message: string;
  /** Kyverno-style path of the field, e.g. `/metadata/labels/costCenter/`. */
  path: string;
  /** For a near miss: the key it should be. */
  suggestion?: string;
}

/** Comparison form of a key for near misses: case and `-` `_` `.` separators ignored. */
export function normalizeLabelKey(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

/**
 * The required key `key` is a near miss of, if any (`costCenter` for `cost-center`).
 *
 * @public
 */
export function findNearMiss(
  key: string,
  requiredLabels: string[],
): string | undefined {
  if (requiredLabels.includes(key)) return undefined;
  const whole = normalizeLabelKey(key);
  const namePart = normalizeLabelKey(splitLabelKey(key).name);
  return requiredLabels.find(req => {
    const r = normalizeLabelKey(req);
    return r === whole || (!req.includes('/') && r === namePart);
  });
}

export function keyStyleOk(
  key: string,
  conventions: LabelConventions,
): boolean {
  if (conventions.keyStyle === 'any') return true;
  const { prefix, name } = splitLabelKey(key);
  if (
    prefix &&
    conventions.exemptPrefixes.some(
      p => prefix === p || prefix.endsWith(`.${p}`),
    )
  ) {
    return true;
  }
  return STYLE_PATTERNS[conventions.keyStyle].test(name);
}

export function suggestKeyInStyle(key: string, style: LabelKeyStyle): string {
  const { prefix, name } = splitLabelKey(key);
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_.\s]+/)
    .filter(Boolean)
    .map(w => w.toLowerCase());
  let out: string;
  switch (style) {
    case 'kebab-case':
      out = words.join('-');
      break;
    case 'snake_case':
      out = words.join('_');
      break;
    case 'camelCase':
      out = words
        .map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1)))
        .join('');
      break;
    default:
      out = name;
  }
  return prefix !== undefined ? `${prefix}/${out}` : out;
}

const labelPath = (key: string) => `/metadata/labels/${key}/`;

/** @public */
export interface CheckLabelsOptions {
  conventions?: LabelConventions;
  /** The object's kind, to apply `conventions.kinds`. */
  kind?: string;
}

/**
 * Every rule about one object's labels: syntax (as the API server checks it), required keys, near misses and
 * key style. Near misses replace the `label-required` and `label-key-style` findings of the same key: one
 * cause, one name.
 *
 * @public
 */
export function checkLabels(
  labels: Record<string, unknown> | undefined,
  options: CheckLabelsOptions = {},
): LabelIssue[] {
  const conventions = options.conventions ?? DEFAULT_LABEL_CONVENTIONS;
  const issues: LabelIssue[] = [];
  const entries = Object.entries(labels ?? {});

  for (const [key, value] of entries) {
    for (const msg of isQualifiedName(key)) {
      issues.push({
        rule: 'label-key-syntax',
        severity: 'error',
        key,
        message: apiServerLabelMessage(key, msg),
        path: labelPath(key),
      });
    }
    if (typeof value !== 'string') {
      issues.push({
        rule: 'label-value-syntax',
        severity: 'error',
        key,
        message: `metadata.labels.${key}: label values must be strings, got ${
          value === null ? 'null' : typeof value
        } ${JSON.stringify(value)} (quote it in YAML)`,
        path: labelPath(key),
      });
    } else {
      for (const msg of isValidLabelValue(value)) {
        issues.push({
          rule: 'label-value-syntax',
          severity: 'error',
          key,
          message: apiServerLabelMessage(value, msg),
          path: labelPath(key),
        });
      }
    }
  }

  const appliesToKind =
    conventions.kinds.length === 0 ||
    (options.kind !== undefined && conventions.kinds.includes(options.kind));
  const present = new Set(entries.map(([k]) => k));
  const nearMissKeys = new Set<string>();

  if (appliesToKind) {
    for (const required of conventions.requiredLabels) {
      if (present.has(required)) {
        const v = labels![required];
        if (v === '' || v === null || v === undefined) {
          issues.push({
            rule: 'label-required',
            severity: 'error',
            key: required,
            message: `required label \`${required}\` has an empty value`,
            path: labelPath(required),
          });
        }
        continue;
      }
      const near = entries
        .map(([k]) => k)
        .find(k => findNearMiss(k, [required]) === required);
      if (near !== undefined) {
        nearMissKeys.add(near);
        issues.push({
          rule: 'label-near-miss',
          severity: 'error',
          key: near,
          message: `\`${near}\` should be \`${required}\`: label keys are case-sensitive, so the required key \`${required}\` is missing`,
          path: labelPath(near),
          suggestion: required,
        });
      } else {
        issues.push({
          rule: 'label-required',
          severity: 'error',
          key: required,
          message: `required label \`${required}\` is missing`,
          path: labelPath(required),
        });
      }
    }
  }

  for (const [key] of entries) {
    if (nearMissKeys.has(key) || isQualifiedName(key).length) continue;
    if (!keyStyleOk(key, conventions)) {
      const suggestion = suggestKeyInStyle(key, conventions.keyStyle);
      issues.push({
        rule: 'label-key-style',
        severity: 'warning',
        key,
        message: `label key \`${key}\` is not ${conventions.keyStyle}${
          suggestion !== key ? `: use \`${suggestion}\`` : ''
        }`,
        path: labelPath(key),
        suggestion: suggestion !== key ? suggestion : undefined,
      });
    }
  }
  return issues;
}

/**
 * Informational notes about keys (reserved prefixes); never violations.
 *
 * @public
 */
export function labelKeyNotes(key: string): string[] {
  const note = reservedPrefixNote(key);
  return note ? [note] : [];
}
