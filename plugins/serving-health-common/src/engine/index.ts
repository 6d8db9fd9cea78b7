export {
  runTriage,
  orderChecks,
  overallStatus,
  needsControllerLogs,
} from './runTriage';
export { resolveTriageTarget } from './resolveTriageTarget';
export {
  applicationDestinationCluster,
  reportSources,
  resolveArgocdInstance,
  withApplicationsFrom,
} from './argocdHub';
export type { ArgocdInstance } from './argocdHub';
