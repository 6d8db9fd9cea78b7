export { registerGetReportAction } from './getReportAction';
export { registerValidateManifestsAction } from './validateManifestsAction';
