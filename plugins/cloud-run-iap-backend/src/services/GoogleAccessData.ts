import {
  AccessPolicyLevels,
  GroupExpansion,
  IamPolicy,
  IamRole,
  IapSettings,
  OrgPolicy,
  ResourcePolicyInput,
  ServicePerimeter,
  Sourced,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  CallOptions,
  GoogleCloudClient,
  ResolvedProject,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { CachedLoader } from './CachedLoader';
import {
  describeForUser,
  googleHttpStatus,
  isTransientGoogleError,
} from './googleErrors';

/** Role definitions change rarely: they are kept far longer than the access data. */
export const ROLE_TTL_MS = 6 * 60 * 60 * 1000;

/** A group with more members than this is listed up to it and marked truncated. */
export const MAX_GROUP_MEMBERS = 5000;

/** The organization's access policies as IAP sees them, with the perimeters that apply. */
export interface OrganizationAccessPolicies {
  /** The organization-level policy (no scopes): the only one whose levels IAP evaluates. */
  organizationPolicy: Sourced<AccessPolicyLevels>;
  scopedPolicies: Sourced<AccessPolicyLevels[]>;
  perimeters: Sourced<ServicePerimeter[]>;
}

/**
 * A read that may fail for good (403, 404, 400: the portal may not read it) becomes `{ error }`
 * and degrades its part of the report; a transient failure (Google down) is thrown so the whole
 * report can fall back to a cached copy.
 */
export async function sourced<T>(read: Promise<T>): Promise<Sourced<T>> {
  try {
    return await read;
  } catch (error) {
    if (isTransientGoogleError(error)) throw error;
    return { error: describeForUser(error) };
  }
}

/**
 * Google data shared by many services, each fetched once per TTL however many services,
 * entities or concurrent requests need it: project metadata, the organization's access
 * policies and levels, perimeters, and the IAP and IAM policies above the service.
 */
export class GoogleAccessData {
  readonly #client: GoogleCloudClient;
  readonly #loader: CachedLoader;

  static create(options: { client: GoogleCloudClient; loader: CachedLoader }) {
    return new GoogleAccessData(options.client, options.loader);
  }

  private constructor(client: GoogleCloudClient, loader: CachedLoader) {
    this.#client = client;
    this.#loader = loader;
  }

  async project(
    projectId: string,
    options: CallOptions = {},
  ): Promise<ResolvedProject> {
    const loaded = await this.#loader.load(
      `project:v1:${projectId}`,
      signal => this.#client.resolveProject(projectId, { signal }),
      options,
    );
    return loaded.value;
  }

  async iapPolicy(
    resource: string,
    options: CallOptions = {},
  ): Promise<Sourced<IamPolicy>> {
    const loaded = await this.#loader.load(
      `iap-policy:v1:${resource}`,
      signal =>
        sourced(
          this.#client.getIamPolicy({ kind: 'iap', resource }, { signal }),
        ),
      options,
    );
    return loaded.value;
  }

  async resourcePolicy(
    level: ResourcePolicyInput['level'],
    resource: string,
    options: CallOptions = {},
  ): Promise<ResourcePolicyInput> {
    const loaded = await this.#loader.load(
      `iam-policy:v1:${resource}`,
      async (signal): Promise<ResourcePolicyInput> => {
        const policy = await sourced(
          this.#client.getIamPolicy(
            { kind: 'resource-manager', resource },
            { signal },
          ),
        );
        return 'error' in policy
          ? { level, resource, error: policy.error }
          : { level, resource, policy };
      },
      options,
    );
    return loaded.value;
  }

  /**
   * A role's definition. A custom role that does not exist grants nothing; a predefined role
   * Google does not answer for is left to the analysis' own list of predefined roles.
   */
  async role(
    name: string,
    options: CallOptions = {},
  ): Promise<Sourced<IamRole> | undefined> {
    const loaded = await this.#loader.load(
      `iam-role:v1:${name}`,
      async (signal): Promise<Sourced<IamRole> | { unknown: true }> => {
        const role = await sourced(this.#client.getRole(name, { signal }));
        if (role !== undefined) return role;
        return name.startsWith('roles/')
          ? { unknown: true }
          : { name, includedPermissions: [], deleted: true };
      },
      {
        ...options,
        expiry: () => ({ ttlMs: ROLE_TTL_MS, serveStale: true }),
      },
    );
    return 'unknown' in loaded.value ? undefined : loaded.value;
  }

  /**
   * A group's transitive members. `{ error }` when the Groups API is not permitted (403), which
   * the analysis turns into one source note and the per-member view.
   */
  async groupExpansion(
    email: string,
    options: CallOptions = {},
  ): Promise<Sourced<GroupExpansion>> {
    const groupKey = email.toLowerCase();
    const loaded = await this.#loader.load(
      `group-members:v1:${groupKey}`,
      async (signal): Promise<Sourced<GroupExpansion>> => {
        try {
          const name = await this.#client.lookupGroup(groupKey, { signal });
          const { members, truncated } =
            await this.#client.searchTransitiveMemberships(name, {
              signal,
              maxMembers: MAX_GROUP_MEMBERS,
            });
          return {
            groupKey,
            name,
            members,
            ...(truncated ? { truncated } : {}),
          };
        } catch (error) {
          if (isTransientGoogleError(error)) throw error;
          return { error: describeForUser(error) };
        }
      },
      options,
    );
    return loaded.value;
  }

  /** IAP settings of one level (organization, folder, project, iap_web, region). */
  async iapSettings(
    resource: string,
    options: CallOptions = {},
  ): Promise<Sourced<IapSettings>> {
    const loaded = await this.#loader.load(
      `iap-settings:v1:${resource}`,
      signal => readIapSettings(this.#client, resource, signal),
      options,
    );
    return loaded.value;
  }

  /** A project's effective Org Policy for one constraint. */
  async effectiveOrgPolicy(
    projectId: string,
    constraint: string,
    options: CallOptions = {},
  ): Promise<Sourced<OrgPolicy>> {
    const loaded = await this.#loader.load(
      `org-policy:v1:${projectId}:${constraint}`,
      signal =>
        sourced(
          this.#client.getEffectiveOrgPolicy(projectId, constraint, { signal }),
        ),
      options,
    );
    return loaded.value;
  }

  async organizationAccessPolicies(
    organizationId: string | undefined,
    options: CallOptions = {},
  ): Promise<OrganizationAccessPolicies> {
    if (!organizationId) {
      const error = { error: 'the project belongs to no organization' };
      return {
        organizationPolicy: error,
        scopedPolicies: error,
        perimeters: error,
      };
    }
    const loaded = await this.#loader.load(
      `access-policies:v1:${organizationId}`,
      signal => this.#loadAccessPolicies(organizationId, signal),
      options,
    );
    return loaded.value;
  }

  async #loadAccessPolicies(
    organizationId: string,
    signal: AbortSignal,
  ): Promise<OrganizationAccessPolicies> {
    const policies = await sourced(
      this.#client.listAccessPolicies(organizationId, { signal }),
    );
    if ('error' in policies) {
      return {
        organizationPolicy: policies,
        scopedPolicies: policies,
        perimeters: policies,
      };
    }
    const withLevels = await Promise.all(
      policies.map(async policy => {
        const [levels, perimeters] = await Promise.all([
          sourced(this.#client.listAccessLevels(policy.name!, { signal })),
          sourced(this.#client.listServicePerimeters(policy.name!, { signal })),
        ]);
        return {
          policy,
          levels,
          perimeters,
        };
      }),
    );
    const organizationLevel = withLevels.find(
      p => (p.policy.scopes ?? []).length === 0,
    );
    const scoped = withLevels.filter(p => p !== organizationLevel);

    const levelsOf = (
      p: (typeof withLevels)[number],
    ): Sourced<AccessPolicyLevels> =>
      'error' in p.levels
        ? { error: `access levels of ${p.policy.name}: ${p.levels.error}` }
        : { policy: p.policy, levels: p.levels };

    const scopedLevels = scoped.map(levelsOf);
    const scopedError = scopedLevels.find(p => 'error' in p);
    const perimeterError = withLevels.find(p => 'error' in p.perimeters);
    return {
      organizationPolicy: organizationLevel
        ? levelsOf(organizationLevel)
        : {
            error: `organizations/${organizationId} has no organization-level access policy`,
          },
      scopedPolicies: scopedError
        ? (scopedError as { error: string })
        : (scopedLevels as AccessPolicyLevels[]),
      perimeters:
        perimeterError && 'error' in perimeterError.perimeters
          ? perimeterError.perimeters
          : withLevels.flatMap(p =>
              'error' in p.perimeters ? [] : p.perimeters,
            ),
    };
  }
}

/**
 * IAP settings of one resource. Google answers 404 where nothing was ever set at a level: that
 * level then sets nothing, it is not an unreadable source.
 */
export async function readIapSettings(
  client: GoogleCloudClient,
  resource: string,
  signal?: AbortSignal,
): Promise<Sourced<IapSettings>> {
  try {
    return await client.getIapSettings(resource, { signal });
  } catch (error) {
    if (isTransientGoogleError(error)) throw error;
    if (googleHttpStatus(error) === 404) return { name: resource };
    return { error: describeForUser(error) };
  }
}
