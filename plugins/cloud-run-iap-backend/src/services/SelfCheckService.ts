import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  SelfCheckRequest,
  SelfCheckResult,
  checkOwnAccess,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessReportService } from './AccessReportService';
import { EntityAccessAuthorizer } from './EntityAccessAuthorizer';
import { memberOfUserEntity } from './userMember';

/**
 * "Why can't I get in?": the caller's own access to each service of an entity. Any user who can
 * read the entity may ask; the answer is built from the entity's report (read with the portal's
 * identity) by `-common`'s self-check, and speaks only about the caller.
 */
export class SelfCheckService {
  readonly #catalog: CatalogService;
  readonly #authorizer: EntityAccessAuthorizer;
  readonly #reports: AccessReportService;
  readonly #organizationDomains: readonly string[];

  static create(options: {
    catalog: CatalogService;
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
    /** `cloudRunIap.organization.domains`: their members may request access. */
    organizationDomains: readonly string[];
  }) {
    return new SelfCheckService(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
    organizationDomains: readonly string[];
  }) {
    this.#catalog = options.catalog;
    this.#authorizer = options.authorizer;
    this.#reports = options.reports;
    this.#organizationDomains = options.organizationDomains.map(d =>
      d.toLowerCase(),
    );
  }

  async check(
    entityRef: string,
    request: SelfCheckRequest,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    options: { signal?: AbortSignal } = {},
  ): Promise<SelfCheckResult> {
    const entity = await this.#authorizer.loadReadableEntity(
      entityRef,
      credentials,
    );
    this.#reports.serviceRefs(entity);
    const member = await this.#callerMember(credentials);
    const report = await this.#reports.reportForEntity(entity, {
      signal: options.signal,
    });
    return checkOwnAccess(report, member, request, {
      organizationDomains: this.#organizationDomains,
    });
  }

  /** `user:` and the email of the caller's catalog User entity. */
  async #callerMember(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<string> {
    const userRef = credentials.principal.userEntityRef;
    const user = await this.#catalog.getEntityByRef(userRef, { credentials });
    return memberOfUserEntity(user, userRef, 'The self-check');
  }
}
