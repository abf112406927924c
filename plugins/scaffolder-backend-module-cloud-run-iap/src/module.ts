import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { cloudRunIapGoogleServiceRef } from '@internal-apps/plugin-cloud-run-iap-node';
import {
  createCreateIapServiceAction,
  DEPRECATED_CREATE_IAP_SERVICE_ACTION_ID,
} from './actions/createIapService';
import { deprecatedActionAlias } from './actions/deprecatedActionAlias';
import {
  createUpdateIapAccessAction,
  DEPRECATED_UPDATE_IAP_ACCESS_ACTION_ID,
} from './actions/updateIapAccess';

/** The release of this package that drops the pre-0.2 action ids. */
const DEPRECATED_IDS_REMOVED_IN = 'version 0.3.0 of this module';

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
        const create = createCreateIapServiceAction(deps);
        const update = createUpdateIapAccessAction(deps);
        scaffolder.addActions(
          create,
          update,
          deprecatedActionAlias(
            create,
            DEPRECATED_CREATE_IAP_SERVICE_ACTION_ID,
            DEPRECATED_IDS_REMOVED_IN,
          ),
          deprecatedActionAlias(
            update,
            DEPRECATED_UPDATE_IAP_ACCESS_ACTION_ID,
            DEPRECATED_IDS_REMOVED_IN,
          ),
        );
      },
    });
  },
});
