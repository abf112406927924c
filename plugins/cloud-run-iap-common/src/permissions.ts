import {
  BasicPermission,
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

// RESOURCE_TYPE_CATALOG_ENTITY lives in @backstage/plugin-catalog-common/alpha, not in
// @backstage/catalog-model, so the (stable) string is used to avoid another dependency.
const CATALOG_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/** Read who can access an entity's Cloud Run services: the report, simulation and review rows. */
export const cloudRunIapAccessReadPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'cloud-run-iap.access.read',
    attributes: { action: 'read' },
    resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
  });

/** Change who can access an entity's Cloud Run services from the portal. */
export const cloudRunIapAccessManagePermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'cloud-run-iap.access.manage',
    attributes: { action: 'update' },
    resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
  });

/**
 * List the access levels of a configured project's organization (`GET /access-levels`): what the
 * template form offers. A basic permission: the levels belong to the organization, not to an app.
 */
export const cloudRunIapAccessLevelsReadPermission: BasicPermission =
  createPermission({
    name: 'cloud-run-iap.access-levels.read',
    attributes: { action: 'read' },
  });

/** A permission of the Cloud Run IAP plugins: on a catalog entity, or basic. */
export type CloudRunIapPermission =
  | BasicPermission
  | ResourcePermission<'catalog-entity'>;

/** Every permission of the Cloud Run IAP plugins, for registration with the permission framework. */
export const cloudRunIapPermissions: CloudRunIapPermission[] = [
  cloudRunIapAccessReadPermission,
  cloudRunIapAccessManagePermission,
  cloudRunIapAccessLevelsReadPermission,
];
