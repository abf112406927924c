import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  CloudRunServiceRef,
  ManagedBindingError,
  TimeBoundGrant,
  expiredTimeBoundBindings,
  parseTimeBoundBinding,
  readManagedAccess,
  timeBoundBinding,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  GoogleCloudClient,
  changeAccessors,
  iapResourceName,
  modifyIapAccessPolicy,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { AccessReportService } from './AccessReportService';
import { AccessRequest } from './accessRequestTypes';
import { describeForUser } from './googleErrors';
import { ServiceLinks, linkFactsOf } from './ServiceLinks';

/**
 * The Google side of access requests: the ownership check a decision needs, the grant an
 * approval writes, and the removal of grants that ended. Writes go through `-node`'s etag
 * read-modify-write of the IAP policy and touch only bindings the portal manages; each write
 * drops the service's cached report, so the next one shows it.
 */
export class RequestedGrants {
  readonly #client: GoogleCloudClient;
  readonly #links: ServiceLinks;
  readonly #reports: AccessReportService;
  readonly #projectNumbers = new Map<string, Promise<string>>();

  static create(options: {
    client: GoogleCloudClient;
    links: ServiceLinks;
    reports: AccessReportService;
  }) {
    return new RequestedGrants(options);
  }

  private constructor(options: {
    client: GoogleCloudClient;
    links: ServiceLinks;
    reports: AccessReportService;
  }) {
    this.#client = options.client;
    this.#links = options.links;
    this.#reports = options.reports;
  }

  /**
   * Refuses (403, saying why) unless Google's own record links the service to the entity and,
   * when the service records an owner group, the entity's spec.owner is that group.
   */
  async assertOwnership(entity: Entity, ref: CloudRunServiceRef) {
    let service;
    try {
      service = await this.#client.getService(ref.name);
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not read ${
          ref.name
        } from Google to check who owns it: ${describeForUser(error)}`,
      );
    }
    // A service Google does not show has no facts: only cloudRunIap.links can link it then.
    const facts = service ? linkFactsOf(service) : {};
    const why = this.#links.whyNotLinked(entity, ref, facts);
    if (why) throw new NotAllowedError(why);
  }

  /**
   * Writes the grant of an approved request: a time-bound binding (with the app's access
   * levels) when it has an end, else the member joins the managed accessor binding.
   */
  async grant(
    request: AccessRequest,
    ref: CloudRunServiceRef,
    approvedBy: string,
  ): Promise<void> {
    const resource = await this.#iapResource(ref);
    const expiresAt = request.expiresAt;
    try {
      if (!expiresAt) {
        await changeAccessors(this.#client, resource, {
          add: [request.member],
          remove: [],
        });
      } else {
        await modifyIapAccessPolicy(this.#client, resource, bindings => {
          const { levels } = readManagedAccess(bindings);
          // A retried approval replaces its own binding instead of adding a second one.
          const others = bindings.filter(
            b => parseTimeBoundBinding(b)?.requestId !== request.id,
          );
          return [
            ...others,
            timeBoundBinding({
              member: request.member,
              expiresAt,
              levels,
              requestId: request.id,
              approvedBy,
            }),
          ];
        });
      }
    } catch (error) {
      throw this.#writeFailure(
        `Granting ${request.member} access to ${ref.name}`,
        error,
      );
    }
    await this.#reports.invalidateServiceReport(ref);
  }

  /** Removes the portal's time-bound grants that ended by `now`; returns what it removed. */
  async removeExpired(
    ref: CloudRunServiceRef,
    now: Date,
  ): Promise<TimeBoundGrant[]> {
    const resource = await this.#iapResource(ref);
    let removed: TimeBoundGrant[] = [];
    try {
      await modifyIapAccessPolicy(this.#client, resource, bindings => {
        const expired = new Set(expiredTimeBoundBindings(bindings, now));
        removed = [...expired].map(b => parseTimeBoundBinding(b)!);
        return bindings.filter(b => !expired.has(b));
      });
    } catch (error) {
      throw this.#writeFailure(
        `Removing expired grants from ${ref.name}`,
        error,
      );
    }
    if (removed.length > 0) await this.#reports.invalidateServiceReport(ref);
    return removed;
  }

  /** The IAP resource of a service: `projects/<number>/iap_web/cloud_run-<region>/services/<id>`. */
  async #iapResource(ref: CloudRunServiceRef): Promise<string> {
    let number = this.#projectNumbers.get(ref.projectId);
    if (!number) {
      number = this.#client
        .resolveProject(ref.projectId)
        .then(p => p.projectNumber);
      this.#projectNumbers.set(ref.projectId, number);
      number.catch(() => this.#projectNumbers.delete(ref.projectId));
    }
    try {
      return iapResourceName(await number, ref.region, ref.serviceId);
    } catch (error) {
      throw this.#writeFailure(`Reading project ${ref.projectId}`, error);
    }
  }

  #writeFailure(what: string, error: unknown): Error {
    if (error instanceof ServiceUnavailableError) return error;
    if (error instanceof ManagedBindingError) {
      // The policy is in a state only a person can sort out: nothing was written.
      return new ConflictError(`${what}: ${error.message}`);
    }
    return new ServiceUnavailableError(
      `${what} failed: ${describeForUser(error)}`,
    );
  }
}
