import { CatalogIndexPage } from '@backstage/plugin-catalog';
import { DefaultFilters } from '@backstage/plugin-catalog-react';
import {
  EntityServingHealthPicker,
  servingHealthCatalogColumns,
} from '@serving-health/plugin-serving-health';

/** The catalog with the Serving health column and sidebar filter; 50 rows a page, so a team sees its fleet at once. */
export const catalogIndexPage = (
  <CatalogIndexPage
    columns={servingHealthCatalogColumns}
    filters={
      <>
        <DefaultFilters />
        <EntityServingHealthPicker />
      </>
    }
    tableOptions={{ pageSize: 50 }}
  />
);
