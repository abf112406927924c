import { ConflictError } from '@backstage/errors';
import {
  describeGoogleError,
  GoogleCloudClient,
  isRetryable,
  retryDelayMs,
  ServiceAccount,
  sleep,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { createHash } from 'node:crypto';
import { googleFailure } from './googleErrors';
import type { ServiceTarget } from './validation';

/*
 * Each new app runs as its own service account, made by the create action, so a template user
 * cannot run their image as another app's identity. An existing account is only allowed when
 * config lists it for the project.
 */

const ACCOUNT_ID_PREFIX = 'app-';

/**
 * The runtime account id of a service: `app-<service id>`, or, when that is outside IAM's 6-30
 * characters, `app-<first 19 characters>-<6 hex digits of the service id's sha256>`.
 */
export function runtimeAccountId(serviceId: string): string {
  const plain = `${ACCOUNT_ID_PREFIX}${serviceId}`;
  if (plain.length >= 6 && plain.length <= 30) return plain;
  const digest = createHash('sha256').update(serviceId).digest('hex');
  const head = serviceId.slice(0, 19).replace(/-+$/, '');
  return `${ACCOUNT_ID_PREFIX}${head}-${digest.slice(0, 6)}`;
}

export function runtimeAccountEmail(target: ServiceTarget): string {
  return `${runtimeAccountId(target.serviceId)}@${
    target.projectId
  }.iam.gserviceaccount.com`;
}

/**
 * What the action writes on the account it creates. The description is also the proof, on a
 * rerun, that an existing account with this id is the one made for this service and owner.
 */
export function runtimeAccountDefinition(
  target: ServiceTarget,
  entityRef: string,
  ownerGroup: string,
) {
  const name = entityRef.slice(entityRef.indexOf('/') + 1);
  return {
    displayName: `${name} (Backstage app)`.slice(0, 100),
    description:
      `Runtime identity of ${target.name}, created by Backstage for ${entityRef} (owner ${ownerGroup})`.slice(
        0,
        256,
      ),
  };
}

/** Why a configured account may not be used by the app, or undefined. */
export function configuredAccountProblem(
  email: string,
  project: { id: string; serviceAccounts: readonly string[] } | undefined,
): string | undefined {
  if (!project) return undefined;
  if (project.serviceAccounts.includes(email.toLowerCase())) return undefined;
  return `is not listed for project ${project.id} in cloudRunIap.projects[].serviceAccounts (${project.serviceAccounts.length} listed): an app may only run as an existing account the platform team allowed; leave serviceAccount out and the action creates the app's own account`;
}

/** The runtime account as it is now, refusing one with our id that was not made for this app. */
export async function inspectRuntimeAccount(
  client: GoogleCloudClient,
  target: ServiceTarget,
  definition: { description: string },
  signal?: AbortSignal,
): Promise<ServiceAccount | undefined> {
  const email = runtimeAccountEmail(target);
  const account = await client
    .getServiceAccount(target.projectId, email, { signal })
    .catch(error => {
      throw googleFailure(
        `Reading the runtime service account ${runtimeAccountId(
          target.serviceId,
        )} of ${target.projectId}`,
        error,
      );
    });
  if (account && account.description !== definition.description) {
    throw new ConflictError(
      `serviceAccount: the account id ${runtimeAccountId(
        target.serviceId,
      )} in ${
        target.projectId
      } is taken by an account that was not created by this portal for ${
        target.name
      } and its owner (its description differs); choose another serviceId`,
    );
  }
  if (account?.disabled) {
    throw new ConflictError(
      `serviceAccount: the runtime account ${runtimeAccountId(
        target.serviceId,
      )} of ${
        target.projectId
      } is disabled; enable it or delete it before running the action again`,
    );
  }
  return account;
}

/**
 * Creates the runtime account unless it exists. A create is not repeated blindly: after a
 * 409, 429 or 5xx (whose answer may have been lost) the account is read again, and used when
 * the lost create did make it (its description names this service, entity and owner; one
 * with another description is refused). It is tried as often as the client retries a call.
 */
export async function ensureRuntimeAccount(
  client: GoogleCloudClient,
  target: ServiceTarget,
  definition: { displayName: string; description: string },
  signal?: AbortSignal,
): Promise<{ email: string; created: boolean }> {
  const email = runtimeAccountEmail(target);
  const accountId = runtimeAccountId(target.serviceId);
  const retry = client.retryTuning;
  for (let attempt = 1; ; attempt++) {
    const existing = await inspectRuntimeAccount(
      client,
      target,
      definition,
      signal,
    );
    if (existing) return { email, created: attempt > 1 };
    try {
      await client.createServiceAccount(
        target.projectId,
        accountId,
        definition,
        { signal },
      );
      return { email, created: true };
    } catch (error) {
      const { httpStatus } = describeGoogleError(error);
      const readAgain = httpStatus === 409 || isRetryable(error);
      if (!readAgain || attempt >= retry.attempts) {
        throw googleFailure(
          `Creating the runtime service account ${accountId} in ${target.projectId}`,
          error,
        );
      }
      if (httpStatus !== 409) {
        await sleep(retryDelayMs(attempt, retry), signal);
      }
    }
  }
}
