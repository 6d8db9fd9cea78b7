export { TriageReportView } from './TriageReportView';
export type { TriageReportViewProps } from './TriageReportView';
