import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { cloudRunIapGoogleServiceRef } from '@internal-apps/plugin-cloud-run-iap-node';
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
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        auditor: coreServices.auditor,
        // Validates cloudRunIap at startup, and shares its pools with the backend plugin.
        google: cloudRunIapGoogleServiceRef,
      },
      async init({
        scaffolder,
        permissions,
        userInfo,
        catalog,
        auditor,
        google,
      }) {
        const clientFor = (logger: LoggerService) => google.forLogger(logger);
        const deps = { clientFor, permissions, userInfo, catalog, auditor };
        scaffolder.addActions(
          createCreateIapServiceAction(deps),
          createUpdateIapAccessAction(deps),
        );
      },
    });
  },
});
