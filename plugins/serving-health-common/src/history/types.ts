import { FailureModeId, OverallStatus } from '../types';
import { ReportTransition } from './transitions';

/**
 * One stored transition of an entity, as the history routes return it.
 *
 * @public
 */
export interface HistoryTransition extends ReportTransition {
  id: string;
  entityRef: string;
  /** ISO time the fleet triage saw the change. */
  at: string;
  cluster?: string;
}

/**
 * An entity's state as the last fleet triage saw it.
 *
 * @public
 */
export interface EntityState {
  entityRef: string;
  overall: OverallStatus;
  failureModes: FailureModeId[];
  failingStage?: string;
  cluster?: string;
  owner?: string;
  /** ISO time it entered `overall`: "failing since" when failing, else time in state. */
  since: string;
  /** ISO time of the last fleet triage that saw it. */
  checkedAt: string;
}

/**
 * `GET /entities/:namespace/:kind/:name/history`.
 *
 * @public
 */
export interface EntityHistory {
  /** Absent until a fleet triage has seen the entity. */
  state?: EntityState;
  /** Newest first. */
  transitions: HistoryTransition[];
}

/**
 * `GET /fleet/history`: every entity's state and the fleet's transitions, newest first.
 *
 * @public
 */
export interface FleetHistory {
  states: EntityState[];
  transitions: HistoryTransition[];
}

/**
 * The signals channel on which the backend tells open tabs that an entity's report changed.
 *
 * @public
 */
export function servingHealthReportChannel(entityRef: string): string {
  return `serving-health:report:${entityRef}`;
}

/**
 * The signals channel on which the backend tells open tabs that a watched cluster's objects changed, so that a
 * tab whose report was read from it reads it again at once (the message names the cluster and nothing else).
 *
 * @public
 */
export function servingHealthClusterChannel(cluster: string): string {
  return `serving-health:cluster:${cluster}`;
}
