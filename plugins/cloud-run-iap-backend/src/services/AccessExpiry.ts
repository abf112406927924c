import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CloudRunServiceRef,
  TimeBoundGrant,
  parseCloudRunServiceAnnotation,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';
import { AccessNotifier } from './AccessNotifier';
import { AccessRequestStore } from './AccessRequestStore';
import { AccessRequest } from './accessRequestTypes';
import { Clock } from './clock';
import { RequestedGrants } from './RequestedGrants';
import { linkFactsOf, ownerRefOf } from './ServiceLinks';

/** The actor of what the expiry task does. */
export const EXPIRY_ACTOR = 'cloud-run-iap';

/** What one run did. */
export interface ExpiryRun {
  removedGrants: number;
  expiredApprovals: number;
  expiredRequests: number;
  /** Services whose policy could not be read or written (tried again next run). */
  failedServices: string[];
}

function entityRefOrUndefined(text: string | undefined) {
  if (!text) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(text.trim(), { defaultNamespace: 'default' }),
    );
  } catch {
    return undefined;
  }
}

/**
 * The scheduled expiry of access (once across replicas, `cloud-run-iap-expire-grants`): removes
 * the portal's expired time-bound grants from the IAP policy of every linked service in the
 * configured projects, marks their requests expired, tells the owners, and expires pending
 * requests nobody decided in time.
 */
export class AccessExpiry {
  readonly #client: GoogleCloudClient;
  readonly #grants: RequestedGrants;
  readonly #store: AccessRequestStore;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #notifier: AccessNotifier;
  readonly #auditor: AuditorService;
  readonly #logger: LoggerService;
  readonly #clock: Clock;

  static create(options: {
    client: GoogleCloudClient;
    grants: RequestedGrants;
    store: AccessRequestStore;
    catalog: CatalogService;
    auth: AuthService;
    notifier: AccessNotifier;
    auditor: AuditorService;
    logger: LoggerService;
    clock: Clock;
  }) {
    return new AccessExpiry(options);
  }

  private constructor(options: Parameters<typeof AccessExpiry.create>[0]) {
    this.#client = options.client;
    this.#grants = options.grants;
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#notifier = options.notifier;
    this.#auditor = options.auditor;
    this.#logger = options.logger;
    this.#clock = options.clock;
  }

  async run(signal?: AbortSignal): Promise<ExpiryRun> {
    const now = this.#clock.now();
    const run: ExpiryRun = {
      removedGrants: 0,
      expiredApprovals: 0,
      expiredRequests: 0,
      failedServices: [],
    };
    for (const { ref, entityRefs } of await this.#linkedServices(signal)) {
      if (signal?.aborted) break;
      let removed: TimeBoundGrant[];
      try {
        removed = await this.#grants.removeExpired(ref, now);
      } catch (error) {
        run.failedServices.push(ref.name);
        this.#logger.warn(
          `Could not remove expired grants from ${ref.name}: ${
            (error as Error).message
          }`,
        );
        continue;
      }
      run.removedGrants += removed.length;
      if (removed.length > 0) {
        await this.#recordRemoved(ref, entityRefs, removed, now);
      }
    }
    // Approvals whose grant was already gone (or is on a service no longer scanned) end too.
    for (const request of await this.#store.endedApprovals(now.toISOString())) {
      if (await this.#expire(request, 'approved', now, undefined)) {
        run.expiredApprovals++;
      }
    }
    for (const request of await this.#store.stalePending(now.toISOString())) {
      const expired = await this.#store.transition(request.id, 'pending', {
        status: 'expired',
      });
      if (!expired) continue;
      run.expiredRequests++;
      await this.#store.recordEvent({
        entityRef: expired.entityRef,
        service: expired.service,
        kind: 'request-expired',
        actor: EXPIRY_ACTOR,
        members: [expired.member],
        detail: `Nobody decided the request by ${expired.requestExpiresAt}`,
        requestId: expired.id,
        at: now.toISOString(),
      });
      await this.#audit(
        'request-expired',
        expired.entityRef,
        expired.service,
        [expired.member],
        { requestId: expired.id },
      );
      await this.#notifier.requestExpired(expired);
    }
    if (run.removedGrants + run.expiredApprovals + run.expiredRequests > 0) {
      this.#logger.info(
        `Access expiry: removed ${run.removedGrants} expired grants, ended ${run.expiredApprovals} approvals whose grant was gone, expired ${run.expiredRequests} undecided requests`,
      );
    }
    return run;
  }

  /** Events, requests, audit and notifications of the grants removed from one service. */
  async #recordRemoved(
    ref: CloudRunServiceRef,
    entityRefs: string[],
    removed: TimeBoundGrant[],
    now: Date,
  ) {
    const byEntity = new Map<string, TimeBoundGrant[]>();
    for (const grant of removed) {
      const request = grant.requestId
        ? await this.#store.get(grant.requestId)
        : undefined;
      const entityRef = request?.entityRef ?? entityRefs[0];
      if (request?.status === 'approved') {
        await this.#expire(request, 'approved', now, grant);
      } else if (entityRef) {
        await this.#store.recordEvent({
          entityRef,
          service: ref.name,
          kind: 'expire',
          actor: EXPIRY_ACTOR,
          members: [grant.member],
          detail: `Removed the expired temporary grant (until ${grant.expiresAt})`,
          ...(request ? { requestId: request.id } : {}),
          at: now.toISOString(),
        });
        await this.#audit(
          'grant-removed',
          entityRef,
          ref.name,
          [grant.member],
          {
            expiresAt: grant.expiresAt,
          },
        );
      }
      if (entityRef) {
        byEntity.set(entityRef, [...(byEntity.get(entityRef) ?? []), grant]);
      }
    }
    const credentials = await this.#auth.getOwnServiceCredentials();
    for (const [entityRef, grants] of byEntity) {
      const entity = await this.#catalog.getEntityByRef(entityRef, {
        credentials,
      });
      await this.#notifier.grantsRemoved(
        entityRef,
        entity ? ownerRefOf(entity) : undefined,
        ref.name,
        grants,
      );
    }
  }

  /** Marks an approved request expired and records it; false when it was not approved any more. */
  async #expire(
    request: AccessRequest,
    from: 'approved',
    now: Date,
    removed: TimeBoundGrant | undefined,
  ): Promise<boolean> {
    const expired = await this.#store.transition(request.id, from, {
      status: 'expired',
    });
    if (!expired) return false;
    await this.#store.recordEvent({
      entityRef: expired.entityRef,
      service: expired.service,
      kind: 'expire',
      actor: EXPIRY_ACTOR,
      members: [expired.member],
      detail: removed
        ? `Removed the expired temporary grant (until ${removed.expiresAt})`
        : `Access ended at ${expired.expiresAt} (no grant of the request was left to remove)`,
      requestId: expired.id,
      at: now.toISOString(),
    });
    await this.#audit(
      removed ? 'grant-removed' : 'approval-ended',
      expired.entityRef,
      expired.service,
      [expired.member],
      { requestId: expired.id, expiresAt: expired.expiresAt ?? null },
    );
    return true;
  }

  async #audit(
    action: string,
    entityRef: string,
    service: string,
    members: string[],
    extra: Record<string, string | null>,
  ) {
    const event = await this.#auditor.createEvent({
      eventId: 'cloud-run-iap-access-expiry',
      severityLevel: 'medium',
      meta: { action, entityRef, service, members, ...extra },
    });
    await event.success();
  }

  /**
   * Every service of the configured projects and regions that names an entity
   * (`backstage.io/entity-ref`) or that `cloudRunIap.links` links: the services whose
   * accessors the portal may manage.
   */
  async #linkedServices(
    signal?: AbortSignal,
  ): Promise<Array<{ ref: CloudRunServiceRef; entityRefs: string[] }>> {
    const configured = new Map<string, string[]>();
    for (const link of this.#client.config.links) {
      configured.set(link.service, [
        ...(configured.get(link.service) ?? []),
        link.entityRef,
      ]);
    }
    const found: Array<{ ref: CloudRunServiceRef; entityRefs: string[] }> = [];
    for (const project of this.#client.config.projects) {
      for (const region of project.regions) {
        const parent = `projects/${project.id}/locations/${region}`;
        let services;
        try {
          services = await this.#client.listServices(parent, { signal });
        } catch (error) {
          this.#logger.warn(
            `Access expiry could not list the services of ${parent}: ${
              (error as Error).message
            }`,
          );
          continue;
        }
        for (const service of services) {
          if (!service.name) continue;
          const named = entityRefOrUndefined(linkFactsOf(service).entityRef);
          const entityRefs = [
            ...(named ? [named] : []),
            ...(configured.get(service.name) ?? []),
          ];
          if (entityRefs.length === 0) continue;
          let ref: CloudRunServiceRef;
          try {
            [ref] = parseCloudRunServiceAnnotation(service.name);
          } catch {
            continue;
          }
          found.push({ ref, entityRefs });
        }
      }
    }
    return found;
  }
}
