import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ServingHealthClient, servingHealthApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** @public */
export const servingHealthPlugin = createPlugin({
  id: 'serving-health',
  apis: [
    createApiFactory({
      api: servingHealthApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServingHealthClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * The Serving Health tab of an entity page.
 *
 * @public
 */
export const EntityServingHealthContent = servingHealthPlugin.provide(
  createRoutableExtension({
    name: 'EntityServingHealthContent',
    component: () =>
      import('./components/ServingHealthContent').then(
        m => m.ServingHealthContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * Serving Health at a glance, for an entity's overview.
 *
 * @public
 */
export const EntityServingHealthCard = servingHealthPlugin.provide(
  createComponentExtension({
    name: 'EntityServingHealthCard',
    component: {
      lazy: () =>
        import('./components/ServingHealthCard').then(m => m.ServingHealthCard),
    },
  }),
);

/**
 * The fleet view: every model endpoint the user can see.
 *
 * @public
 */
export const ServingHealthPage = servingHealthPlugin.provide(
  createRoutableExtension({
    name: 'ServingHealthPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * For Group and System pages: the group's (owned) or system's model endpoints with their serving health,
 * worst first, each linking to its tab.
 *
 * @public
 */
export const EntityServingHealthEndpointsCard = servingHealthPlugin.provide(
  createComponentExtension({
    name: 'EntityServingHealthEndpointsCard',
    component: {
      lazy: () =>
        import('./components/EndpointsCard').then(m => m.EndpointsCard),
    },
  }),
);
