export { createClusterClients } from './createClusterClients';
