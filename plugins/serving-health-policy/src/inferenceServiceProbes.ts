import { componentContainers, isInferenceService, toPointer } from './inferenceServiceContainers';
import { ServingRules } from './servingRules';
import { KubeObject, ObjectFinding } from './types';

/**
 * `inferenceservice-probes`: where the repository requires them, every predictor and transformer container
 * sets its readiness and liveness probes, so traffic waits for the model to load and a hung server restarts.
 *
 * @public
 */
export function checkInferenceServiceProbes(
  obj: KubeObject,
  rules: ServingRules['inferenceServices'],
): ObjectFinding[] {
  if (!isInferenceService(obj) || !rules.probes.length) return [];
  const findings: ObjectFinding[] = [];
  for (const { component, name, container, path } of componentContainers(
    obj,
    rules.components,
  )) {
    for (const probe of rules.probes) {
      const value = container[probe];
      if (typeof value === 'object' && value !== null) continue;
      findings.push({
        rule: 'inferenceservice-probes',
        severity: 'error',
        message: `${component} container \`${name}\` sets no ${probe}, which this repository requires`,
        path: toPointer([...path, probe]),
        hint: `add \`${probe}: { httpGet: { path: /v2/health/${
          probe === 'readinessProbe' ? 'ready' : 'live'
        }, port: 8080 } }\` (the KServe v2 protocol's health endpoints) to that container`,
      });
    }
  }
  return findings;
}
