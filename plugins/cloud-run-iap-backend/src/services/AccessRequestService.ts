import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CloudRunServiceRef,
  cloudRunIapAccessManagePermission,
  getCloudRunServiceRefs,
  isMemberInsideOrganization,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessNotifier } from './AccessNotifier';
import { AccessRequestStore } from './AccessRequestStore';
import {
  AccessEvent,
  AccessRequest,
  AccessRequestDuration,
  AccessRequestStatus,
} from './accessRequestTypes';
import { AccessRequestsConfig, grantLengthMs } from './accessRequestsConfig';
import { Clock } from './clock';
import { EntityAccessAuthorizer } from './EntityAccessAuthorizer';
import { RequestedGrants } from './RequestedGrants';
import { ownerRefOf } from './ServiceLinks';
import { memberOfUserEntity } from './userMember';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

export interface NewRequestBody {
  service: string;
  justification: string;
  duration: AccessRequestDuration;
}

export interface DecisionBody {
  decision: 'approve' | 'deny';
  comment?: string;
}

/** At most this many events in one history answer. */
const HISTORY_LIMIT = 500;

/**
 * Access requests: anyone in the organisation who can read an app asks for access to one of its
 * services; the app's managers (`cloud-run-iap.access.manage`, and Google's record of the
 * owner) approve or deny. An approval writes the grant before the request counts as approved.
 */
export class AccessRequestService {
  readonly #store: AccessRequestStore;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #permissions: PermissionsService;
  readonly #authorizer: EntityAccessAuthorizer;
  readonly #grants: RequestedGrants;
  readonly #notifier: AccessNotifier;
  readonly #config: AccessRequestsConfig;
  readonly #domains: readonly string[];
  readonly #clock: Clock;

  static create(options: {
    store: AccessRequestStore;
    catalog: CatalogService;
    auth: AuthService;
    permissions: PermissionsService;
    authorizer: EntityAccessAuthorizer;
    grants: RequestedGrants;
    notifier: AccessNotifier;
    config: AccessRequestsConfig;
    /** `cloudRunIap.organization.domains`: only their users may ask. */
    organizationDomains: readonly string[];
    clock: Clock;
  }) {
    return new AccessRequestService(options);
  }

  private constructor(
    options: Parameters<typeof AccessRequestService.create>[0],
  ) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#permissions = options.permissions;
    this.#authorizer = options.authorizer;
    this.#grants = options.grants;
    this.#notifier = options.notifier;
    this.#config = options.config;
    this.#domains = options.organizationDomains;
    this.#clock = options.clock;
  }

  /** A new pending request of the caller; owners are notified. */
  async create(
    entityRef: string,
    body: NewRequestBody,
    credentials: UserCredentials,
  ): Promise<AccessRequest> {
    const entity = await this.#authorizer.loadReadableEntity(
      entityRef,
      credentials,
    );
    const ref = this.#annotatedService(entity, body.service);
    const justification = body.justification.trim();
    if (justification === '') {
      throw new InputError(
        'justification: must say why you need access (1 to 1000 characters, not only spaces)',
      );
    }
    if (body.duration === 'permanent' && !this.#config.allowPermanent) {
      throw new InputError(
        'duration: permanent access cannot be requested here (cloudRunIap.requests.allowPermanent is off); ask for P1D, P7D or P30D',
      );
    }
    const requester = credentials.principal.userEntityRef;
    const member = await this.#memberOf(requester);
    if (
      !isMemberInsideOrganization(member, {
        domains: this.#domains,
        allowExternalMembers: false,
        ownProjectIds: [],
      })
    ) {
      throw new NotAllowedError(
        `Only members of the organisation may request access: ${member} (from the spec.profile.email of ${requester}) is outside its domains (${
          this.#domains.join(', ') ||
          'none configured in cloudRunIap.organization.domains'
        })`,
      );
    }
    const now = this.#clock.now();
    const request = await this.#store.insertPending({
      entityRef: stringifyEntityRef(entity),
      service: ref.name,
      requester,
      member,
      justification,
      duration: body.duration,
      createdAt: now.toISOString(),
      requestExpiresAt: new Date(
        now.getTime() + this.#config.pendingForMs,
      ).toISOString(),
    });
    await this.#store.recordEvent({
      entityRef: request.entityRef,
      service: request.service,
      kind: 'request',
      actor: requester,
      members: [member],
      detail: `Asked for ${request.duration} access: ${justification}`,
      requestId: request.id,
      at: request.createdAt,
    });
    await this.#notifier.requestCreated(request, ownerRefOf(entity));
    return request;
  }

  /** With access.manage on the app: all its requests; otherwise the caller's own. */
  async listForEntity(
    entityRef: string,
    credentials: UserCredentials,
  ): Promise<AccessRequest[]> {
    const entity = await this.#authorizer.loadReadableEntity(
      entityRef,
      credentials,
    );
    const ref = stringifyEntityRef(entity);
    const [decision] = await this.#permissions.authorize(
      [{ permission: cloudRunIapAccessManagePermission, resourceRef: ref }],
      { credentials },
    );
    return this.#store.list({
      entityRefs: [ref],
      ...(decision.result === AuthorizeResult.ALLOW
        ? {}
        : { requester: credentials.principal.userEntityRef }),
    });
  }

  /** The requests in `status` of every app the caller may read and manage (the review page). */
  async listManageable(
    status: AccessRequestStatus,
    credentials: UserCredentials,
  ): Promise<AccessRequest[]> {
    const refs = await this.#store.entityRefsWithStatus(status);
    if (refs.length === 0) return [];
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    const readable = items.filter((e): e is Entity => Boolean(e));
    const managed = await this.#authorizer.filterAuthorized(
      readable,
      cloudRunIapAccessManagePermission,
      credentials,
    );
    if (managed.length === 0) return [];
    return this.#store.list({
      entityRefs: managed.map(e => stringifyEntityRef(e)),
      status,
    });
  }

  /**
   * Approves or denies a pending request. Needs access.manage on its app and Google's record of
   * the app's owner; nobody approves their own request. An approval writes the grant first and
   * is undone when the write fails.
   */
  async decide(
    id: string,
    body: DecisionBody,
    credentials: UserCredentials,
  ): Promise<AccessRequest> {
    const request = await this.#store.get(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    const entity = await this.#authorizer.loadAuthorizedEntity(
      request.entityRef,
      cloudRunIapAccessManagePermission,
      credentials,
    );
    const approver = credentials.principal.userEntityRef;
    const now = this.#clock.now();
    if (request.status !== 'pending') {
      throw new ConflictError(
        `Access request ${id} is already ${request.status}${
          request.decidedBy
            ? ` (by ${request.decidedBy}, ${request.decidedAt})`
            : ''
        }: only a pending request can be decided`,
      );
    }
    if (request.requestExpiresAt <= now.toISOString()) {
      throw new ConflictError(
        `Access request ${id} expired undecided at ${request.requestExpiresAt}: the requester may ask again`,
      );
    }
    if (body.decision === 'approve' && approver === request.requester) {
      throw new NotAllowedError(
        `You may not approve your own access request (${id}): another manager of ${request.entityRef} must`,
      );
    }
    const ref = this.#annotatedService(entity, request.service);
    await this.#grants.assertOwnership(entity, ref);

    const comment = body.comment?.trim() || null;
    const decidedAt = now.toISOString();
    if (body.decision === 'deny') {
      const denied = await this.#store.transition(id, 'pending', {
        status: 'denied',
        decidedAt,
        decidedBy: approver,
        comment,
      });
      if (!denied) throw this.#decidedMeanwhile(id);
      await this.#record(denied, 'deny', approver, decidedAt);
      await this.#notifier.requestDecided(denied);
      return denied;
    }

    const lengthMs = grantLengthMs(request.duration);
    const approved = await this.#store.transition(id, 'pending', {
      status: 'approved',
      decidedAt,
      decidedBy: approver,
      comment,
      expiresAt:
        lengthMs === undefined
          ? null
          : new Date(now.getTime() + lengthMs).toISOString(),
    });
    if (!approved) throw this.#decidedMeanwhile(id);
    try {
      await this.#grants.grant(approved, ref, approver);
    } catch (error) {
      await this.#store.transition(id, 'approved', {
        status: 'pending',
        decidedAt: null,
        decidedBy: null,
        comment: null,
        expiresAt: null,
      });
      throw error;
    }
    await this.#record(approved, 'approve', approver, decidedAt);
    await this.#notifier.requestDecided(approved);
    return approved;
  }

  /** The app's history, newest first; needs access.manage. */
  async history(
    entityRef: string,
    credentials: UserCredentials,
  ): Promise<AccessEvent[]> {
    const entity = await this.#authorizer.loadAuthorizedEntity(
      entityRef,
      cloudRunIapAccessManagePermission,
      credentials,
    );
    return this.#store.events(stringifyEntityRef(entity), {
      limit: HISTORY_LIMIT,
    });
  }

  async #record(
    request: AccessRequest,
    kind: 'approve' | 'deny',
    actor: string,
    at: string,
  ) {
    await this.#store.recordEvent({
      entityRef: request.entityRef,
      service: request.service,
      kind,
      actor,
      members: [request.member],
      detail:
        kind === 'approve'
          ? `Approved ${request.duration} access${
              request.expiresAt ? ` until ${request.expiresAt}` : ''
            }${request.comment ? `: ${request.comment}` : ''}`
          : `Denied${request.comment ? `: ${request.comment}` : ''}`,
      requestId: request.id,
      at,
    });
  }

  #decidedMeanwhile(id: string) {
    return new ConflictError(
      `Access request ${id} was decided by someone else meanwhile: reload it`,
    );
  }

  /** The service of the body, which must be one the entity annotates. */
  #annotatedService(entity: Entity, service: string): CloudRunServiceRef {
    let refs: CloudRunServiceRef[];
    try {
      refs = getCloudRunServiceRefs(entity);
    } catch (error) {
      throw new InputError(
        `${stringifyEntityRef(entity)} has a broken annotation: ${
          (error as Error).message
        }`,
      );
    }
    const ref = refs.find(r => r.name === service);
    if (!ref) {
      throw new InputError(
        `service: must be one of the services ${stringifyEntityRef(
          entity,
        )} annotates (${
          refs.map(r => r.name).join(', ') || 'none'
        }), as projects/<project-id>/locations/<region>/services/<service-id> (got ${JSON.stringify(
          service,
        )})`,
      );
    }
    return ref;
  }

  /** `user:<email>` of a user entity, read with the plugin's own credentials. */
  async #memberOf(userRef: string): Promise<string> {
    const user = await this.#catalog.getEntityByRef(userRef, {
      credentials: await this.#auth.getOwnServiceCredentials(),
    });
    return memberOfUserEntity(user, userRef, 'An access request');
  }
}
