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

/** @public */
export const servingHealthPermissions = [servingHealthReportReadPermission];
