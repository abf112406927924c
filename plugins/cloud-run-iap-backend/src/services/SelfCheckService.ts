import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  SelfCheckRequest,
  SelfCheckResult,
  checkOwnAccess,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessReportService } from './AccessReportService';
import { EntityAccessAuthorizer } from './EntityAccessAuthorizer';

/** A plain email: one `@`, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
    const user: Entity | undefined = await this.#catalog.getEntityByRef(
      userRef,
      { credentials },
    );
    if (!user) {
      throw new InputError(
        `Your user entity ${userRef} is not in the catalog, so it has no spec.profile.email: the self-check needs the email you sign in to Google with.`,
      );
    }
    const email = (user.spec?.profile as { email?: unknown } | undefined)
      ?.email;
    if (typeof email !== 'string' || email.trim() === '') {
      throw new InputError(
        `Your user entity ${userRef} has no spec.profile.email: the self-check needs the email you sign in to Google with.`,
      );
    }
    if (!EMAIL.test(email.trim())) {
      throw new InputError(
        `spec.profile.email of your user entity ${userRef} must be an email address such as ada@example.com (got ${JSON.stringify(
          email,
        )})`,
      );
    }
    return `user:${email.trim().toLowerCase()}`;
  }
}
