import { createHash } from 'node:crypto';
import { badRequest, GoogleApiError, permissionDenied } from '../errors';
import { path, RequestContext, Route } from '../http/routes';
import type { Project } from '../world';

const IAM = '//iam.googleapis.com';
const ACCOUNT_ID = /^[a-z]([-a-z0-9]*[a-z0-9])$/;

/** A service account as the fake keeps it. */
export interface StoredServiceAccount {
  projectId: string;
  accountId: string;
  displayName?: string;
  description?: string;
  disabled: boolean;
  uniqueId: string;
}

export function serviceAccountEmail(projectId: string, accountId: string) {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`;
}

/** 21 digits, stable for an email (Google's unique ids are 21 digits starting with 1). */
function uniqueIdOf(email: string): string {
  const digits = BigInt(
    `0x${createHash('sha256')
      .update(`sa:${email}`)
      .digest('hex')
      .slice(0, 16)}`,
  )
    .toString()
    .padStart(20, '0');
  return `1${digits}`.slice(0, 21);
}

/** The service accounts of every project, keyed by email. */
export class ServiceAccountStore {
  readonly #accounts = new Map<string, StoredServiceAccount>();

  clear() {
    this.#accounts.clear();
  }

  add(
    project: Project,
    account: Pick<
      StoredServiceAccount,
      'accountId' | 'displayName' | 'description'
    > & { disabled?: boolean },
  ): StoredServiceAccount {
    const email = serviceAccountEmail(project.id, account.accountId);
    const stored: StoredServiceAccount = {
      projectId: project.id,
      accountId: account.accountId,
      ...(account.displayName ? { displayName: account.displayName } : {}),
      ...(account.description ? { description: account.description } : {}),
      disabled: account.disabled ?? false,
      uniqueId: uniqueIdOf(email),
    };
    this.#accounts.set(email, stored);
    return stored;
  }

  /** By email or unique id; within a project unless `projectId` is undefined (the `-` wildcard). */
  find(
    projectId: string | undefined,
    emailOrUniqueId: string,
  ): StoredServiceAccount | undefined {
    const key = emailOrUniqueId.toLowerCase();
    const found =
      this.#accounts.get(key) ??
      [...this.#accounts.values()].find(a => a.uniqueId === key);
    if (!found) return undefined;
    return projectId === undefined || found.projectId === projectId
      ? found
      : undefined;
  }

  dump() {
    return [...this.#accounts.values()].map(renderServiceAccount);
  }
}

/** The IAM v1 ServiceAccount resource. */
export function renderServiceAccount(a: StoredServiceAccount) {
  const email = serviceAccountEmail(a.projectId, a.accountId);
  return {
    name: `projects/${a.projectId}/serviceAccounts/${email}`,
    projectId: a.projectId,
    uniqueId: a.uniqueId,
    email,
    ...(a.displayName ? { displayName: a.displayName } : {}),
    ...(a.description ? { description: a.description } : {}),
    etag: 'MDEwMjE5MjA=',
    oauth2ClientId: a.uniqueId,
    ...(a.disabled ? { disabled: true } : {}),
  };
}

function projectOr403(
  ctx: RequestContext,
  permission: string,
  resource: string,
): Project {
  const project = ctx.world.findProject(ctx.params[0]);
  if (!project) {
    throw permissionDenied(permission, `${IAM}/${resource}`);
  }
  return project;
}

function checkLength(field: string, value: unknown, max: number) {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Invalid value at 'service_account.${field}' (TYPE_STRING)`,
      [badRequest(`service_account.${field}`, 'must be a string')],
    );
  }
  if (Buffer.byteLength(value) > max) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `ServiceAccount ${field} must be at most ${max} bytes.`,
      [badRequest(`service_account.${field}`, `at most ${max} bytes`)],
    );
  }
}

/** IAM API v1: service accounts create and get. */
export const iamServiceAccountRoutes: Route[] = [
  {
    httpMethod: 'POST',
    pattern: path('/v1/projects/{}/serviceAccounts'),
    methodId: 'iam.projects.serviceAccounts.create',
    write: true,
    handle(ctx) {
      const project = projectOr403(
        ctx,
        'iam.serviceAccounts.create',
        `projects/${ctx.params[0]}`,
      );
      const accountId = ctx.body?.accountId;
      if (typeof accountId !== 'string' || accountId === '') {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          'Request is missing required field: account_id.',
          [badRequest('account_id', 'required')],
        );
      }
      if (
        accountId.length < 6 ||
        accountId.length > 30 ||
        !ACCOUNT_ID.test(accountId)
      ) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `Invalid account ID '${accountId}': it must be 6 to 30 characters long and match the regular expression [a-z]([-a-z0-9]*[a-z0-9]).`,
          [
            badRequest(
              'account_id',
              '6-30 characters matching [a-z]([-a-z0-9]*[a-z0-9])',
            ),
          ],
        );
      }
      const requested = ctx.body?.serviceAccount ?? {};
      checkLength('display_name', requested.displayName, 100);
      checkLength('description', requested.description, 256);
      const email = serviceAccountEmail(project.id, accountId);
      if (ctx.world.serviceAccounts.find(project.id, email)) {
        throw new GoogleApiError(
          'ALREADY_EXISTS',
          `Service account ${accountId} already exists within project projects/${project.id}.`,
          [
            {
              '@type': 'type.googleapis.com/google.rpc.ResourceInfo',
              resourceName: `projects/${project.id}/serviceAccounts/${email}`,
            },
          ],
        );
      }
      return renderServiceAccount(
        ctx.world.serviceAccounts.add(project, {
          accountId,
          displayName: requested.displayName ?? undefined,
          description: requested.description ?? undefined,
        }),
      );
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/projects/{}/serviceAccounts/{}'),
    methodId: 'iam.projects.serviceAccounts.get',
    handle(ctx) {
      const [projectSegment, account] = ctx.params;
      const resource = `projects/${projectSegment}/serviceAccounts/${account}`;
      if (projectSegment === '-') {
        // The wildcard hides whether the account exists: 403 rather than 404.
        const found = ctx.world.serviceAccounts.find(undefined, account);
        if (!found) {
          throw permissionDenied(
            'iam.serviceAccounts.get',
            `${IAM}/${resource}`,
          );
        }
        return renderServiceAccount(found);
      }
      const project = projectOr403(ctx, 'iam.serviceAccounts.get', resource);
      const found = ctx.world.serviceAccounts.find(project.id, account);
      if (!found) {
        throw new GoogleApiError('NOT_FOUND', `Unknown service account`);
      }
      return renderServiceAccount(found);
    },
  },
];
