import {
  CatalogTable,
  CatalogTableColumnsFunc,
} from '@backstage/plugin-catalog';
import { createServingHealthColumn } from './ServingHealthColumn';

/**
 * The catalog table's default columns, plus "Serving health" when the kind filter is Component: components are where
 * model endpoints are, so other kinds' tables stay as the catalog makes them.
 *
 * @public
 */
export const servingHealthCatalogColumns: CatalogTableColumnsFunc = context => {
  const defaults = CatalogTable.defaultColumnsFunc(context);
  return context.filters.kind?.value?.toLocaleLowerCase('en-US') === 'component'
    ? [...defaults, createServingHealthColumn()]
    : defaults;
};
