export { FailureModeChips } from './FailureModeChips';
