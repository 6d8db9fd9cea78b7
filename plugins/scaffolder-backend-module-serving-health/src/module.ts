import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAdmissionDryRunAction } from './actions/admissionDryRun';
import { createKustomizeLintAction } from './actions/kustomizeLint';
import { createValidateAction } from './actions/validate';
import { readActionOptions } from './options';

/**
 * Scaffolder actions that stop the preventable serving failures before the pull request.
 *
 * @public
 */
export const scaffolderModuleServingHealth = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'serving-health',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, discovery, auth }) {
        const options = readActionOptions(config, { discovery, auth });
        scaffolder.addActions(
          createValidateAction(options),
          createKustomizeLintAction(),
          createAdmissionDryRunAction(options),
        );
      },
    });
  },
});
