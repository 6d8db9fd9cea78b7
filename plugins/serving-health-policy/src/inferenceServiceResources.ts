import { componentContainers, isInferenceService, toPointer } from './inferenceServiceContainers';
import { ServingRules } from './servingRules';
import { KubeObject, ObjectFinding } from './types';

/**
 * `inferenceservice-resources`: every predictor and transformer container of an InferenceService requests and
 * limits the resources the repository requires. Without requests the scheduler packs model servers onto
 * nodes that cannot hold them; without limits one model can starve its neighbours.
 *
 * @public
 */
export function checkInferenceServiceResources(
  obj: KubeObject,
  rules: ServingRules['inferenceServices'],
): ObjectFinding[] {
  if (!isInferenceService(obj)) return [];
  const findings: ObjectFinding[] = [];
  for (const { component, name, container, path } of componentContainers(
    obj,
    rules.components,
  )) {
    const resources = (container.resources ?? {}) as Record<string, unknown>;
    for (const kind of ['requests', 'limits'] as const) {
      const set = (resources[kind] ?? {}) as Record<string, unknown>;
      const missing = rules[kind].filter(
        r => set[r] === undefined || set[r] === null || set[r] === '',
      );
      if (!missing.length) continue;
      findings.push({
        rule: 'inferenceservice-resources',
        severity: 'error',
        message: `${component} container \`${name}\` sets no resources.${kind} for ${missing
          .map(r => `\`${r}\``)
          .join(', ')}`,
        path: toPointer([...path, 'resources', kind]),
        hint: `add \`resources: { ${kind}: { ${missing
          .map(r => `${r}: ...`)
          .join(', ')} } }\` under spec.${component}.${
          typeof path[3] === 'number' ? `containers[${path[3]}]` : name
        }`,
      });
    }
  }
  return findings;
}
