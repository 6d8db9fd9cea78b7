import { KubeObject } from '../types';
import { findCondition } from './util';

/**
 * KServe's layout across 0.13-0.16 (UPSTREAM-FACTS.md): the deployment-mode names, what the controller creates for an
 * InferenceService in each mode, and the labels it gives them. Names that changed between releases are all accepted.
 */

export const DEPLOYMENT_MODE_ANNOTATION = 'serving.kserve.io/deploymentMode';
export const AUTOSCALER_CLASS_ANNOTATION = 'serving.kserve.io/autoscalerClass';
export const STOP_ANNOTATION = 'serving.kserve.io/stop';

export type KServeMode = 'raw' | 'knative' | 'modelmesh';

// 0.16 renamed RawDeployment to Standard and Serverless to Knative; the old names are still accepted and normalised.
const MODE_NAMES: Record<string, KServeMode> = {
  RawDeployment: 'raw',
  Standard: 'raw',
  Serverless: 'knative',
  Knative: 'knative',
  ModelMesh: 'modelmesh',
};

export interface DeploymentMode {
  mode?: KServeMode;
  /** Where the mode was read, as evidence: `status.deploymentMode: Standard`. */
  source: string;
}

/**
 * The mode KServe runs an InferenceService in. The controller records it in status.deploymentMode and keeps it; before
 * that the annotation decides; a status with Knative's revision fields shows the Knative mode. Otherwise it is the
 * cluster's default (inferenceservice-config, deploy.defaultDeploymentMode: Serverless up to 0.15, and set by most
 * installs), which the triage does not read: unknown.
 */
export function deploymentMode(isvc: KubeObject | undefined): DeploymentMode {
  const status = isvc?.status?.deploymentMode;
  if (typeof status === 'string' && MODE_NAMES[status])
    return {
      mode: MODE_NAMES[status],
      source: `status.deploymentMode: ${status}`,
    };
  const annotation = isvc?.metadata.annotations?.[DEPLOYMENT_MODE_ANNOTATION];
  if (annotation && MODE_NAMES[annotation])
    return {
      mode: MODE_NAMES[annotation],
      source: `${DEPLOYMENT_MODE_ANNOTATION}: ${annotation}`,
    };
  const predictor = isvc?.status?.components?.predictor;
  if (
    predictor?.latestCreatedRevision ||
    findCondition(isvc, 'PredictorConfigurationReady')
  ) {
    return { mode: 'knative', source: 'status shows Knative revisions' };
  }
  return {
    source: isvc
      ? 'not recorded on the InferenceService'
      : 'the InferenceService does not exist',
  };
}

/** An object created for the InferenceService, with who creates it and, where it depends on configuration, when. */
export interface KServeChild {
  group: string;
  version: string;
  kind: string;
  resource: string;
  createdBy: string;
  onlyIf?: string;
}

const child = (
  group: string,
  version: string,
  kind: string,
  resource: string,
  createdBy: string,
  onlyIf?: string,
): KServeChild => ({
  group,
  version,
  kind,
  resource,
  createdBy,
  ...(onlyIf ? { onlyIf } : {}),
});

// Knative Serving turns a Knative Service into revisions: a Deployment, its private and public Services, the Pods.
const KNATIVE: KServeChild[] = [
  child('serving.knative.dev', 'v1', 'Service', 'services', 'KServe'),
];
const workload = (creator: string): KServeChild[] => [
  child('apps', 'v1', 'Deployment', 'deployments', creator),
  child('', 'v1', 'Service', 'services', creator),
  child('', 'v1', 'Pod', 'pods', 'the ReplicaSet controller'),
];

/** What the Standard/RawDeployment mode creates besides the workload: the autoscaler and the route in. */
function rawExtras(isvc: KubeObject | undefined): KServeChild[] {
  const out: KServeChild[] = [];
  const autoscaler =
    isvc?.metadata.annotations?.[AUTOSCALER_CLASS_ANNOTATION] ?? 'hpa';
  if (autoscaler === 'hpa')
    out.push(
      child(
        'autoscaling',
        'v2',
        'HorizontalPodAutoscaler',
        'horizontalpodautoscalers',
        'KServe',
      ),
    );
  if (autoscaler === 'keda')
    out.push(
      child('keda.sh', 'v1alpha1', 'ScaledObject', 'scaledobjects', 'KServe'),
    );
  if (
    isvc?.metadata.labels?.['networking.kserve.io/visibility'] !==
    'cluster-local'
  ) {
    const which =
      'inferenceservice-config enables it (ingress: an Ingress by default, an HTTPRoute with enableGatewayApi, neither with disableIngressCreation)';
    out.push(
      child('networking.k8s.io', 'v1', 'Ingress', 'ingresses', 'KServe', which),
      child(
        'gateway.networking.k8s.io',
        'v1',
        'HTTPRoute',
        'httproutes',
        'KServe',
        which,
      ),
    );
  }
  return out;
}

/** What is created for the InferenceService in its mode; in an unknown mode what only one mode creates is conditional. */
export function kserveChildren(
  isvc: KubeObject | undefined,
  mode: DeploymentMode,
): KServeChild[] {
  if (mode.mode === 'raw') return [...workload('KServe'), ...rawExtras(isvc)];
  if (mode.mode === 'knative')
    return [...KNATIVE, ...workload('Knative Serving')];
  // ModelMesh serves from the runtime's shared pods: nothing is created per InferenceService.
  if (mode.mode === 'modelmesh') return [];
  const onlyIf = (m: string) =>
    `the InferenceService runs in ${m} mode (its deployment mode is ${mode.source}; the cluster default is in inferenceservice-config)`;
  return [
    ...workload('KServe or Knative Serving'),
    ...KNATIVE.map(c => ({ ...c, onlyIf: onlyIf('Knative/Serverless') })),
    ...rawExtras(isvc).map(c => ({
      ...c,
      onlyIf: c.onlyIf
        ? `${onlyIf('Standard/RawDeployment')} and ${c.onlyIf}`
        : onlyIf('Standard/RawDeployment'),
    })),
  ];
}

/**
 * Labels KServe gives the predictor's objects: the InferenceService's own, the predictor's `labels`, and its own
 * `serving.kserve.io/inferenceservice` and `component`.
 */
export function predictorLabels(
  isvc: KubeObject | undefined,
  name: string | undefined,
): Record<string, string> {
  return {
    ...(isvc?.metadata.labels ?? {}),
    ...(isvc?.spec?.predictor?.labels ?? {}),
    ...(name ? { 'serving.kserve.io/inferenceservice': name } : {}),
    component: 'predictor',
  };
}

const CONTROLLER_LABEL_PREFIXES = [
  'serving.kserve.io/',
  'serving.knative.dev/',
  'autoscaling.knative.dev/',
  'networking.internal.knative.dev/',
  'app.kubernetes.io/',
];

/** Labels KServe, Knative or the ReplicaSet controller may add beyond predictorLabels (`app`, `pod-template-hash`, theirs). */
export function mayCarryControllerLabel(key: string): boolean {
  return (
    key === 'app' ||
    key === 'pod-template-hash' ||
    CONTROLLER_LABEL_PREFIXES.some(p => key.startsWith(p))
  );
}

/** KServe 0.15+ stops an InferenceService on request (`serving.kserve.io/stop: "true"`): Ready is then False on purpose. */
export function isStopped(isvc: KubeObject): boolean {
  return (
    String(isvc.metadata.annotations?.[STOP_ANNOTATION] ?? '').toLowerCase() ===
      'true' || findCondition(isvc, 'Stopped')?.status === 'True'
  );
}
