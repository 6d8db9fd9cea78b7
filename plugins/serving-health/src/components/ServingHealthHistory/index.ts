export { ServingHealthHistory, StateSince } from './ServingHealthHistory';
