import {
  AccessChange,
  applyAccessChange,
  IamBinding,
  IamPolicy,
  readManagedAccess,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { CallOptions, GoogleCloudClient } from '../GoogleCloudClient';
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

/** The service's IAP policy (`projects/N/iap_web/cloud_run-R/services/S`), read at version 3. */
export async function readIapAccessPolicy(
  client: GoogleCloudClient,
  iapResource: string,
  options: CallOptions = {},
): Promise<IamPolicy> {
  return client.getIamPolicy({ kind: 'iap', resource: iapResource }, options);
}

/**
 * Writes the bindings over the policy read with `etag`: version 3 when any binding has a
 * condition, bindings without members dropped. Throws {@link IamPolicyChangedError} when the
 * policy changed since (nothing is written then); other failures are GoogleApiErrors.
 */
export async function writeIapAccessPolicy(
  client: GoogleCloudClient,
  iapResource: string,
  policy: { etag: string; bindings: readonly IamBinding[] },
  options: CallOptions = {},
): Promise<IamPolicy> {
  const bindings = policy.bindings.filter(b => b.members.length > 0);
  try {
    return await client.setIamPolicy(
      { kind: 'iap', resource: iapResource },
      {
        version: bindings.some(b => b.condition) ? 3 : 1,
        etag: policy.etag,
        bindings,
      },
      options,
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
 * concurrent change (see GoogleCloudClient.modifyIamPolicy). `mutate` gets the bindings read
 * and returns the bindings wanted.
 */
export function modifyIapAccessPolicy(
  client: GoogleCloudClient,
  iapResource: string,
  mutate: (bindings: IamBinding[]) => IamBinding[],
  options: CallOptions & { maxConflicts?: number } = {},
): Promise<{ policy: IamPolicy; changed: boolean }> {
  return client.modifyIamPolicy(
    { kind: 'iap', resource: iapResource },
    mutate,
    options,
  );
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
  policy: IamPolicy;
}> {
  const { changed, policy } = await client.modifyIamPolicy(
    { kind: 'iap', resource: iapResource },
    bindings => applyAccessChange(bindings, change),
    options,
  );
  return {
    changed,
    ...readManagedAccess(policy.bindings ?? []),
    policy,
  };
}
