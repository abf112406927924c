import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  AccessReportResponse,
  CloudRunServiceRef,
  IamPolicy,
  RunService,
  ServiceAccessInput,
  ServiceAccessReport,
  Sourced,
  UnavailableService,
  buildServiceAccessReport,
  getCloudRunServiceRefs,
  iapProjectResource,
  iapRegionResource,
  iapServiceResource,
  isManagedService,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  CloudRunIapConfig,
  GoogleCloudClient,
  memberPolicyOf,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { CachedLoader, Loaded } from './CachedLoader';
import { DeclaredAccessData } from './DeclaredAccessData';
import { GoogleAccessData, readIapSettings, sourced } from './GoogleAccessData';
import { loadWhoCanGetInInputs } from './WhoCanGetInData';
import {
  canServeStaleReport,
  describeForUser,
  googleHttpStatus,
  isTransientGoogleError,
} from './googleErrors';
import {
  DeadlineExceededError,
  formatDeadline,
  isDeadlineExceeded,
} from './RequestDeadline';
import { ServiceLinkFacts, ServiceLinks, linkFactsOf } from './ServiceLinks';
import { ServiceListing } from './ServiceListing';

/** An annotation naming more services than this is refused: each one costs a dozen Google calls. */
export const MAX_SERVICES_PER_ENTITY = 20;

/** What one annotated service yields, cached per service: its report, or why there is none. */
export type ServiceResult =
  | { report: ServiceAccessReport; link: ServiceLinkFacts }
  /** The service could not be read (absent, or not readable): it names no entity. */
  | { unavailable: UnavailableService };

/** The analyses of one service, each with another IAP policy of its own. */
export interface ServiceAnalyses {
  reports: ServiceAccessReport[];
  /** What the service itself records about its entity and owner. */
  link: ServiceLinkFacts;
}

const serviceReportKey = (ref: CloudRunServiceRef) =>
  `service-report:v3:${ref.name}`;

/** How long an answer without a service ("not found", "not readable") is kept; never stale. */
export const ABSENT_SERVICE_TTL_MS = 15_000;

/** One annotated service as the requesting entity sees it. */
type ServiceView =
  | { report: ServiceAccessReport; loaded: Loaded<ServiceResult> }
  | { unavailable: UnavailableService; loaded?: Loaded<ServiceResult> }
  | { ref: CloudRunServiceRef; failure: unknown };

export interface ReportOptions {
  /** Load again even when the cached copy is fresh. */
  refresh?: boolean;
  /** Aborts the Google calls (the request's deadline, or the client went away). */
  signal?: AbortSignal;
  /** Where a review reads its services from (one list per region), instead of one get each. */
  listing?: ServiceListing;
}

function notConfigured(ref: CloudRunServiceRef): UnavailableService {
  return {
    ref,
    resourceName: ref.name,
    reason: 'not-configured',
    message: `Project ${ref.projectId} is not one of the projects this portal reports on (cloudRunIap.projects).`,
  };
}

/**
 * Builds the access report of an entity: for each service its annotation names, gathers the
 * Google data in parallel (shared parts through `GoogleAccessData`), runs the pure analysis of
 * `-common`, and caches the result per service with one load in flight per service. Whether the
 * service is linked to the requesting entity is decided on every request, from the service's own
 * annotations kept with its cached result (`ServiceLinks`); an unlinked service shows nothing.
 * The entity's declared access is compared with each report on every request too
 * (`DeclaredAccessData`).
 */
export class AccessReportService {
  readonly #client: GoogleCloudClient;
  readonly #config: CloudRunIapConfig;
  readonly #data: GoogleAccessData;
  readonly #reports: CachedLoader;
  readonly #links: ServiceLinks;
  readonly #logger: LoggerService;
  readonly #declared: DeclaredAccessData;

  static create(options: {
    client: GoogleCloudClient;
    data: GoogleAccessData;
    reports: CachedLoader;
    links: ServiceLinks;
    logger: LoggerService;
  }) {
    return new AccessReportService(options);
  }

  private constructor(options: {
    client: GoogleCloudClient;
    data: GoogleAccessData;
    reports: CachedLoader;
    links: ServiceLinks;
    logger: LoggerService;
  }) {
    this.#client = options.client;
    this.#config = options.client.config;
    this.#data = options.data;
    this.#reports = options.reports;
    this.#links = options.links;
    this.#logger = options.logger;
    this.#declared = new DeclaredAccessData({
      data: options.data,
      members: memberPolicyOf(options.client.config),
    });
  }

  /** The services an entity annotates; a malformed annotation is the caller's problem (400). */
  serviceRefs(entity: Entity): CloudRunServiceRef[] {
    const entityRef = stringifyEntityRef(entity);
    let refs: CloudRunServiceRef[];
    try {
      refs = getCloudRunServiceRefs(entity);
    } catch (error) {
      throw new InputError(
        `${entityRef} has an invalid annotation: ${(error as Error).message}`,
      );
    }
    if (refs.length === 0) {
      throw new InputError(
        `${entityRef} has no google.com/cloud-run-service annotation`,
      );
    }
    if (refs.length > MAX_SERVICES_PER_ENTITY) {
      throw new InputError(
        `${entityRef} annotates ${refs.length} services; at most ${MAX_SERVICES_PER_ENTITY} are reported per entity`,
      );
    }
    return refs;
  }

  async reportForEntity(
    entity: Entity,
    options: ReportOptions = {},
  ): Promise<AccessReportResponse> {
    const entityRef = stringifyEntityRef(entity);
    const refs = this.serviceRefs(entity);
    const views = await Promise.all(
      refs.map(ref => this.#serviceView(entity, ref, options)),
    );

    const failures = views.filter(
      (v): v is Extract<ServiceView, { failure: unknown }> => 'failure' in v,
    );
    if (failures.length === views.length) {
      const deadline = failures.find(f => isDeadlineExceeded(f.failure));
      if (deadline) {
        this.#logger.warn(
          `Access report for ${entityRef} passed its deadline and no cached copy exists`,
        );
        throw new ServiceUnavailableError(
          `The access report for ${entityRef} did not finish within ${formatDeadline(
            (deadline.failure as DeadlineExceededError).deadlineMs,
          )} and no earlier report is cached. Google Cloud is slow to answer; try again in a minute.`,
        );
      }
      const reason = describeForUser(failures[0].failure);
      this.#logger.warn(
        `Access report for ${entityRef} failed and no cached copy exists: ${reason}`,
      );
      throw new ServiceUnavailableError(
        `Google Cloud could not be reached for ${entityRef} and no earlier report is cached (${reason}). Try again in a minute.`,
      );
    }

    const services: ServiceAccessReport[] = [];
    const unavailableServices: UnavailableService[] = [];
    const loaded: Array<Loaded<ServiceResult>> = [];
    for (const view of views) {
      if ('failure' in view) {
        unavailableServices.push({
          ref: view.ref,
          resourceName: view.ref.name,
          reason: 'error',
          message: isDeadlineExceeded(view.failure)
            ? `The report of this service did not finish in time and no earlier report is cached (${describeForUser(
                view.failure,
              )}).`
            : `Google Cloud could not be reached and no earlier report is cached: ${describeForUser(
                view.failure,
              )}`,
        });
        continue;
      }
      if (view.loaded) loaded.push(view.loaded);
      if ('report' in view) services.push(view.report);
      else unavailableServices.push(view.unavailable);
    }

    const oldest =
      loaded.length > 0
        ? Math.min(...loaded.map(l => l.fetchedAt.getTime()))
        : Date.now();
    const stalest = loaded
      .map(l => l.stale)
      .filter(s => s !== undefined)
      .sort((a, b) => b.ageSeconds - a.ageSeconds)[0];
    return {
      entityRef,
      services,
      unavailableServices,
      fetchedAt: new Date(oldest).toISOString(),
      fromCache: loaded.length > 0 && loaded.every(l => l.fromCache),
      ...(stalest ? { stale: stalest } : {}),
    };
  }

  /**
   * What the entity may see of one service. An unlinked service answers the same whether it
   * exists or not, and its cached copy neither shows nor dates the answer.
   */
  async #serviceView(
    entity: Entity,
    ref: CloudRunServiceRef,
    options: ReportOptions,
  ): Promise<ServiceView> {
    if (!this.#isConfiguredProject(ref.projectId)) {
      return { unavailable: notConfigured(ref) };
    }
    let loaded: Loaded<ServiceResult>;
    try {
      loaded = await this.#reports.load<ServiceResult>(
        serviceReportKey(ref),
        signal => this.#loadServiceResult(ref, signal, options.listing),
        {
          refresh: options.refresh,
          signal: options.signal,
          expiry: result =>
            'report' in result
              ? { ttlMs: this.#config.cacheTtlSeconds * 1000, serveStale: true }
              : {
                  ttlMs: Math.min(
                    ABSENT_SERVICE_TTL_MS,
                    this.#config.cacheTtlSeconds * 1000,
                  ),
                  serveStale: false,
                },
        },
      );
    } catch (failure) {
      if (!canServeStaleReport(failure)) throw failure;
      return { ref, failure };
    }
    const result = loaded.value;
    const facts = 'report' in result ? result.link : undefined;
    if (!this.#links.isLinked(entity, ref, facts)) {
      // A stale copy only exists for a service that exists: answer as if nothing were cached.
      if (loaded.stale) return { ref, failure: loaded.staleBecause };
      return { unavailable: this.#links.notLinked(entity, ref) };
    }
    if ('report' in result) {
      const report = await this.#declared.compare(entity, result.report, {
        signal: options.signal,
      });
      return { report, loaded };
    }
    return { unavailable: result.unavailable, loaded };
  }

  #isConfiguredProject(projectId: string): boolean {
    return this.#config.projects.some(p => p.id === projectId);
  }

  /**
   * The report's analysis of one service, read fresh from Google, once for each IAP policy
   * given in place of the service's own (a change's before and after): the same reads and the
   * same analysis as its report. With the service's own link facts, for the ownership check.
   */
  async analyzeServicePolicies(
    ref: CloudRunServiceRef,
    servicePolicies: IamPolicy[],
    options: { signal?: AbortSignal } = {},
  ): Promise<ServiceAnalyses | { unavailable: UnavailableService }> {
    if (!this.#isConfiguredProject(ref.projectId)) {
      return { unavailable: notConfigured(ref) };
    }
    return this.#analyzeService(
      ref,
      options.signal ?? new AbortController().signal,
      undefined,
      servicePolicies,
    );
  }

  /** The next report of the service is read from Google (after the portal changed its access). */
  async invalidateServiceReport(ref: CloudRunServiceRef): Promise<void> {
    await this.#reports.invalidate(serviceReportKey(ref));
  }

  async #loadServiceResult(
    ref: CloudRunServiceRef,
    signal: AbortSignal,
    listing: ServiceListing | undefined,
  ): Promise<ServiceResult> {
    const analyzed = await this.#analyzeService(ref, signal, listing);
    if ('unavailable' in analyzed) return analyzed;
    return { report: analyzed.reports[0], link: analyzed.link };
  }

  async #analyzeService(
    ref: CloudRunServiceRef,
    signal: AbortSignal,
    listing: ServiceListing | undefined,
    servicePolicies?: IamPolicy[],
  ): Promise<ServiceAnalyses | { unavailable: UnavailableService }> {
    const unavailable = (
      reason: UnavailableService['reason'],
      message: string,
    ) => ({
      unavailable: { ref, resourceName: ref.name, reason, message },
    });

    let project;
    try {
      project = await this.#data.project(ref.projectId, { signal });
    } catch (error) {
      if (isTransientGoogleError(error)) throw error;
      // Google answers 403 both for a project that does not exist and one the portal may not read.
      return unavailable(
        'permission-denied',
        `Project ${
          ref.projectId
        } does not exist or the portal may not read it (${describeForUser(
          error,
        )}).`,
      );
    }

    const { projectNumber } = project;
    const serviceResource = iapServiceResource(projectNumber, ref);
    const resourcePolicies = [
      { level: 'project' as const, resource: `projects/${ref.projectId}` },
      ...project.ancestry.map(resource => ({
        level: resource.startsWith('folders/')
          ? ('folder' as const)
          : ('organization' as const),
        resource,
      })),
    ];

    const [
      service,
      runPolicy,
      servicePolicy,
      regionPolicy,
      projectIapPolicy,
      iapSettings,
      ancestorPolicies,
      accessPolicies,
    ] = await Promise.all([
      (listing
        ? listing.service(ref, { signal })
        : this.#client.getService(ref.name, { signal })
      ).then(
        (found): { found?: RunService } => ({ found }),
        (error: unknown) => {
          if (isTransientGoogleError(error)) throw error;
          return { error };
        },
      ),
      sourced(
        this.#client.getIamPolicy({ kind: 'run', name: ref.name }, { signal }),
      ),
      sourced(
        this.#client.getIamPolicy(
          { kind: 'iap', resource: serviceResource },
          { signal },
        ),
      ),
      this.#data.iapPolicy(iapRegionResource(projectNumber, ref.region), {
        signal,
      }),
      this.#data.iapPolicy(iapProjectResource(projectNumber), { signal }),
      readIapSettings(this.#client, serviceResource, signal),
      Promise.all(
        resourcePolicies.map(p =>
          this.#data.resourcePolicy(p.level, p.resource, { signal }),
        ),
      ),
      this.#data.organizationAccessPolicies(project.organizationId, {
        signal,
      }),
    ]);

    if ('error' in service) {
      const status = googleHttpStatus(service.error);
      return unavailable(
        status === 403 ? 'permission-denied' : 'error',
        `The portal could not read ${ref.name}: ${describeForUser(
          service.error,
        )}`,
      );
    }
    if (!service.found) {
      return unavailable(
        'not-found',
        `${ref.name} does not exist. Check the google.com/cloud-run-service annotation, or whether the service was deleted.`,
      );
    }

    const organizationDomains = [
      ...new Set(
        [
          ...this.#config.organization.domains,
          project.organizationDomain?.toLowerCase(),
        ].filter((d): d is string => Boolean(d)),
      ),
    ];
    const found = service.found;
    const analyze = async (ownPolicy: Sourced<IamPolicy>) => {
      const whoCanGetIn = await loadWhoCanGetInInputs(
        this.#data,
        {
          project,
          region: ref.region,
          serviceId: ref.serviceId,
          serviceSettings: iapSettings,
        },
        {
          runPolicy,
          iapPolicies: [ownPolicy, regionPolicy, projectIapPolicy],
          resourcePolicies: ancestorPolicies,
        },
        signal,
      );
      const input: ServiceAccessInput = {
        ref,
        projectNumber,
        organizationDomains,
        allowExternalMembers: this.#config.organization.allowExternalMembers,
        workforcePools: this.#config.organization.workforcePools,
        managed: isManagedService(found),
        service: found,
        runPolicy,
        iapPolicies: {
          service: ownPolicy,
          region: regionPolicy,
          project: projectIapPolicy,
        },
        resourcePolicies: ancestorPolicies,
        iapSettings,
        organizationPolicy: accessPolicies.organizationPolicy,
        scopedPolicies: accessPolicies.scopedPolicies,
        perimeters: accessPolicies.perimeters,
        ...whoCanGetIn,
      };
      return buildServiceAccessReport(input);
    };
    return {
      reports: await Promise.all(
        (servicePolicies ?? [servicePolicy]).map(analyze),
      ),
      link: linkFactsOf(found),
    };
  }
}
