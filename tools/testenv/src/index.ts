/**
 * The project's envtest: a real kube-apiserver with etcd (tools/testenv/main.go),
 * the scenario loader, and the demo cluster set.
 */
export { buildApiServer, KUBERNETES_VERSION } from './build';
export type { BuildResult } from './build';
export { freePort, startTestEnv, USERS } from './testenv';
export type { Identity, StartTestEnvOptions, TestEnv } from './testenv';
export { useTestEnv } from './jest';
export { KubeApiError, KubeClient } from './kube';
export { takeKserveWebhookOffline } from './changes';
export type { ClusterAccess } from './kube';
export {
  applyFiles,
  expectedOverall,
  listScenarios,
  loadScenario,
  readScenario,
  scenarioArgocdInstances,
  ScenarioLoadError,
} from './scenario';
export type {
  AppliedObject,
  ExpectedReport,
  LoadResult,
  Scenario,
  ScenarioManifest,
} from './scenario';
export { startDemoClusters } from './demo';
export type { DemoClusters, StartDemoOptions } from './demo';
export { scenariosDir } from './paths';
