import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@serving-health/plugin-scaffolder-backend-module-serving-health'),
);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

// Backstage's own Kubernetes plugin reads the same cluster config; the
// benchmark compares its object fetch with the serving triage.
backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@serving-health/plugin-serving-health-backend'));

// What Serving Health's continuous triage talks to: owners' notifications, live tabs, AI assistants.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
