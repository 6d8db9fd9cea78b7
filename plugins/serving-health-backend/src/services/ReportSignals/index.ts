export { createReportSignals } from './createReportSignals';
export type { ReportSignals } from './createReportSignals';
