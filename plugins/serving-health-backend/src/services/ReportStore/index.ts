export { createCacheReportStore } from './createCacheReportStore';
