import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  OverridableFrontendPlugin,
  PageBlueprint,
  RouteRef,
} from '@backstage/frontend-plugin-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import HealthIcon from '@material-ui/icons/LocalHospital';
import { ServingHealthClient, servingHealthApiRef } from '../api';
import { isServingHealthAvailable } from '../conditions';
import {
  ENTITY_CONTENT_PATH,
  entityContentRouteRef,
  rootRouteRef,
} from '../routes';

const servingHealthApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: servingHealthApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServingHealthClient({ discoveryApi, fetchApi }),
    }),
});

const servingHealthEntityContent = EntityContentBlueprint.make({
  params: {
    path: ENTITY_CONTENT_PATH,
    title: 'Serving Health',
    filter: isServingHealthAvailable,
    routeRef: convertLegacyRouteRef(entityContentRouteRef),
    loader: () =>
      import('../components/ServingHealthContent').then(m =>
        compatWrapper(<m.ServingHealthContent />),
      ),
  },
});

const servingHealthEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isServingHealthAvailable,
    loader: () =>
      import('../components/ServingHealthCard').then(m =>
        compatWrapper(<m.ServingHealthCard />),
      ),
  },
});

/** Group and System pages: the group's (owned) or system's model endpoints, worst first. */
const servingHealthEndpointsCard = EntityCardBlueprint.make({
  name: 'endpoints',
  params: {
    filter: { kind: { $in: ['group', 'system'] } },
    loader: () =>
      import('../components/EndpointsCard').then(m =>
        compatWrapper(<m.EndpointsCard />),
      ),
  },
});

/** The catalog sidebar filter "Serving health". */
const servingHealthCatalogFilter = CatalogFilterBlueprint.make({
  name: 'serving-health',
  params: {
    loader: () =>
      import('../components/CatalogServingHealth').then(m =>
        compatWrapper(<m.EntityServingHealthPicker />),
      ),
  },
});

const servingHealthPage = PageBlueprint.make({
  params: {
    path: '/serving-health',
    title: 'Serving Health',
    icon: <HealthIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    // The fleet page renders its own Backstage header.
    noHeader: true,
    loader: () =>
      import('../components/FleetPage').then(m =>
        compatWrapper(<m.FleetPage />),
      ),
  },
});

/** The scaffolder's `ServingHealthLabels` form field (the scaffolder page collects every form field extension). */
const servingHealthLabelsFormField = FormFieldBlueprint.make({
  name: 'labels',
  params: {
    field: () =>
      import('../scaffolder/formField').then(
        m => m.servingHealthLabelsFormField,
      ),
  },
});

/**
 * Serving Health for the new frontend system.
 *
 * @alpha
 */
const servingHealthFrontendPlugin: OverridableFrontendPlugin<{
  root: RouteRef<undefined>;
  entityContent: RouteRef<undefined>;
}> = createFrontendPlugin({
  pluginId: 'serving-health',
  title: 'Serving Health',
  icon: <HealthIcon />,
  info: { packageJson: () => import('../../package.json') },
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  }),
  extensions: [
    servingHealthApi,
    servingHealthEntityContent,
    servingHealthEntityCard,
    servingHealthEndpointsCard,
    servingHealthCatalogFilter,
    servingHealthPage,
    servingHealthLabelsFormField,
  ],
});

export default servingHealthFrontendPlugin;
