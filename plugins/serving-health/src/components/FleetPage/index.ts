export { FleetPage } from './FleetPage';
export { filterFleetRows, groupProblems, toFleetRows } from './fleetRows';
export type {
  ClusterProblems,
  FleetFilters,
  FleetRow,
  ProblemCount,
} from './fleetRows';
