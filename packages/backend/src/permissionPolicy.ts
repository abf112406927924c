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
  catalogEntityDeletePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
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
 * The portal's permission policy:
 * - who can reach an app, and changing it, is for the app's owners (the user, or a group the
 *   user belongs to);
 * - deleting a catalog entity is for its owners and the portal's admins
 *   (`permission.adminGroups`): otherwise anyone could delete a team's entity and register
 *   their own under its name;
 * - deleting a catalog location is for the admins only: a location has no owner of its own,
 *   and deleting one removes every entity it holds, whoever owns them;
 * - everything else is allowed.
 */
export class OwnersReadAppAccessPolicy implements PermissionPolicy {
  readonly #adminGroups: string[];

  constructor(
    private readonly userInfo: UserInfoService,
    options: { adminGroups?: string[] } = {},
  ) {
    this.#adminGroups = (options.adminGroups ?? []).map(g => g.toLowerCase());
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const deletesEntity = isPermission(
      request.permission,
      catalogEntityDeletePermission,
    );
    const deletesLocation = isPermission(
      request.permission,
      catalogLocationDeletePermission,
    );
    if (deletesEntity || deletesLocation) {
      if (!user) return { result: AuthorizeResult.DENY };
      const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
        user.credentials,
      );
      const claims = ownershipEntityRefs.map(ref => ref.toLowerCase());
      if (claims.some(ref => this.#adminGroups.includes(ref))) {
        return { result: AuthorizeResult.ALLOW };
      }
      if (deletesLocation) return { result: AuthorizeResult.DENY };
      return createCatalogConditionalDecision(
        catalogEntityDeletePermission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
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
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        const adminGroups =
          config.getOptionalStringArray('permission.adminGroups') ?? [];
        for (const group of adminGroups) {
          if (!/^group:[^/\s]+\/[^/\s]+$/.test(group)) {
            throw new Error(
              `permission.adminGroups must list full group entity refs such as group:default/portal-admins, got ${JSON.stringify(
                group,
              )}`,
            );
          }
        }
        policy.setPolicy(
          new OwnersReadAppAccessPolicy(userInfo, { adminGroups }),
        );
      },
    });
  },
});
