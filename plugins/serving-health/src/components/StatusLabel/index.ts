export { CheckStatusLabel, OverallStatusLabel } from './StatusLabel';
