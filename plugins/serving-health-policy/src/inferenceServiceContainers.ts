import { InferenceServiceComponent } from './servingRules';
import { KubeObject } from './types';

/** One container of an InferenceService component, with its path from the object's root. */
export interface ComponentContainer {
  component: InferenceServiceComponent;
  /** Display name: the container's `name`, or the model field (`model`, `sklearn`, ...). */
  name: string;
  container: Record<string, unknown>;
  path: Array<string | number>;
}

/**
 * KServe v1beta1's model fields of a predictor: each embeds a container (`model` and the older
 * per-framework fields), next to the pod spec's own `containers`.
 */
const PREDICTOR_MODEL_FIELDS = [
  'model',
  'sklearn',
  'xgboost',
  'tensorflow',
  'pytorch',
  'triton',
  'onnx',
  'pmml',
  'lightgbm',
  'paddle',
  'huggingface',
];

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** @public */
export function isInferenceService(obj: KubeObject): boolean {
  return (
    obj.kind === 'InferenceService' &&
    typeof obj.apiVersion === 'string' &&
    obj.apiVersion.startsWith('serving.kserve.io/')
  );
}

/** The containers of the predictor and transformer of an InferenceService, as the rules judge them. */
export function componentContainers(
  obj: KubeObject,
  components: InferenceServiceComponent[],
): ComponentContainer[] {
  const out: ComponentContainer[] = [];
  for (const component of components) {
    const spec = obj.spec?.[component];
    if (!isMap(spec)) continue;
    if (component === 'predictor') {
      for (const field of PREDICTOR_MODEL_FIELDS) {
        if (isMap(spec[field]))
          out.push({
            component,
            name: field,
            container: spec[field] as Record<string, unknown>,
            path: ['spec', component, field],
          });
      }
    }
    const containers = Array.isArray(spec.containers) ? spec.containers : [];
    containers.forEach((c: unknown, i: number) => {
      if (!isMap(c)) return;
      out.push({
        component,
        name: typeof c.name === 'string' ? c.name : `containers[${i}]`,
        container: c,
        path: ['spec', component, 'containers', i],
      });
    });
  }
  return out;
}

export const toPointer = (segs: Array<string | number>) =>
  `/${segs.join('/')}/`;
