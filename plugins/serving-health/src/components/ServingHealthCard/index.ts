export { ServingHealthCard } from './ServingHealthCard';
export type { ServingHealthCardProps } from './ServingHealthCard';
