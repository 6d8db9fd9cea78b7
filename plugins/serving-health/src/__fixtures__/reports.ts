import { Entity } from '@backstage/catalog-model';
import {
  ClusterSnapshot,
  DEFAULT_CHECKS,
  TargetReads,
  FleetEntry,
  FleetSummary,
  TriageReport,
  resolveTriageTarget,
  runTriage,
} from '@serving-health/plugin-serving-health-common';
import {
  CLUSTER,
  defaultTarget,
  healthySnapshot,
  KSERVE_POD,
  withClusterUnreachable,
  withCostCenterNearMiss,
  withPolicyValidate,
  withKServeSidecarPullForbidden,
} from '@serving-health/plugin-serving-health-common/testUtils';

export const modelEndpointEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud-model',
    namespace: 'default',
    annotations: {
      'serving.kserve.io/inferenceservice': 'models/fraud-detector',
      'argocd/app-name': 'fraud-detector',
    },
  },
  spec: { type: 'model-endpoint', lifecycle: 'production', owner: 'ml-team' },
};

/** A model endpoint named `name` in the default namespace, serving `models/<name>`. */
export const modelEndpointNamed = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'serving.kserve.io/inferenceservice': `models/${name}` },
  },
  spec: { type: 'model-endpoint', owner: 'team-ml', lifecycle: 'production' },
});

export const entityWithoutAnnotation: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain-service', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'web-team' },
};

// Reports as the backend makes them: the engine's checks run on plain-object cluster snapshots, so a
// component test breaks when the UI and the reports it must render drift apart.
function report(
  entityRef: string,
  snapshot: ClusterSnapshot,
  reads: TargetReads = {},
): TriageReport {
  return runTriage({
    entityRef,
    target: defaultTarget(),
    snapshot,
    checks: DEFAULT_CHECKS,
    reads,
  });
}

/** Every check passes (the controller logs are not read on a healthy cluster). */
export const healthyReport: TriageReport = report(
  'component:default/fraud-model',
  healthySnapshot(),
);

/**
 * KServe's webhook has no ready endpoints: the kube-rbac-proxy sidecar cannot pull its image (403). The
 * controller log read was refused, as the log reader reports a 403 on pods/log.
 */
export const webhookFailingReport: TriageReport = report(
  'component:default/fraud-model',
  withKServeSidecarPullForbidden(healthySnapshot()),
  {
    controllerLogs: {
      ok: false,
      pod: KSERVE_POD,
      container: 'manager',
      error: {
        reason: 'forbidden',
        request: `kubectl -n kserve logs ${KSERVE_POD} -c manager --tail=200`,
        message: `pods "${KSERVE_POD}" is forbidden: User "system:serviceaccount:backstage:serving-health" cannot get resource "pods/log" in API group "" in the namespace "kserve"`,
        httpStatus: 403,
        missingRule: { apiGroup: '', resource: 'pods/log', verb: 'get' },
      },
    },
  },
);

/** The cluster does not answer: every later check is skipped, blocked by cluster.reachable. */
export const unreachableReport: TriageReport = report(
  'component:default/fraud-model',
  withClusterUnreachable(healthySnapshot()),
);

const fleetEntry = (r: TriageReport): FleetEntry => ({
  entityRef: r.entityRef,
  title: r.entityRef.split('/')[1],
  cluster: r.target.cluster,
  overall: r.overall,
  failingStage: r.failingStage,
  failureModes: r.failureModes.map(m => m.id),
});

const malformed = resolveTriageTarget(
  {
    metadata: {
      annotations: { 'serving.kserve.io/inferenceservice': 'Not/A/Valid/Name' },
    },
  },
  { clusters: [CLUSTER] },
);

export const fleetSummary: FleetSummary = {
  generatedAt: webhookFailingReport.generatedAt,
  entries: [
    fleetEntry(webhookFailingReport),
    fleetEntry(report('component:default/churn-model', healthySnapshot())),
    fleetEntry(
      report(
        'component:default/pricing-model',
        // Kyverno admits updates that keep an existing violation unless told not to: here every apply is denied.
        withPolicyValidate(withCostCenterNearMiss(healthySnapshot()), {
          allowExistingViolations: false,
        }),
      ),
    ),
    {
      entityRef: 'component:default/broken-annotation',
      title: 'broken-annotation',
      overall: 'unknown',
      failureModes: [],
      error: malformed.ok ? undefined : malformed.message,
    },
  ],
};
