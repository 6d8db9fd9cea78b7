export {
  CheckResultPanel,
  checkAnchor,
  evidenceAnchor,
  formatObjectRef,
} from './CheckResultPanel';
export type { CheckResultPanelProps } from './CheckResultPanel';
