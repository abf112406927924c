import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AccessLevel,
  AccessPolicy,
  GroupMemberRelation,
  IamBinding,
  IamPolicy,
  IamRole,
  IapSettings,
  IapSettingsLevel,
  OrgPolicy,
  ServicePerimeter,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { Config } from '@backstage/config';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import {
  accesscontextmanager_v1,
  cloudidentity_v1,
  cloudresourcemanager_v3,
  google,
  iam_v1,
  iap_v1,
  orgpolicy_v2,
  run_v2,
  secretmanager_v1,
  serviceusage_v1beta1,
} from 'googleapis';
import { createGoogleAuth } from './auth';
import { ConcurrencyLimiter } from './concurrency';
import { CloudRunIapConfig, readCloudRunIapConfig } from './config';
import { GoogleApiError } from './errors';
import {
  accessLevelFromGoogle,
  accessPolicyFromGoogle,
  groupMemberFromGoogle,
  iamPolicyFromGoogle,
  iamRoleFromGoogle,
  iapSettingsFromGoogle,
  orgPolicyFromGoogle,
  servicePerimeterFromGoogle,
  WithoutNulls,
  withoutNulls,
} from './googleToCommon';
import { abortError, describeGoogleError, sleep, withRetries } from './retry';

/**
 * A Cloud Run service as Google sends it, every field of the resource (the actions write it
 * back); `-common`'s `RunService`, the part the analysis reads, is assignable from it.
 */
export type RunService = WithoutNulls<run_v2.Schema$GoogleCloudRunV2Service>;
export type Operation = run_v2.Schema$GoogleLongrunningOperation;
export type ServiceAccount = iam_v1.Schema$ServiceAccount;
export type Secret = secretmanager_v1.Schema$Secret;

/** The transitive members of a group, up to the bound asked for. */
export interface TransitiveMemberships {
  members: GroupMemberRelation[];
  /** More members exist than were read: the count is a lower bound. */
  truncated: boolean;
}

/** Where a project sits and what identifies it. */
export interface ResolvedProject {
  projectId: string;
  projectNumber: string;
  /** Ancestors, nearest first: `folders/…`, then `organizations/…`. */
  ancestry: string[];
  organizationId?: string;
  /** The organisation's primary domain, when the organisation is readable. */
  organizationDomain?: string;
}

/** An IAM policy holder: a Cloud Run service, an IAP resource, or a project/folder/org. */
export type IamTarget =
  | { kind: 'run'; name: string }
  | { kind: 'iap'; resource: string }
  | { kind: 'resource-manager'; resource: string };

export interface CallOptions {
  /** Abandons the call: a queued call leaves the queue, a running one is aborted. */
  signal?: AbortSignal;
}

/** What `call` hands each googleapis method, as its second argument. */
export interface GoogleRequestOptions {
  signal: AbortSignal;
}

/** The read pool and the write pool a client's calls wait in. */
export interface GoogleCallPools {
  read: ConcurrencyLimiter;
  write: ConcurrencyLimiter;
}

export interface RetryTuning {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** One attempt of a Google call, as it ended (for metrics). */
export interface GoogleCallRecord {
  /** The API method, without the resource it was about: `services.get`, `getIamPolicy`… */
  method: string;
  /**
   * `OK`; else Google's canonical status (`PERMISSION_DENIED`…), else the HTTP status, else
   * `timeout`, `network`, or `aborted` when the caller stopped waiting.
   */
  status: string;
  /** How long the attempt took, queueing in the pools left out. */
  durationMs: number;
}

export interface GoogleCloudClientOptions {
  config: CloudRunIapConfig;
  logger: LoggerService;
  /** Shared with other clients by `GoogleCloudService`; new pools when absent. */
  pools?: GoogleCallPools;
  /** Shared with other clients, so tokens are cached once; built from config when absent. */
  auth?: OAuth2Client | GoogleAuth;
  retry?: Partial<RetryTuning>;
  /** Told of every attempt of every call (retries included) as it ends. */
  onCall?: (record: GoogleCallRecord) => void;
}

function callStatusOf(error: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return 'aborted';
  if (!(error instanceof GoogleApiError)) return 'error';
  if (error.status) return error.status;
  if (error.httpStatus !== undefined) return String(error.httpStatus);
  return error.reason ?? 'error';
}

function formatDuration(ms: number) {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** `projects/{number}/iap_web/cloud_run-{region}/services/{service}` and the levels above it. */
export function iapResourceName(
  projectNumber: string,
  region?: string,
  serviceId?: string,
) {
  let name = `projects/${projectNumber}/iap_web`;
  if (region) name += `/cloud_run-${region}`;
  if (serviceId) name += `/services/${serviceId}`;
  return name;
}

/**
 * Every resource IAP takes settings from for a Cloud Run service, highest first: the
 * organisation, the folders (farthest first), the project, `iap_web`, the region and the service.
 */
export function iapSettingsResources(
  project: Pick<ResolvedProject, 'projectNumber' | 'ancestry'>,
  region: string,
  serviceId: string,
): Array<{ level: IapSettingsLevel; resource: string }> {
  const above = [...project.ancestry].reverse().map(resource => ({
    level: (resource.startsWith('folders/')
      ? 'folder'
      : 'organization') as IapSettingsLevel,
    resource,
  }));
  const n = project.projectNumber;
  return [
    ...above,
    { level: 'project', resource: `projects/${n}` },
    { level: 'iap_web', resource: iapResourceName(n) },
    { level: 'region', resource: iapResourceName(n, region) },
    { level: 'service', resource: iapResourceName(n, region, serviceId) },
  ];
}

export function iapServiceAgent(projectNumber: string) {
  return `serviceAccount:service-${projectNumber}@gcp-sa-iap.iam.gserviceaccount.com`;
}

function samePolicy(a: IamBinding[] = [], b: IamBinding[] = []) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The same grants, whatever the order of bindings and members. */
function sameBindings(a: IamBinding[], b: IamBinding[]) {
  const canonical = (bindings: IamBinding[]) =>
    bindings
      .map(x =>
        JSON.stringify([
          x.role,
          x.condition ?? null,
          [...(x.members ?? [])].sort(),
        ]),
      )
      .sort()
      .join('\n');
  return canonical(a) === canonical(b);
}

/**
 * The only code that talks to Google: builds every googleapis client from `cloudRunIap.google`
 * and wraps the calls the plugins need with retries, a shared concurrency limit, etag-safe
 * IAM read-modify-write and operation polling.
 */
export class GoogleCloudClient {
  readonly config: CloudRunIapConfig;
  readonly #logger: LoggerService;
  readonly #pools: GoogleCallPools;
  readonly #run: run_v2.Run;
  readonly #iap: iap_v1.Iap;
  readonly #acm: accesscontextmanager_v1.Accesscontextmanager;
  readonly #crm: cloudresourcemanager_v3.Cloudresourcemanager;
  readonly #serviceUsage: serviceusage_v1beta1.Serviceusage;
  readonly #iam: iam_v1.Iam;
  readonly #secretManager: secretmanager_v1.Secretmanager;
  readonly #cloudIdentity: cloudidentity_v1.Cloudidentity;
  readonly #orgPolicy: orgpolicy_v2.Orgpolicy;
  readonly #onCall?: (record: GoogleCallRecord) => void;
  readonly #retry: RetryTuning = {
    attempts: 5,
    baseDelayMs: 200,
    maxDelayMs: 5_000,
  };

  /**
   * A client with pools of its own. In a backend, take clients from
   * `cloudRunIapGoogleServiceRef` instead: they share one read and one write pool.
   */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService; retry?: Partial<RetryTuning> },
  ): GoogleCloudClient {
    return new GoogleCloudClient({
      config: readCloudRunIapConfig(config),
      ...options,
    });
  }

  constructor(options: GoogleCloudClientOptions) {
    const { config } = options;
    this.config = config;
    this.#logger = options.logger;
    this.#pools = options.pools ?? {
      read: new ConcurrencyLimiter(config.concurrency),
      write: new ConcurrencyLimiter(config.writeConcurrency),
    };
    Object.assign(this.#retry, options.retry);
    this.#onCall = options.onCall;

    const common = {
      auth: options.auth ?? createGoogleAuth(config.google),
      // Our own retries (withRetries) decide what is safe to repeat.
      retry: false,
      // Node's fetch, rather than gaxios importing node-fetch at run time.
      fetchImplementation: fetch,
      ...(config.google.endpoint
        ? { rootUrl: `${config.google.endpoint}/` }
        : {}),
    };
    this.#run = google.run({ version: 'v2', ...common });
    this.#iap = google.iap({ version: 'v1', ...common });
    this.#acm = google.accesscontextmanager({ version: 'v1', ...common });
    this.#crm = google.cloudresourcemanager({ version: 'v3', ...common });
    this.#serviceUsage = google.serviceusage({ version: 'v1beta1', ...common });
    this.#iam = google.iam({ version: 'v1', ...common });
    this.#secretManager = google.secretmanager({ version: 'v1', ...common });
    this.#cloudIdentity = google.cloudidentity({ version: 'v1', ...common });
    this.#orgPolicy = google.orgpolicy({ version: 'v2', ...common });
  }

  /**
   * The retries of this client's idempotent calls. Callers that make a create safe by reading
   * first (a create is never repeated blindly) try as often, with the same backoff.
   */
  get retryTuning(): Readonly<RetryTuning> {
    return { ...this.#retry };
  }

  /**
   * Runs a call in the read pool, or in the write pool when it writes (`write`, default: not
   * idempotent), each attempt within `cloudRunIap.google.timeout`, with retries when it is
   * safe to repeat. Pass `fn`'s argument on to the googleapis method, so a timeout or an
   * abort cancels the request itself. Rejects with a {@link GoogleApiError}, or with the
   * abort reason when `signal` aborts.
   */
  private call<T>(
    description: string,
    fn: (request: GoogleRequestOptions) => Promise<{ data: T }>,
    options: CallOptions & {
      idempotent: boolean;
      write?: boolean;
      alsoRetry?: (e: GoogleApiError) => boolean;
    },
  ): Promise<T> {
    const write = options.write ?? !options.idempotent;
    const pool = write ? this.#pools.write : this.#pools.read;
    const once = () =>
      pool.run(() => this.attempt(description, fn, options.signal), {
        signal: options.signal,
      });
    if (!options.idempotent) return once();
    const { alsoRetry } = options;
    return withRetries(once, {
      ...this.#retry,
      description,
      logger: this.#logger,
      signal: options.signal,
      alsoRetry: alsoRetry
        ? e => e instanceof GoogleApiError && alsoRetry(e)
        : undefined,
    });
  }

  private async attempt<T>(
    description: string,
    fn: (request: GoogleRequestOptions) => Promise<{ data: T }>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const timeoutMs = this.config.google.timeoutMs;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    // Settles the race even when a method ignores the signal it was given.
    const stopped = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(), {
        once: true,
      });
    });
    const started = performance.now();
    let status = 'OK';
    try {
      const response = await Promise.race([
        fn({ signal: controller.signal }),
        stopped,
      ]);
      return response.data;
    } catch (error) {
      let failure: unknown;
      if (signal?.aborted) {
        failure = abortError(signal);
      } else if (controller.signal.aborted) {
        failure = new GoogleApiError({
          method: description,
          reason: 'timeout',
          message: `${description} got no answer within ${formatDuration(
            timeoutMs,
          )} (cloudRunIap.google.timeout)`,
        });
      } else {
        failure = GoogleApiError.from(error, description);
      }
      status = callStatusOf(failure, signal);
      throw failure;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#onCall?.({
        method: description.split(' ')[0],
        status,
        durationMs: performance.now() - started,
      });
    }
  }

  // Resource Manager

  async resolveProject(
    projectIdOrNumber: string,
    options: CallOptions = {},
  ): Promise<ResolvedProject> {
    const project = await this.call(
      `projects.get ${projectIdOrNumber}`,
      o => this.#crm.projects.get({ name: `projects/${projectIdOrNumber}` }, o),
      { ...options, idempotent: true },
    );
    const ancestry: string[] = [];
    let parent = project.parent ?? undefined;
    while (parent?.startsWith('folders/')) {
      ancestry.push(parent);
      const name: string = parent;
      const folder = await this.call(
        `folders.get ${name}`,
        o => this.#crm.folders.get({ name }, o),
        { ...options, idempotent: true },
      );
      parent = folder.parent ?? undefined;
    }
    let organizationDomain: string | undefined;
    if (parent?.startsWith('organizations/')) {
      ancestry.push(parent);
      const name = parent;
      try {
        const org = await this.call(
          `organizations.get ${name}`,
          o => this.#crm.organizations.get({ name }, o),
          { ...options, idempotent: true },
        );
        organizationDomain = org.displayName ?? undefined;
      } catch (error) {
        if (describeGoogleError(error).httpStatus !== 403) throw error;
      }
    }
    return {
      projectId: project.projectId!,
      projectNumber: project.name!.slice('projects/'.length),
      ancestry,
      organizationId: parent?.startsWith('organizations/')
        ? parent.slice('organizations/'.length)
        : undefined,
      organizationDomain,
    };
  }

  // Service Usage

  /** Makes sure the IAP service agent exists; returns its member string. */
  async ensureIapServiceAgent(
    projectNumber: string,
    options: CallOptions = {},
  ): Promise<string> {
    const op = await this.call(
      `generateServiceIdentity iap.googleapis.com in ${projectNumber}`,
      o =>
        this.#serviceUsage.services.generateServiceIdentity(
          {
            parent: `projects/${projectNumber}/services/iap.googleapis.com`,
          },
          o,
        ),
      { ...options, idempotent: true, write: true },
    );
    const email = (op.response as { email?: string } | undefined)?.email;
    return email ? `serviceAccount:${email}` : iapServiceAgent(projectNumber);
  }

  // IAM service accounts

  /** The service account `email` of the project, or undefined when there is none. */
  async getServiceAccount(
    projectId: string,
    email: string,
    options: CallOptions = {},
  ): Promise<ServiceAccount | undefined> {
    try {
      return await this.call(
        `serviceAccounts.get ${email.split('@')[0]} in ${projectId}`,
        o =>
          this.#iam.projects.serviceAccounts.get(
            { name: `projects/${projectId}/serviceAccounts/${email}` },
            o,
          ),
        { ...options, idempotent: true },
      );
    } catch (error) {
      if (describeGoogleError(error).httpStatus === 404) return undefined;
      throw error;
    }
  }

  /**
   * Creates a service account. Not retried: a create that reached Google answers 409
   * ALREADY_EXISTS when repeated; callers read first (`getServiceAccount`) instead.
   */
  createServiceAccount(
    projectId: string,
    accountId: string,
    account: { displayName?: string; description?: string },
    options: CallOptions = {},
  ): Promise<ServiceAccount> {
    return this.call(
      `serviceAccounts.create ${accountId} in ${projectId}`,
      o =>
        this.#iam.projects.serviceAccounts.create(
          {
            name: `projects/${projectId}`,
            requestBody: { accountId, serviceAccount: account },
          },
          o,
        ),
      { ...options, idempotent: false },
    );
  }

  // Secret Manager

  /** A secret's metadata (`projects/P/secrets/S`), or undefined when it does not exist. */
  async getSecret(
    name: string,
    options: CallOptions = {},
  ): Promise<Secret | undefined> {
    try {
      return await this.call(
        `secrets.get ${name}`,
        o => this.#secretManager.projects.secrets.get({ name }, o),
        { ...options, idempotent: true },
      );
    } catch (error) {
      if (describeGoogleError(error).httpStatus === 404) return undefined;
      throw error;
    }
  }

  // Cloud Run

  /** The service, or undefined when it does not exist. */
  async getService(
    name: string,
    options: CallOptions = {},
  ): Promise<RunService | undefined> {
    try {
      return withoutNulls(
        await this.call(
          `services.get ${name}`,
          o => this.#run.projects.locations.services.get({ name }, o),
          { ...options, idempotent: true },
        ),
      );
    } catch (error) {
      if (describeGoogleError(error).httpStatus === 404) return undefined;
      throw error;
    }
  }

  /**
   * Every service under `parent`, all pages. `projects/P/locations/-` lists every region at
   * once; a region Google could not reach then comes back in `unreachable`, and the listing
   * fails (UNAVAILABLE, naming it) rather than answer without that region's services.
   */
  async listServices(
    parent: string,
    options: CallOptions = {},
  ): Promise<RunService[]> {
    const services: RunService[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await this.call(
        `services.list ${parent}`,
        o =>
          this.#run.projects.locations.services.list(
            {
              parent,
              pageToken: token,
              pageSize: 500,
            },
            o,
          ),
        { ...options, idempotent: true },
      );
      if (page.unreachable?.length) {
        throw new GoogleApiError({
          method: `services.list ${parent}`,
          httpStatus: 503,
          status: 'UNAVAILABLE',
          message: `services.list ${parent} could not reach ${page.unreachable.join(
            ', ',
          )}: its services are unknown`,
        });
      }
      services.push(...withoutNulls(page.services ?? []));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return services;
  }

  /**
   * Starts a create. Not retried: a create that reached Google and then failed on the way
   * back would answer 409 on a retry. Callers re-read state (`getService`) instead.
   */
  createService(
    parent: string,
    serviceId: string,
    service: RunService,
    options: CallOptions & { validateOnly?: boolean } = {},
  ): Promise<Operation> {
    return this.call(
      `services.create ${parent}/services/${serviceId}`,
      o =>
        this.#run.projects.locations.services.create(
          {
            parent,
            serviceId,
            validateOnly: options.validateOnly,
            requestBody: service,
          },
          o,
        ),
      { ...options, idempotent: false },
    );
  }

  /** Starts a patch of the fields in `updateMask`. Setting fields to a value is safe to repeat. */
  patchService(
    name: string,
    service: RunService,
    updateMask: string[],
    options: CallOptions & { validateOnly?: boolean } = {},
  ): Promise<Operation> {
    return this.call(
      `services.patch ${name}`,
      o =>
        this.#run.projects.locations.services.patch(
          {
            name,
            updateMask: updateMask.join(','),
            validateOnly: options.validateOnly,
            requestBody: service,
          },
          o,
        ),
      { ...options, idempotent: true, write: true },
    );
  }

  /**
   * Polls an operation until it is done, with backoff (0.5 s doubling to 5 s), calling
   * `onProgress` at most every `progressEveryMs`. Throws on the operation's error, on
   * `timeoutMs` and when `signal` aborts.
   */
  async waitForOperation(
    operation: Operation,
    options: CallOptions & {
      timeoutMs?: number;
      progressEveryMs?: number;
      onProgress?: (elapsedMs: number, operation: Operation) => void;
    } = {},
  ): Promise<Operation> {
    const started = Date.now();
    const deadline = started + (options.timeoutMs ?? 20 * 60_000);
    let lastProgress = started;
    let delay = 500;
    let op = operation;
    while (!op.done) {
      if (options.signal?.aborted) throw abortError(options.signal);
      if (Date.now() > deadline) {
        throw new Error(
          `Operation ${op.name} did not finish within ${Math.round(
            (deadline - started) / 1000,
          )} s`,
        );
      }
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, 5_000);
      const name = op.name!;
      op = await this.call(
        `operations.get ${name}`,
        o => this.#run.projects.locations.operations.get({ name }, o),
        { ...options, idempotent: true },
      );
      const now = Date.now();
      if (
        options.onProgress &&
        now - lastProgress >= (options.progressEveryMs ?? 10_000)
      ) {
        lastProgress = now;
        options.onProgress(now - started, op);
      }
    }
    if (op.error) {
      throw new GoogleApiError({
        method: `operations.get ${op.name}`,
        message: `Operation ${op.name} failed: ${
          op.error.message ?? 'unknown error'
        } (code ${op.error.code})`,
      });
    }
    return op;
  }

  // IAM

  async getIamPolicy(
    target: IamTarget,
    options: CallOptions = {},
  ): Promise<IamPolicy> {
    return iamPolicyFromGoogle(await this.#getRawIamPolicy(target, options));
  }

  #getRawIamPolicy(
    target: IamTarget,
    options: CallOptions,
  ): Promise<run_v2.Schema$GoogleIamV1Policy> {
    switch (target.kind) {
      case 'run':
        return this.call(
          `getIamPolicy ${target.name}`,
          o =>
            this.#run.projects.locations.services.getIamPolicy(
              {
                resource: target.name,
                'options.requestedPolicyVersion': 3,
              },
              o,
            ),
          { ...options, idempotent: true },
        );
      case 'iap':
        return this.call(
          `getIamPolicy ${target.resource}`,
          o =>
            this.#iap.v1.getIamPolicy(
              {
                resource: target.resource,
                requestBody: { options: { requestedPolicyVersion: 3 } },
              },
              o,
            ),
          { ...options, idempotent: true },
        );
      default: {
        const request = {
          resource: target.resource,
          requestBody: { options: { requestedPolicyVersion: 3 } },
        };
        const byKind: Record<
          string,
          (
            o: GoogleRequestOptions,
          ) => Promise<{ data: run_v2.Schema$GoogleIamV1Policy }>
        > = {
          projects: o => this.#crm.projects.getIamPolicy(request, o),
          folders: o => this.#crm.folders.getIamPolicy(request, o),
          organizations: o => this.#crm.organizations.getIamPolicy(request, o),
        };
        const api = byKind[target.resource.split('/')[0]];
        if (!api) throw new Error(`Not an IAM resource: ${target.resource}`);
        return this.call(`getIamPolicy ${target.resource}`, api, {
          ...options,
          idempotent: true,
        });
      }
    }
  }

  /**
   * One write of an IAM policy, with the etag it carries: a concurrent change since that etag
   * was read answers 409 ABORTED, which is not retried (use {@link modifyIamPolicy} to re-read
   * and re-apply instead).
   */
  async setIamPolicy(
    target: IamTarget,
    policy: IamPolicy,
    options: CallOptions = {},
  ): Promise<IamPolicy> {
    const description = `setIamPolicy ${
      target.kind === 'run' ? target.name : target.resource
    }`;
    // Safe to repeat: the etag makes a repeated write fail with 409 rather than apply twice.
    const callOptions = {
      ...options,
      idempotent: true,
      write: true,
      alsoRetry: (error: GoogleApiError) =>
        error.reason === 'iap-service-agent-missing',
    };
    switch (target.kind) {
      case 'run':
        return this.call(
          description,
          o =>
            this.#run.projects.locations.services.setIamPolicy(
              {
                resource: target.name,
                requestBody: { policy },
              },
              o,
            ),
          callOptions,
        ).then(iamPolicyFromGoogle);
      case 'iap':
        return this.call(
          description,
          o =>
            this.#iap.v1.setIamPolicy(
              {
                resource: target.resource,
                requestBody: { policy },
              },
              o,
            ),
          callOptions,
        ).then(iamPolicyFromGoogle);
      default:
        throw new Error(`The portal does not change IAM on ${target.resource}`);
    }
  }

  /**
   * Read-modify-write of an IAM policy at version 3 with its etag. `mutate` gets a copy of
   * the current bindings and returns the bindings wanted; every binding it leaves alone is
   * written back unchanged. On a concurrent change (409) it reads again and re-applies.
   * Returns the policy in force and whether anything was written: `changed` is also true when
   * a write of this call, answered with an error but applied (a lost answer), put in force the
   * bindings it wanted.
   */
  async modifyIamPolicy(
    target: IamTarget,
    mutate: (bindings: IamBinding[]) => IamBinding[],
    options: CallOptions & { maxConflicts?: number } = {},
  ): Promise<{ policy: IamPolicy; changed: boolean }> {
    const maxConflicts = options.maxConflicts ?? 10;
    let attempted: IamBinding[] | undefined;
    for (let conflicts = 0; ; conflicts++) {
      const current = await this.getIamPolicy(target, options);
      const before = current.bindings ?? [];
      const after = mutate(structuredClone(before)).filter(
        b => (b.members ?? []).length > 0,
      );
      if (samePolicy(before, after)) {
        // A write whose answer was lost (its retry met the new etag: 409) may be what is in force.
        const ours = attempted !== undefined && sameBindings(before, attempted);
        return { policy: current, changed: ours };
      }
      const conditional = after.some(b => b.condition);
      attempted = after;
      try {
        const policy = await this.setIamPolicy(
          target,
          {
            version: conditional || current.version === 3 ? 3 : 1,
            etag: current.etag,
            bindings: after,
          },
          options,
        );
        return { policy, changed: true };
      } catch (error) {
        const { httpStatus, status } = describeGoogleError(error);
        if (
          httpStatus === 409 &&
          status === 'ABORTED' &&
          conflicts < maxConflicts
        ) {
          this.#logger.info(
            `IAM policy changed concurrently; re-reading and re-applying (attempt ${
              conflicts + 2
            })`,
          );
          await sleep(
            Math.round(50 + Math.random() * 100 * (conflicts + 1)),
            options.signal,
          );
          continue;
        }
        throw error;
      }
    }
  }

  // IAM roles

  /**
   * A role's definition: `roles/…` through `roles.get`, `projects/P/roles/R` through
   * `projects.roles.get`, `organizations/O/roles/R` through `organizations.roles.get`.
   * Undefined when the role does not exist.
   */
  async getRole(
    name: string,
    options: CallOptions = {},
  ): Promise<IamRole | undefined> {
    const description = `roles.get ${name}`;
    let request: (
      o: GoogleRequestOptions,
    ) => Promise<{ data: iam_v1.Schema$Role }>;
    if (/^roles\/[^/]+$/.test(name)) {
      request = o => this.#iam.roles.get({ name }, o);
    } else if (/^projects\/[^/]+\/roles\/[^/]+$/.test(name)) {
      request = o => this.#iam.projects.roles.get({ name }, o);
    } else if (/^organizations\/[^/]+\/roles\/[^/]+$/.test(name)) {
      request = o => this.#iam.organizations.roles.get({ name }, o);
    } else {
      throw new GoogleApiError({
        method: description,
        status: 'INVALID_ARGUMENT',
        message: `${name} is not a role name: roles/ROLE, projects/PROJECT/roles/ROLE or organizations/ORG/roles/ROLE`,
      });
    }
    try {
      const role = await this.call(description, request, {
        ...options,
        idempotent: true,
      });
      return iamRoleFromGoogle(role, name);
    } catch (error) {
      if (describeGoogleError(error).httpStatus === 404) return undefined;
      throw error;
    }
  }

  // Cloud Identity groups

  /** The group's resource name (`groups/{id}`) from its email, through `groups.lookup`. */
  async lookupGroup(email: string, options: CallOptions = {}): Promise<string> {
    const description = `groups.lookup ${email}`;
    const { name } = await this.call(
      description,
      o => this.#cloudIdentity.groups.lookup({ 'groupKey.id': email }, o),
      { ...options, idempotent: true },
    );
    if (!name) {
      throw new GoogleApiError({
        method: description,
        message: `${description} answered without a group name`,
      });
    }
    return name;
  }

  /**
   * Every transitive member of a group (nested groups and their members), page by page, at
   * most `maxMembers` (default 5000): `truncated` says whether more were left.
   */
  async searchTransitiveMemberships(
    groupName: string,
    options: CallOptions & { maxMembers?: number; pageSize?: number } = {},
  ): Promise<TransitiveMemberships> {
    const maxMembers = options.maxMembers ?? 5000;
    const members: GroupMemberRelation[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await this.call(
        `memberships.searchTransitiveMemberships ${groupName}`,
        o =>
          this.#cloudIdentity.groups.memberships.searchTransitiveMemberships(
            {
              parent: groupName,
              pageSize: Math.min(options.pageSize ?? 500, maxMembers),
              pageToken: token,
            },
            o,
          ),
        { signal: options.signal, idempotent: true },
      );
      members.push(...(page.memberships ?? []).map(groupMemberFromGoogle));
      pageToken = page.nextPageToken ?? undefined;
      if (members.length >= maxMembers) {
        return {
          members: members.slice(0, maxMembers),
          truncated: Boolean(pageToken) || members.length > maxMembers,
        };
      }
    } while (pageToken);
    return { members, truncated: false };
  }

  /** Whether `memberEmail` belongs to the group, directly or through nested groups. */
  async checkTransitiveMembership(
    groupName: string,
    memberEmail: string,
    options: CallOptions = {},
  ): Promise<boolean> {
    const escaped = memberEmail.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    const data = await this.call(
      `memberships.checkTransitiveMembership ${groupName}`,
      o =>
        this.#cloudIdentity.groups.memberships.checkTransitiveMembership(
          { parent: groupName, query: `member_key_id == '${escaped}'` },
          o,
        ),
      { ...options, idempotent: true },
    );
    return data.hasMembership === true;
  }

  // Org Policy

  /**
   * The effective policy of a constraint on a project (`iam.allowedPolicyMemberDomains`,
   * `run.allowedIngress`, with or without `constraints/`), merged down the hierarchy by Google.
   */
  async getEffectiveOrgPolicy(
    projectIdOrNumber: string,
    constraint: string,
    options: CallOptions = {},
  ): Promise<OrgPolicy> {
    const name = `projects/${projectIdOrNumber}/policies/${constraint.replace(
      /^constraints\//,
      '',
    )}`;
    const policy = await this.call(
      `policies.getEffectivePolicy ${name}`,
      o => this.#orgPolicy.projects.policies.getEffectivePolicy({ name }, o),
      { ...options, idempotent: true },
    );
    return orgPolicyFromGoogle(policy);
  }

  // IAP settings

  /**
   * The IAP settings of any level's resource: `organizations/O`, `folders/F`, `projects/N`,
   * `projects/N/iap_web`, `…/iap_web/cloud_run-REGION`, `…/services/S` (see
   * {@link iapSettingsResources}).
   */
  async getIapSettings(
    resource: string,
    options: CallOptions = {},
  ): Promise<IapSettings> {
    const settings = await this.call(
      `getIapSettings ${resource}`,
      o => this.#iap.v1.getIapSettings({ name: resource }, o),
      { ...options, idempotent: true },
    );
    return iapSettingsFromGoogle(settings);
  }

  // Access Context Manager

  async listAccessPolicies(
    organizationId: string,
    options: CallOptions = {},
  ): Promise<AccessPolicy[]> {
    return this.collect(
      `accessPolicies.list organizations/${organizationId}`,
      (pageToken, o) =>
        this.#acm.accessPolicies.list(
          {
            parent: `organizations/${organizationId}`,
            pageToken,
          },
          o,
        ),
      page => page.accessPolicies?.map(accessPolicyFromGoogle),
      options,
    );
  }

  async listAccessLevels(
    policyName: string,
    options: CallOptions = {},
  ): Promise<AccessLevel[]> {
    return this.collect(
      `accessLevels.list ${policyName}`,
      (pageToken, o) =>
        this.#acm.accessPolicies.accessLevels.list(
          {
            parent: policyName,
            pageToken,
          },
          o,
        ),
      page => page.accessLevels?.map(accessLevelFromGoogle),
      options,
    );
  }

  async listServicePerimeters(
    policyName: string,
    options: CallOptions = {},
  ): Promise<ServicePerimeter[]> {
    return this.collect(
      `servicePerimeters.list ${policyName}`,
      (pageToken, o) =>
        this.#acm.accessPolicies.servicePerimeters.list(
          {
            parent: policyName,
            pageToken,
          },
          o,
        ),
      page => page.servicePerimeters?.map(servicePerimeterFromGoogle),
      options,
    );
  }

  private async collect<P extends { nextPageToken?: string | null }, T>(
    description: string,
    fetchPage: (
      pageToken: string | undefined,
      request: GoogleRequestOptions,
    ) => Promise<{ data: P }>,
    items: (page: P) => T[] | undefined,
    options: CallOptions,
  ): Promise<T[]> {
    const out: T[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await this.call(description, o => fetchPage(token, o), {
        ...options,
        idempotent: true,
      });
      out.push(...(items(page) ?? []));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }
}
