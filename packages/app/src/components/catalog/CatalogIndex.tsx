import {
  CatalogIndexPage,
  CatalogTable,
  CatalogTableColumnsFunc,
} from '@backstage/plugin-catalog';
import { DefaultFilters } from '@backstage/plugin-catalog-react';
import {
  createServingHealthColumn,
  EntityServingHealthPicker,
} from '@serving-health/plugin-serving-health';

// Components are where model endpoints are: other kinds' tables stay as the catalog makes them.
const columns: CatalogTableColumnsFunc = context => {
  const defaults = CatalogTable.defaultColumnsFunc(context);
  return context.filters.kind?.value?.toLocaleLowerCase('en-US') === 'component'
    ? [...defaults, createServingHealthColumn()]
    : defaults;
};

/** The catalog with the Serving health column and sidebar filter; 50 rows a page, so a team sees its fleet at once. */
export const catalogIndexPage = (
  <CatalogIndexPage
    columns={columns}
    filters={
      <>
        <DefaultFilters />
        <EntityServingHealthPicker />
      </>
    }
    tableOptions={{ pageSize: 50 }}
  />
);
