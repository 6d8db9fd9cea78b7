import {
  KubeObject,
  SnapshotCollection,
} from '@serving-health/plugin-serving-health-common';
import { slimObject } from './slimObject';

/**
 * What a snapshot keeps of a value: `true` keeps it whole; an object keeps only the keys it names, each by its own
 * rule, and applies to every element when the value is an array. Keys it does not name are dropped.
 *
 * @public
 */
export type Projection = true | { readonly [key: string]: Projection };

// What the checks, the binding, the evidence and the watched snapshot's digest read of any object.
const METADATA = {
  name: true,
  namespace: true,
  uid: true,
  resourceVersion: true,
  generation: true,
  creationTimestamp: true,
  deletionTimestamp: true,
  finalizers: true,
  labels: true,
  ownerReferences: true,
} as const;

const object = (rest: Record<string, Projection>): Projection => ({
  apiVersion: true,
  kind: true,
  metadata: METADATA,
  ...rest,
});

const WEBHOOK_CONFIGURATION = object({
  webhooks: {
    name: true,
    // Not the caBundle: a PEM per webhook that nothing reads.
    clientConfig: { service: true, url: true },
    failurePolicy: true,
    matchPolicy: true,
    rules: true,
    namespaceSelector: true,
    objectSelector: true,
    matchConditions: true,
    timeoutSeconds: true,
  },
});

/**
 * Per collection, what of each object the snapshot keeps: what the checks, their evidence, the target binding, the
 * hub-and-spoke destination and the controller-log read use, nothing else. An InferenceService and the Kyverno
 * policies stay whole (past {@link slimObject}): policies are evaluated against the whole InferenceService, the
 * admission dry run sends its metadata and spec, and a policy's evaluation reads the policy. Pod and Deployment
 * specs (container env included) are not kept.
 *
 * @public
 */
export const SNAPSHOT_PROJECTIONS: Readonly<
  Record<SnapshotCollection, Projection>
> = {
  nodes: object({ status: { conditions: true } }),
  namespaces: object({ spec: true, status: true }),
  customResourceDefinitions: object({
    spec: {
      group: true,
      names: true,
      scope: true,
      versions: { name: true, served: true, storage: true, deprecated: true },
    },
    status: { conditions: true, acceptedNames: true, storedVersions: true },
  }),
  validatingWebhookConfigurations: WEBHOOK_CONFIGURATION,
  mutatingWebhookConfigurations: WEBHOOK_CONFIGURATION,
  services: object({
    spec: {
      type: true,
      clusterIP: true,
      externalName: true,
      selector: true,
      ports: true,
    },
  }),
  endpointSlices: object({
    addressType: true,
    endpoints: { addresses: true, conditions: true, targetRef: true },
    ports: true,
  }),
  controlPlaneDeployments: object({
    spec: {
      replicas: true,
      selector: true,
      template: { metadata: { labels: true } },
    },
    status: true,
  }),
  controlPlanePods: object({
    status: {
      phase: true,
      conditions: true,
      containerStatuses: {
        name: true,
        image: true,
        imageID: true,
        ready: true,
        started: true,
        restartCount: true,
        state: true,
        lastState: true,
      },
    },
  }),
  controlPlaneEvents: object({
    involvedObject: true,
    type: true,
    reason: true,
    message: true,
    count: true,
    firstTimestamp: true,
    lastTimestamp: true,
    eventTime: true,
    series: true,
  }),
  applications: object({
    spec: { project: true, destination: true },
    status: {
      sync: { status: true },
      health: true,
      conditions: true,
      operationState: {
        phase: true,
        message: true,
        startedAt: true,
        finishedAt: true,
        syncResult: { resources: true },
      },
      resources: true,
    },
  }),
  inferenceServices: true,
  clusterPolicies: true,
  kyvernoPolicies: true,
  validatingPolicies: true,
  policyReports: object({
    scope: true,
    results: {
      policy: true,
      rule: true,
      result: true,
      message: true,
      source: true,
      resources: true,
    },
  }),
};

const own = (o: object, key: string) =>
  Object.prototype.hasOwnProperty.call(o, key);

function project(value: unknown, keep: Projection): unknown {
  if (keep === true || value === null || typeof value !== 'object')
    return value;
  if (Array.isArray(value)) return value.map(v => project(v, keep));
  const out: Record<string, unknown> = {};
  // In the object's own key order: evidence shows some values as JSON.
  for (const [key, v] of Object.entries(value)) {
    if (own(keep, key)) out[key] = project(v, keep[key]);
  }
  return out;
}

/**
 * An object of a snapshot collection as the snapshot keeps it ({@link SNAPSHOT_PROJECTIONS}). Returns a new
 * object; the input is not changed.
 *
 * @public
 */
export function projectObject(
  collection: SnapshotCollection,
  item: KubeObject,
): KubeObject {
  return project(
    slimObject(item),
    SNAPSHOT_PROJECTIONS[collection],
  ) as KubeObject;
}
