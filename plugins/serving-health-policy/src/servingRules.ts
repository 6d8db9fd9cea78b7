import { parse as parseYaml } from 'yaml';
import { toError } from '@backstage/errors';

/** @public */
export type InferenceServiceComponent = 'predictor' | 'transformer';
/** @public */
export type ProbeField = 'readinessProbe' | 'livenessProbe';

/**
 * A repository's settings for the serving rules (`inferenceservice-resources`, `inferenceservice-probes`).
 *
 * @public
 */
export interface ServingRules {
  inferenceServices: {
    /** Components whose containers are checked. */
    components: InferenceServiceComponent[];
    /** Resource names every container must request (`resources.requests`). */
    requests: string[];
    /** Resource names every container must limit (`resources.limits`). */
    limits: string[];
    /** Probes every container must set; none by default. */
    probes: ProbeField[];
  };
}

/** @public */
export const DEFAULT_SERVING_RULES: ServingRules = Object.freeze({
  inferenceServices: Object.freeze({
    components: ['predictor', 'transformer'],
    requests: ['cpu', 'memory'],
    limits: ['cpu', 'memory'],
    probes: [],
  }),
}) as ServingRules;

/** @public */
export class ServingRulesFormatError extends Error {}

const COMPONENTS: InferenceServiceComponent[] = ['predictor', 'transformer'];
const PROBES: ProbeField[] = ['readinessProbe', 'livenessProbe'];

/**
 * Reads a repository's serving rules (YAML or JSON), e.g.
 * `inferenceServices: { requests: [cpu, memory], limits: [memory], probes: [readinessProbe] }`.
 * Omitted fields keep their defaults; anything unknown is an error naming the field.
 *
 * @public
 */
export function parseServingRules(text: string): ServingRules {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ServingRulesFormatError(
      `not valid YAML or JSON: ${toError(e).message}`,
    );
  }
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const top = raw ?? {};
  if (!isMap(top))
    throw new ServingRulesFormatError('expected a mapping with `inferenceServices`');
  const unknownTop = Object.keys(top).filter(k => k !== 'inferenceServices');
  if (unknownTop.length)
    throw new ServingRulesFormatError(
      `unknown field(s) ${unknownTop.map(k => `\`${k}\``).join(', ')}; expected inferenceServices`,
    );
  const section = top.inferenceServices ?? {};
  if (!isMap(section))
    throw new ServingRulesFormatError('`inferenceServices` must be a mapping');
  const defaults = DEFAULT_SERVING_RULES.inferenceServices;
  const fields = Object.keys(defaults);
  const unknown = Object.keys(section).filter(k => !fields.includes(k));
  if (unknown.length)
    throw new ServingRulesFormatError(
      `unknown field(s) ${unknown
        .map(k => `\`inferenceServices.${k}\``)
        .join(', ')}; expected ${fields.join(', ')}`,
    );
  const list = <T extends string>(
    field: keyof ServingRules['inferenceServices'],
    allowed?: readonly T[],
  ): T[] => {
    const v = section[field];
    if (v === undefined || v === null) return [...(defaults[field] as T[])];
    if (!Array.isArray(v) || v.some(x => typeof x !== 'string'))
      throw new ServingRulesFormatError(
        `\`inferenceServices.${field}\` must be a list of strings`,
      );
    const bad = allowed && v.find(x => !allowed.includes(x as T));
    if (bad !== undefined && allowed)
      throw new ServingRulesFormatError(
        `\`inferenceServices.${field}\` has \`${bad}\`; expected one of ${allowed.join(', ')}`,
      );
    return v as T[];
  };
  return {
    inferenceServices: {
      components: list('components', COMPONENTS),
      requests: list('requests'),
      limits: list('limits'),
      probes: list('probes', PROBES),
    },
  };
}
