export { ServingHealthContent } from './ServingHealthContent';
