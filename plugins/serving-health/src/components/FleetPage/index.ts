export { FleetPage, filterFleetRows, toFleetRows } from './FleetPage';
export type { FleetRow } from './FleetPage';
