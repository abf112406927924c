import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  cloudRunIapAccessManagePermission,
  cloudRunIapAccessReadPermission,
} from '@internal-apps/plugin-cloud-run-iap-common';

/**
 * The portal's permission policy: who can reach an app, and changing it, is for the app's
 * owners (the user, or a group the user belongs to); everything else is allowed.
 */
export class OwnersReadAppAccessPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const ownsIt =
      isPermission(request.permission, cloudRunIapAccessReadPermission) ||
      isPermission(request.permission, cloudRunIapAccessManagePermission);
    if (!ownsIt) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    return createCatalogConditionalDecision(
      request.permission as typeof cloudRunIapAccessReadPermission,
      catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
    );
  }
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'owners-read-app-access-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new OwnersReadAppAccessPolicy(userInfo));
      },
    });
  },
});
