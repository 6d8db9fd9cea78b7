export { FilterSelect } from './FilterSelect';
