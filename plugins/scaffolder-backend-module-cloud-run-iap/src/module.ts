import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  GoogleCloudClient,
  readCloudRunIapConfig,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { createCreateIapServiceAction } from './actions/createIapService/action';
import { createUpdateIapAccessAction } from './actions/updateIapAccess/action';

/**
 * Registers the Cloud Run IAP actions with the scaffolder.
 *
 * @public
 */
export const scaffolderModuleCloudRunIap = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'cloud-run-iap',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
      },
      async init({ scaffolder, config, permissions }) {
        // Fail at startup, not in the first task, when cloudRunIap is malformed.
        readCloudRunIapConfig(config);
        const clientFor = (
          logger: Parameters<typeof GoogleCloudClient.fromConfig>[1]['logger'],
        ) => GoogleCloudClient.fromConfig(config, { logger });
        scaffolder.addActions(
          createCreateIapServiceAction({ clientFor, permissions }),
          createUpdateIapAccessAction({ clientFor, permissions }),
        );
      },
    });
  },
});
