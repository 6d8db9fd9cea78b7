export { LabelsField } from './LabelsField';
