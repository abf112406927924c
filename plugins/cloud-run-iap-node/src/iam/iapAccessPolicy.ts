import {
  AccessChange,
  applyAccessChange,
  IamBinding as AnalysisBinding,
  IamPolicy as AnalysisPolicy,
  readManagedAccess,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type {
  CallOptions,
  GoogleCloudClient,
  IamPolicy,
} from '../GoogleCloudClient';
import { describeGoogleError } from '../retry';

/*
 * The etag read-modify-write of a Cloud Run service's IAP policy, on the managed bindings of
 * `-common` (`iam/managedBindings`, `iam/timeBoundBindings`). Only managed bindings are ever
 * edited; every other binding is written back as it was read.
 */

/** The IAP policy changed between the read whose etag a write carried and the write (409 ABORTED). */
export class IamPolicyChangedError extends Error {
  override readonly name = 'IamPolicyChangedError';
  readonly resource: string;

  constructor(resource: string, cause?: unknown) {
    super(
      `The IAM policy of ${resource} changed since it was read (its etag no longer matches)`,
      cause === undefined ? undefined : { cause },
    );
    this.resource = resource;
  }
}

/** A policy in the analysis' shape: no nulls, every binding with a role and its members. */
export function toAnalysisPolicy(policy: IamPolicy): AnalysisPolicy {
  return {
    ...(typeof policy.version === 'number' ? { version: policy.version } : {}),
    ...(policy.etag ? { etag: policy.etag } : {}),
    bindings: (policy.bindings ?? []).map(binding => {
      const condition = binding.condition;
      return {
        role: binding.role ?? '',
        members: binding.members ?? [],
        ...(condition
          ? {
              condition: {
                expression: condition.expression ?? '',
                ...(condition.title ? { title: condition.title } : {}),
                ...(condition.description
                  ? { description: condition.description }
                  : {}),
                ...(condition.location ? { location: condition.location } : {}),
              },
            }
          : {}),
      };
    }),
  };
}

/** The service's IAP policy (`projects/N/iap_web/cloud_run-R/services/S`), read at version 3. */
export async function readIapAccessPolicy(
  client: GoogleCloudClient,
  iapResource: string,
  options: CallOptions = {},
): Promise<AnalysisPolicy> {
  return toAnalysisPolicy(
    await client.getIamPolicy({ kind: 'iap', resource: iapResource }, options),
  );
}

/**
 * Writes the bindings over the policy read with `etag`: version 3 when any binding has a
 * condition, bindings without members dropped. Throws {@link IamPolicyChangedError} when the
 * policy changed since (nothing is written then); other failures are GoogleApiErrors.
 */
export async function writeIapAccessPolicy(
  client: GoogleCloudClient,
  iapResource: string,
  policy: { etag: string; bindings: readonly AnalysisBinding[] },
  options: CallOptions = {},
): Promise<AnalysisPolicy> {
  const bindings = policy.bindings.filter(b => b.members.length > 0);
  try {
    return toAnalysisPolicy(
      await client.setIamPolicy(
        { kind: 'iap', resource: iapResource },
        {
          version: bindings.some(b => b.condition) ? 3 : 1,
          etag: policy.etag,
          bindings,
        },
        options,
      ),
    );
  } catch (error) {
    const { httpStatus, status } = describeGoogleError(error);
    if (httpStatus === 409 && status === 'ABORTED') {
      throw new IamPolicyChangedError(iapResource, error);
    }
    throw error;
  }
}

/**
 * Read-modify-write of the service's IAP policy with its etag, re-read and re-applied on a
 * concurrent change (see GoogleCloudClient.modifyIamPolicy). `mutate` gets the bindings in the
 * analysis' shape and returns the bindings wanted.
 */
export async function modifyIapAccessPolicy(
  client: GoogleCloudClient,
  iapResource: string,
  mutate: (bindings: AnalysisBinding[]) => AnalysisBinding[],
  options: CallOptions & { maxConflicts?: number } = {},
): Promise<{ policy: AnalysisPolicy; changed: boolean }> {
  const { policy, changed } = await client.modifyIamPolicy(
    { kind: 'iap', resource: iapResource },
    bindings => {
      const read = toAnalysisPolicy({ bindings }).bindings ?? [];
      const wanted = mutate(read);
      // Bindings mutate left alone go back exactly as Google sent them.
      return wanted.map(b => {
        const index = read.indexOf(b);
        return index >= 0 ? bindings[index] : b;
      });
    },
    options,
  );
  return { policy: toAnalysisPolicy(policy), changed };
}

/**
 * Applies an accessor change to the managed binding of the service's IAP policy; returns what
 * it now grants. Throws the ManagedBindingError of `-common` when the managed binding was
 * edited outside the portal, and GoogleApiErrors as the client raises them.
 */
export async function changeAccessors(
  client: GoogleCloudClient,
  iapResource: string,
  change: AccessChange,
  options: CallOptions = {},
): Promise<{
  changed: boolean;
  members: string[];
  levels: string[];
  policy: AnalysisPolicy;
}> {
  const { changed, policy } = await client.modifyIamPolicy(
    { kind: 'iap', resource: iapResource },
    bindings => applyAccessChange(bindings, change),
    options,
  );
  const analysis = toAnalysisPolicy(policy);
  return {
    changed,
    ...readManagedAccess(analysis.bindings ?? []),
    policy: analysis,
  };
}
