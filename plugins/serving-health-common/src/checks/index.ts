import { admissionDryRun } from './admissionDryRun';
import { argocdApplications } from './argocdApplications';
import { argocdSync } from './argocdSync';
import { clusterNodes } from './clusterNodes';
import { clusterReachable } from './clusterReachable';
import { kserveController } from './kserveController';
import { kserveControllerLogs } from './kserveControllerLogs';
import { kserveCrds } from './kserveCrds';
import { kserveInferenceService } from './kserveInferenceService';
import { kserveWebhookEndpoints } from './kserveWebhookEndpoints';
import { policyEngineAdmission } from './policyEngineAdmission';
import { policyLabels } from './policyLabels';
import { TriageCheck } from './types';
import { webhooksStale } from './webhooksStale';
import { webhooksUnavailable } from './webhooksUnavailable';

export type { TriageCheck, CheckContext, CheckOutcome } from './types';

/**
 * The built-in checks, in the order of the manual triage.
 *
 * @public
 */
export const DEFAULT_CHECKS: TriageCheck[] = [
  clusterReachable,
  clusterNodes,
  argocdApplications,
  kserveCrds,
  kserveController,
  kserveControllerLogs,
  kserveWebhookEndpoints,
  policyEngineAdmission,
  webhooksUnavailable,
  webhooksStale,
  kserveInferenceService,
  policyLabels,
  argocdSync,
];
export { KSERVE_CONTROLLER as KSERVE_CONTROLLER_NAME } from './kserveController';

/**
 * Checks that run only when configured (they need more than read access).
 *
 * @public
 */
export const OPTIONAL_CHECKS = { admissionDryRun };
