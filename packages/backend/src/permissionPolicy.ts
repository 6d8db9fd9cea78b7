import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/**
 * The demo portal lets every signed-in user read everything. A real portal
 * replaces this module; serving-health's `servingHealth.report.read` is a
 * catalog-entity resource permission, so catalog conditions apply to it.
 */
class AllowAllPolicy implements PermissionPolicy {
  async handle(_request: PolicyQuery): Promise<PolicyDecision> {
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new AllowAllPolicy());
      },
    });
  },
});
