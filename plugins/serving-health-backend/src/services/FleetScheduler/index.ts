export {
  createFleetScheduler,
  FLEET_TRIAGE_TASK_ID,
} from './createFleetScheduler';
export type { FleetRunResult, FleetScheduler } from './createFleetScheduler';
