import { Fragment } from 'react';
import {
  coreExtensionData,
  createFrontendModule,
  FrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin, {
  CatalogExportSettings,
  CatalogIndexPage,
} from '@backstage/plugin-catalog/alpha';

const catalogPage = catalogPlugin.getExtension('page:catalog');
// The catalog exports no ref for its export customizations; its own input declares it.
const [exportConfigDataRef] = catalogPage.inputs.exportConfig.extensionData;

/**
 * `page:catalog` with the Serving health column. The catalog page has no input for columns, so this override
 * renders the same page (the catalog's own `CatalogIndexPage` for the new frontend system) and passes `columns`.
 * It keeps the page's inputs (`filters`, `exportConfig`), its config (`pagination`, `exportSettings`, `path`,
 * `title`), path, route ref, title and icon: only the loader is replaced.
 */
const catalogPageWithServingHealth = catalogPage.override({
  factory(originalFactory, { inputs, config }) {
    const filters = inputs.filters.map(filter => (
      <Fragment key={filter.node.spec.id}>
        {filter.get(coreExtensionData.reactElement)}
      </Fragment>
    ));
    // The page's own loader merges these the same way: the first customization of each kind wins, exporters add up.
    const exportSettings: CatalogExportSettings = { ...config.exportSettings };
    for (const input of inputs.exportConfig) {
      const data = input.get(exportConfigDataRef);
      if (!data) continue;
      if (data.exporters) {
        exportSettings.exporters = {
          ...exportSettings.exporters,
          ...data.exporters,
        };
      }
      exportSettings.columns ??= data.columns;
      exportSettings.onSuccess ??= data.onSuccess;
      exportSettings.onError ??= data.onError;
    }
    return originalFactory({
      params: {
        loader: async () => {
          const { servingHealthCatalogColumns } = await import(
            '../components/CatalogServingHealth'
          );
          return (
            <CatalogIndexPage
              columns={servingHealthCatalogColumns}
              filters={<>{filters}</>}
              pagination={config.pagination}
              exportSettings={
                exportSettings.enabled ? exportSettings : undefined
              }
            />
          );
        },
      },
    });
  },
});

/**
 * The catalog's index page with the "Serving health" column for model endpoints (kind Component), for the new
 * frontend system. It replaces the catalog plugin's `page:catalog` extension, keeping its inputs and config.
 *
 * @alpha
 */
export const catalogModuleServingHealth: FrontendModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalogPageWithServingHealth],
});
