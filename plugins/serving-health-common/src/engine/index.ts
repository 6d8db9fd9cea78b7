export { runTriage, orderChecks, overallStatus, needsControllerLogs } from './runTriage';
export { resolveTriageTarget } from './resolveTriageTarget';
