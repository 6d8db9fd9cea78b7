export {
  CheckResultPanel,
  blockedByText,
  formatObjectRef,
} from './CheckResultPanel';
export type { CheckResultPanelProps } from './CheckResultPanel';
