import {
  AccessPolicyLevels,
  IamPolicy,
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
import { describeForUser, isTransientGoogleError } from './googleErrors';

/** The organization's access policies as IAP sees them, with the perimeters that apply. */
export interface OrganizationAccessPolicies {
  /** The organization-level policy (no scopes): the only one whose levels IAP evaluates. */
  organizationPolicy: Sourced<AccessPolicyLevels>;
  scopedPolicies: Sourced<AccessPolicyLevels[]>;
  perimeters: Sourced<ServicePerimeter[]>;
}

/**
 * googleapis declares every field `T | null`; the JSON Google sends has the shapes `-common`
 * declares, so a response is passed on as that type.
 */
export function asCommon<T>(value: unknown): T {
  return value as T;
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
          this.#client
            .getIamPolicy({ kind: 'iap', resource }, { signal })
            .then(policy => asCommon<IamPolicy>(policy)),
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
          this.#client
            .getIamPolicy({ kind: 'resource-manager', resource }, { signal })
            .then(p => asCommon<IamPolicy>(p)),
        );
        return 'error' in policy
          ? { level, resource, error: policy.error }
          : { level, resource, policy };
      },
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
          policy: asCommon<AccessPolicyLevels['policy']>(policy),
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
        : { policy: p.policy, levels: asCommon(p.levels) };

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
          : withLevels.flatMap(p => asCommon<ServicePerimeter[]>(p.perimeters)),
    };
  }
}
