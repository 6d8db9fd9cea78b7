import { ClusterSnapshot, TargetReads } from '../snapshot';
import { CheckResult, TriageStage, TriageTarget } from '../types';

/** @public */
export interface CheckContext {
  entityRef: string;
  target: TriageTarget;
  snapshot: ClusterSnapshot;
  reads: TargetReads;
  /** Results of the checks that ran before this one, by id. */
  results: ReadonlyMap<string, CheckResult>;
}

/**
 * What a check decides; the engine adds id, stage and title.
 *
 * @public
 */
export type CheckOutcome = Omit<CheckResult, 'id' | 'stage' | 'title'>;

/**
 * A pure function from (target, snapshot) to a result.
 *
 * @public
 */
export interface TriageCheck {
  id: string;
  stage: TriageStage;
  title: string;
  /** Checks that must pass (or warn) for this one to mean anything; else it is skipped, blocked by the first that did not. */
  requires?: string[];
  /**
   * Reads objects of the entity's own namespace (its InferenceService, its Application, log lines naming it):
   * withheld, never run, when the target is not bound to the entity.
   */
  readsTargetObjects?: boolean;
  run(ctx: CheckContext): CheckOutcome;
}
