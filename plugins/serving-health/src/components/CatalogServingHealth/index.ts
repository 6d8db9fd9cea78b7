export { createServingHealthColumn } from './ServingHealthColumn';
export { servingHealthCatalogColumns } from './servingHealthCatalogColumns';
export { EntityServingHealthPicker } from './EntityServingHealthPicker';
export type { ServingHealthEntityFilters } from './EntityServingHealthPicker';
export { ServingHealthFilter } from './servingHealthFilter';
export type { ServingHealthSelection } from './servingHealthFilter';
