import {
  ClusterSnapshot,
  TargetBinding,
  TargetReads,
  TriageCheck,
  TriageReport,
  TriageTarget,
  needsControllerLogs,
  runTriage,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesClient } from '../client/types';
import { readAdmissionDryRun } from '../reads/readAdmissionDryRun';
import { readControllerLogs } from '../reads/readControllerLogs';
import { redactDeep } from '../redact';

/**
 * Runs the checks on a snapshot; reads the controller logs only when a
 * first pass found something wrong, then runs them again with the logs. The
 * report is redacted as a whole before it is returned.
 *
 * @public
 */
export async function triageTarget(options: {
  entityRef: string;
  target: TriageTarget;
  snapshot: ClusterSnapshot;
  checks: TriageCheck[];
  client: KubernetesClient;
  /** Supplies the logs (e.g. shared per snapshot by a cache); defaults to a fresh read. */
  readLogs?: () => Promise<NonNullable<TargetReads['controllerLogs']>>;
  /** Opt-in: also dry-run an update of the InferenceService (needs update rights). */
  admissionDryRun?: boolean;
  /** Whether the target is the entity's own; an unbound target's objects are neither read nor shown. */
  binding?: TargetBinding;
}): Promise<TriageReport> {
  const reads: TargetReads = {};
  const unbound = options.binding?.bound === false;
  if (options.admissionDryRun && options.snapshot.version.ok && !unbound) {
    reads.admissionDryRun = await readAdmissionDryRun(
      options.client,
      options.snapshot,
      options.target,
    );
  }
  const first = runTriage({ ...options, reads });
  if (unbound || !needsControllerLogs(first)) return redactDeep(first);
  reads.controllerLogs = await (options.readLogs
    ? options.readLogs()
    : readControllerLogs(options.client, options.snapshot));
  // Whatever the cluster said reaches the report through summaries and evidence: redact it all once here.
  return redactDeep(runTriage({ ...options, reads }));
}
