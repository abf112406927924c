import { IamRole } from '../google/types';
import { IAP_ACCESSOR_ROLE } from '../google/resourceNames';
import { isSourceError, Sourced } from './sources';

/** The permission that lets a principal through IAP. */
export const IAP_ACCESS_PERMISSION = 'iap.webServiceVersions.accessViaIAP';

/** The permission Cloud Run's IAM check requires to call a service. */
export const RUN_INVOKE_PERMISSION = 'run.routes.invoke';

/** Predefined roles carrying `run.routes.invoke` (Google's IAM role reference). */
export const PREDEFINED_INVOKER_ROLES: readonly string[] = [
  'roles/run.invoker',
  'roles/run.servicesInvoker',
  'roles/run.admin',
  'roles/run.developer',
  'roles/editor',
  'roles/owner',
];

/** Predefined roles carrying `iap.webServiceVersions.accessViaIAP`. */
export const PREDEFINED_ACCESSOR_ROLES: readonly string[] = [IAP_ACCESSOR_ROLE];

/**
 * Tells which roles carry a permission: from the role definitions when the input holds them
 * (custom roles included; a deleted or `DISABLED` role grants nothing), else from the built-in list
 * of predefined roles.
 */
export class RoleCatalog {
  private readonly definitions: Record<string, Sourced<IamRole>>;

  constructor(
    roles: Sourced<Record<string, Sourced<IamRole>>> | undefined,
    private readonly extraAccessorRoles: readonly string[] = [],
  ) {
    this.definitions = roles && !isSourceError(roles) ? roles : {};
  }

  private definition(role: string): IamRole | undefined {
    const entry = this.definitions[role];
    return entry && !isSourceError(entry) ? entry : undefined;
  }

  private carries(
    role: string,
    permission: string,
    predefined: readonly string[],
  ): boolean {
    const definition = this.definition(role);
    if (definition) {
      if (definition.deleted || definition.stage === 'DISABLED') {
        return false;
      }
      return (definition.includedPermissions ?? []).includes(permission);
    }
    return predefined.includes(role);
  }

  /** The role lets its members through IAP. */
  grantsIapAccess(role: string): boolean {
    return (
      this.extraAccessorRoles.includes(role) ||
      this.carries(role, IAP_ACCESS_PERMISSION, PREDEFINED_ACCESSOR_ROLES)
    );
  }

  /** The role lets its members call the service through Cloud Run IAM. */
  grantsInvoke(role: string): boolean {
    return this.carries(role, RUN_INVOKE_PERMISSION, PREDEFINED_INVOKER_ROLES);
  }

  /** Custom roles (`projects/…/roles/…`, `organizations/…/roles/…`) whose definition is missing. */
  unknownCustomRoles(roles: Iterable<string>): string[] {
    return [...new Set(roles)].filter(
      role => !role.startsWith('roles/') && !this.definition(role),
    );
  }
}
