export { EndpointsCard } from './EndpointsCard';
