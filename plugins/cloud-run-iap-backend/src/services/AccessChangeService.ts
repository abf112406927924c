import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  CloudRunServiceRef,
  IamBinding,
  IamPolicy,
  ManagedBindingError,
  MemberPolicy,
  PlannedAccessChange,
  ServiceAccessReport,
  UnavailableService,
  UnmanagedGrant,
  cloudRunIapAccessManagePermission,
  grantableMembersProblems,
  iapServiceResource,
  memberKey,
  memberSyntaxProblem,
  parseCloudRunServiceAnnotation,
  planAccessChange,
  removalProblems,
  unmanagedGrantsOf,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  GoogleCloudClient,
  IamPolicyChangedError,
  readIapAccessPolicy,
  writeIapAccessPolicy,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { AccessLevelsService } from './AccessLevelsService';
import { AccessReportService } from './AccessReportService';
import type { AccessRequestStore } from './AccessRequestStore';
import type { Clock } from './clock';
import { EntityAccessAuthorizer } from './EntityAccessAuthorizer';
import { GoogleAccessData } from './GoogleAccessData';
import { describeForUser, isTransientGoogleError } from './googleErrors';
import { isDeadlineExceeded } from './RequestDeadline';
import { ServiceLinks, linkFactsOf } from './ServiceLinks';

/** `POST .../access/changes` body, as the spec lets it through. */
export interface AccessChangeRequest {
  service: string;
  add?: string[];
  remove?: string[];
  accessLevels?: string[] | null;
  dryRun?: boolean;
  etag?: string;
}

/** One side of a preview: the service's IAP bindings and the coverage they give. */
export type AccessPolicySnapshot = {
  bindings: IamBinding[];
  coverage: ServiceAccessReport['coverage'];
};

/** `POST .../access/changes` answer. */
export type AccessChangePreview = {
  dryRun: boolean;
  applied: boolean;
  service: string;
  etag: string;
  before: AccessPolicySnapshot;
  after: AccessPolicySnapshot;
  added: string[];
  removed: string[];
  accessLevels: { before: string[]; after: string[] };
  unmanaged: UnmanagedGrant[];
};

function invalidChange(problems: ReadonlyArray<readonly [string, string]>) {
  return new InputError(
    `Invalid access change: ${problems
      .map(([field, problem]) => `${field}: ${problem}`)
      .join('; ')}`,
  );
}

/** The access changed between the preview and the apply: nothing was written. */
export class AccessChangedSinceError extends ConflictError {
  readonly preview: AccessChangePreview;

  constructor(message: string, preview: AccessChangePreview) {
    super(message);
    this.preview = preview;
  }
}

/** A change validated on its own, before any Google call. */
interface CheckedChange {
  ref: CloudRunServiceRef;
  add: string[];
  remove: string[];
  /** Undefined: unchanged. */
  levels?: string[];
  dryRun: boolean;
  etag?: string;
}

export interface AccessChangeServiceOptions {
  client: GoogleCloudClient;
  data: GoogleAccessData;
  authorizer: EntityAccessAuthorizer;
  reports: AccessReportService;
  links: ServiceLinks;
  accessLevels: AccessLevelsService;
  /** The grantable-member policy of `cloudRunIap` (`memberPolicyOf`). */
  members: MemberPolicy;
  /** Where applied changes join the app's access history (`access_events`, kind `change`). */
  history: Pick<AccessRequestStore, 'recordEvent'>;
  clock: Clock;
  logger: LoggerService;
}

const samePolicy = (a: readonly IamBinding[], b: readonly IamBinding[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Owners' changes of who may get into a service, previewed and then applied with the etag of
 * the preview. Only the binding the portal manages (and its time-bound grants) is edited; the
 * bindings it does not manage are written back as they were read, and listed with how to change
 * them. The rules are those of the scaffolder actions: `-common`'s grantable members and managed
 * bindings, `-node`'s IAP policy writes, the issue-11 ownership model of `ServiceLinks`.
 */
export class AccessChangeService {
  readonly #client: GoogleCloudClient;
  readonly #data: GoogleAccessData;
  readonly #authorizer: EntityAccessAuthorizer;
  readonly #reports: AccessReportService;
  readonly #links: ServiceLinks;
  readonly #accessLevels: AccessLevelsService;
  readonly #members: MemberPolicy;
  readonly #history: Pick<AccessRequestStore, 'recordEvent'>;
  readonly #clock: Clock;
  readonly #logger: LoggerService;

  static create(options: AccessChangeServiceOptions) {
    return new AccessChangeService(options);
  }

  private constructor(options: AccessChangeServiceOptions) {
    this.#client = options.client;
    this.#data = options.data;
    this.#authorizer = options.authorizer;
    this.#reports = options.reports;
    this.#links = options.links;
    this.#accessLevels = options.accessLevels;
    this.#members = options.members;
    this.#history = options.history;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /**
   * Previews the change (`dryRun`) or applies it with the previewed etag. Order: the entity and
   * the permission, the body's own rules, the service's ownership as Google records it, then
   * the policy. Throws {@link AccessChangedSinceError} when the etag no longer matches.
   */
  async change(
    entityRef: string,
    body: AccessChangeRequest,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    options: { signal?: AbortSignal } = {},
  ): Promise<AccessChangePreview> {
    const entity = await this.#authorizer.loadAuthorizedEntity(
      entityRef,
      cloudRunIapAccessManagePermission,
      credentials,
    );
    const change = this.#checked(entity, body);
    await this.#assertOwnership(entity, change.ref, options.signal);
    if (change.levels && change.levels.length > 0) {
      await this.#checkLevels(change.ref, change.levels, options.signal);
    }
    const iapResource = await this.#iapResource(change.ref, options.signal);

    const read = await this.#google(
      `Reading the IAP policy of ${change.ref.name}`,
      () => readIapAccessPolicy(this.#client, iapResource, options),
    );
    const previewed = await this.#preview(change, read, options.signal);
    if (change.dryRun) return previewed.preview;

    if (change.etag !== read.etag) {
      throw this.#changedSince(change, previewed.preview);
    }
    if (samePolicy(read.bindings ?? [], previewed.plan.bindings)) {
      return { ...previewed.preview, dryRun: false };
    }
    let written: IamPolicy;
    try {
      written = await writeIapAccessPolicy(
        this.#client,
        iapResource,
        { etag: read.etag!, bindings: previewed.plan.bindings },
        options,
      );
    } catch (error) {
      if (!(error instanceof IamPolicyChangedError)) {
        throw this.#googleError(
          `Writing the IAP policy of ${change.ref.name}`,
          error,
        );
      }
      const fresh = await this.#google(
        `Reading the IAP policy of ${change.ref.name}`,
        () => readIapAccessPolicy(this.#client, iapResource, options),
      );
      const again = await this.#preview(
        { ...change, dryRun: true },
        fresh,
        options.signal,
      );
      throw this.#changedSince(change, again.preview);
    }
    await this.#reports.invalidateServiceReport(change.ref);
    await this.#recordChange(
      stringifyEntityRef(entity),
      credentials.principal.userEntityRef,
      previewed.preview,
    );
    return {
      ...previewed.preview,
      dryRun: false,
      applied: true,
      etag: written.etag ?? '',
      after: {
        ...previewed.preview.after,
        bindings: written.bindings ?? previewed.plan.bindings,
      },
    };
  }

  /** The body's rules that need no Google call; 400 naming each field that breaks one. */
  #checked(entity: Entity, body: AccessChangeRequest): CheckedChange {
    const problems: Array<[string, string]> = [];
    const ref = this.#annotatedService(entity, body.service);
    const add = body.add ?? [];
    const remove = body.remove ?? [];
    const dryRun = body.dryRun ?? false;
    problems.push(...grantableMembersProblems('add', add, this.#members));
    remove.forEach((member, i) => {
      const problem = memberSyntaxProblem(member);
      if (problem) problems.push([`remove[${i}]`, problem]);
    });
    const removing = new Set(remove.map(memberKey));
    add.forEach((member, i) => {
      if (removing.has(memberKey(member))) {
        problems.push([`add[${i}]`, `${member} is also in remove`]);
      }
    });
    if (
      add.length === 0 &&
      remove.length === 0 &&
      body.accessLevels === undefined
    ) {
      problems.push([
        'add',
        'remove or accessLevels: at least one change is required',
      ]);
    }
    if (!dryRun && !body.etag) {
      problems.push([
        'etag',
        'is required to apply a change (dryRun false): send the etag of its preview (dryRun true)',
      ]);
    }
    if (problems.length > 0) {
      throw invalidChange(problems);
    }
    return {
      ref,
      add,
      remove,
      ...(body.accessLevels === undefined
        ? {}
        : { levels: body.accessLevels ?? [] }),
      dryRun,
      ...(body.etag ? { etag: body.etag } : {}),
    };
  }

  /** `service` as one of the services the entity annotates (parsed, never split by hand). */
  #annotatedService(entity: Entity, service: string): CloudRunServiceRef {
    let parsed: CloudRunServiceRef[];
    try {
      parsed = parseCloudRunServiceAnnotation(service);
    } catch (error) {
      throw new InputError(
        `Invalid access change: service: ${(error as Error).message}`,
      );
    }
    const refs = this.#reports.serviceRefs(entity);
    const ref =
      parsed.length === 1
        ? refs.find(r => r.name === parsed[0].name)
        : undefined;
    if (!ref) {
      throw new InputError(
        `Invalid access change: service: must be one service ${stringifyEntityRef(
          entity,
        )} annotates (${refs
          .map(r => r.name)
          .join(', ')}), got ${JSON.stringify(service)}`,
      );
    }
    return ref;
  }

  /** 403 saying why, unless Google's record of the service links it to the entity and its owner. */
  async #assertOwnership(
    entity: Entity,
    ref: CloudRunServiceRef,
    signal: AbortSignal | undefined,
  ) {
    if (!this.#client.config.projects.some(p => p.id === ref.projectId)) {
      throw new NotAllowedError(
        `Project ${ref.projectId} is not one of the projects this portal manages (cloudRunIap.projects)`,
      );
    }
    const service = await this.#google(
      `Reading ${ref.name} to check who owns it`,
      () => this.#client.getService(ref.name, { signal }),
    );
    if (!service) {
      throw new NotFoundError(
        `${ref.name} does not exist in Google Cloud (or the portal may not read it)`,
      );
    }
    const why = this.#links.whyNotLinked(entity, ref, linkFactsOf(service));
    if (why) throw new NotAllowedError(why);
  }

  /** Every level must be one of the organisation policy's levels, which IAP evaluates. */
  async #checkLevels(
    ref: CloudRunServiceRef,
    levels: readonly string[],
    signal: AbortSignal | undefined,
  ) {
    const { accessPolicy, accessLevels } =
      await this.#accessLevels.accessLevels(ref.projectId, { signal });
    const valid = accessLevels.map(l => l.name);
    const problems = levels.flatMap((level, i) =>
      valid.includes(level)
        ? []
        : [
            `accessLevels[${i}]: ${JSON.stringify(
              level,
            )} is not an access level of ${accessPolicy}, the organisation's policy IAP evaluates; valid levels: ${
              valid.join(', ') || 'none'
            }`,
          ],
    );
    if (problems.length > 0) {
      throw new InputError(`Invalid access change: ${problems.join('; ')}`);
    }
  }

  async #iapResource(ref: CloudRunServiceRef, signal: AbortSignal | undefined) {
    const project = await this.#google(`Reading project ${ref.projectId}`, () =>
      this.#data.project(ref.projectId, { signal }),
    );
    return iapServiceResource(project.projectNumber, ref);
  }

  /** The plan and its preview against one read of the policy. */
  async #preview(
    change: CheckedChange,
    read: IamPolicy,
    signal: AbortSignal | undefined,
  ): Promise<{ plan: PlannedAccessChange; preview: AccessChangePreview }> {
    const bindings = read.bindings ?? [];
    let plan: PlannedAccessChange;
    try {
      plan = planAccessChange(bindings, {
        add: change.add,
        remove: change.remove,
        levels: change.levels,
      });
    } catch (error) {
      if (error instanceof ManagedBindingError) {
        throw new ConflictError(`${change.ref.name}: ${error.message}`);
      }
      throw error;
    }
    const analyzed = await this.#google(
      `Analysing the access of ${change.ref.name}`,
      () =>
        this.#reports.analyzeServicePolicies(
          change.ref,
          [read, { ...read, bindings: plan.bindings }],
          { signal },
        ),
    );
    if ('unavailable' in analyzed) throw unavailableError(analyzed.unavailable);
    const [before, after] = analyzed.reports;
    const unmanaged = unmanagedGrantsOf(before, bindings);
    const problems = removalProblems(
      bindings,
      change.remove,
      unmanaged,
      change.ref.name,
    );
    if (problems.length > 0) {
      throw invalidChange(problems);
    }
    return {
      plan,
      preview: {
        dryRun: true,
        applied: false,
        service: change.ref.name,
        etag: read.etag ?? '',
        before: { bindings, coverage: before.coverage },
        after: { bindings: plan.bindings, coverage: after.coverage },
        added: plan.added,
        removed: plan.removed,
        accessLevels: plan.accessLevels,
        unmanaged,
      },
    };
  }

  /** The applied change in the app's history; the write stands even if recording it fails. */
  async #recordChange(
    entityRef: string,
    actor: string,
    preview: AccessChangePreview,
  ) {
    const { before, after } = preview.accessLevels;
    const parts = [
      preview.added.length > 0 ? `added ${preview.added.join(', ')}` : '',
      preview.removed.length > 0 ? `removed ${preview.removed.join(', ')}` : '',
      before.join(' ') !== after.join(' ')
        ? `access levels ${before.join(', ') || 'none'} -> ${
            after.join(', ') || 'none'
          }`
        : '',
    ].filter(Boolean);
    try {
      await this.#history.recordEvent({
        entityRef,
        service: preview.service,
        kind: 'change',
        actor,
        members: [...preview.added, ...preview.removed],
        detail: parts.join('; ') || 'no change',
        at: this.#clock.now().toISOString(),
      });
    } catch (error) {
      this.#logger.error(
        `The access change of ${
          preview.service
        } by ${actor} was applied but not recorded in the history: ${
          (error as Error).message
        }`,
      );
    }
  }

  #changedSince(change: CheckedChange, fresh: AccessChangePreview) {
    return new AccessChangedSinceError(
      `The access of ${change.ref.name} changed since you looked (the preview was of etag ${change.etag}; the IAP policy now has etag ${fresh.etag}). Review the new preview and apply again.`,
      fresh,
    );
  }

  async #google<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#googleError(what, error);
    }
  }

  #googleError(what: string, error: unknown): Error {
    if (
      error instanceof InputError ||
      error instanceof NotAllowedError ||
      error instanceof NotFoundError ||
      error instanceof ConflictError ||
      error instanceof ServiceUnavailableError
    ) {
      return error;
    }
    if (isTransientGoogleError(error) || isDeadlineExceeded(error)) {
      return new ServiceUnavailableError(
        `${what} failed; Google Cloud could not be reached: ${describeForUser(
          error,
        )}. Nothing was changed; try again in a minute.`,
      );
    }
    return new NotAllowedError(
      `${what} failed: ${describeForUser(
        error,
      )}. Nothing was changed; the portal's service account may lack a permission (see the README's IAM roles).`,
    );
  }
}

function unavailableError(unavailable: UnavailableService): Error {
  switch (unavailable.reason) {
    case 'not-found':
      return new NotFoundError(unavailable.message);
    case 'permission-denied':
    case 'not-configured':
    case 'not-linked':
      return new NotAllowedError(unavailable.message);
    default:
      return new ServiceUnavailableError(unavailable.message);
  }
}
