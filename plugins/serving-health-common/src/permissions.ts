import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read a serving-health report of a catalog entity.
 *
 * @public
 */
export const servingHealthReportReadPermission = createPermission({
  name: 'servingHealth.report.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Read the Kyverno policies of a configured cluster (for the scaffolder's labels field, which evaluates them in
 * the browser). Not tied to an entity: a template author's form asks before any entity exists.
 *
 * @public
 */
export const servingHealthPoliciesReadPermission = createPermission({
  name: 'servingHealth.policies.read',
  attributes: { action: 'read' },
});

/**
 * Validate manifests through the `validate-serving-health-manifests` action (an AI assistant's call). It reads
 * nothing from a cluster, but it runs the policy engine on what the caller sends: a portal may keep that to
 * some of its users.
 *
 * @public
 */
export const servingHealthManifestsValidatePermission = createPermission({
  name: 'servingHealth.manifests.validate',
  attributes: {},
});

/** @public */
export const servingHealthPermissions = [
  servingHealthReportReadPermission,
  servingHealthPoliciesReadPermission,
  servingHealthManifestsValidatePermission,
];
