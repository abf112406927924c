import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  AccessReportResponse,
  CloudRunServiceRef,
  IamPolicy,
  IapSettings,
  RunService,
  ServiceAccessInput,
  ServiceAccessReport,
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
} from '@internal-apps/plugin-cloud-run-iap-node';
import { CachedLoader, Loaded } from './CachedLoader';
import { GoogleAccessData, asCommon, sourced } from './GoogleAccessData';
import {
  describeForUser,
  googleHttpStatus,
  isTransientGoogleError,
} from './googleErrors';

/** An annotation naming more services than this is refused: each one costs a dozen Google calls. */
export const MAX_SERVICES_PER_ENTITY = 20;

/** What one annotated service yields: its report, or why there is none. */
export type ServiceResult =
  | { report: ServiceAccessReport }
  | { unavailable: UnavailableService };

type Outcome =
  | { ref: CloudRunServiceRef; loaded: Loaded<ServiceResult> }
  | { ref: CloudRunServiceRef; failure: unknown };

/**
 * Builds the access report of an entity: for each service its annotation names, gathers the
 * Google data in parallel (shared parts through `GoogleAccessData`), runs the pure analysis of
 * `-common`, and caches the result per service with one load in flight per service.
 */
export class AccessReportService {
  readonly #client: GoogleCloudClient;
  readonly #config: CloudRunIapConfig;
  readonly #data: GoogleAccessData;
  readonly #reports: CachedLoader;
  readonly #logger: LoggerService;

  static create(options: {
    client: GoogleCloudClient;
    data: GoogleAccessData;
    reports: CachedLoader;
    logger: LoggerService;
  }) {
    return new AccessReportService(options);
  }

  private constructor(options: {
    client: GoogleCloudClient;
    data: GoogleAccessData;
    reports: CachedLoader;
    logger: LoggerService;
  }) {
    this.#client = options.client;
    this.#config = options.client.config;
    this.#data = options.data;
    this.#reports = options.reports;
    this.#logger = options.logger;
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
    options: { refresh?: boolean } = {},
  ): Promise<AccessReportResponse> {
    const entityRef = stringifyEntityRef(entity);
    const refs = this.serviceRefs(entity);
    const outcomes = await Promise.all(
      refs.map(ref => this.#serviceOutcome(ref, options)),
    );

    const failures = outcomes.filter(
      (o): o is Extract<Outcome, { failure: unknown }> => 'failure' in o,
    );
    if (failures.length === outcomes.length) {
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
    for (const outcome of outcomes) {
      if ('failure' in outcome) {
        unavailableServices.push({
          ref: outcome.ref,
          resourceName: outcome.ref.name,
          reason: 'error',
          message: `Google Cloud could not be reached and no earlier report is cached: ${describeForUser(
            outcome.failure,
          )}`,
        });
        continue;
      }
      loaded.push(outcome.loaded);
      const result = outcome.loaded.value;
      if ('report' in result) services.push(result.report);
      else unavailableServices.push(result.unavailable);
    }

    const oldest = Math.min(...loaded.map(l => l.fetchedAt.getTime()));
    const stalest = loaded
      .map(l => l.stale)
      .filter(s => s !== undefined)
      .sort((a, b) => b.ageSeconds - a.ageSeconds)[0];
    return {
      entityRef,
      services,
      unavailableServices,
      fetchedAt: new Date(oldest).toISOString(),
      fromCache: loaded.every(l => l.fromCache),
      ...(stalest ? { stale: stalest } : {}),
    };
  }

  async #serviceOutcome(
    ref: CloudRunServiceRef,
    options: { refresh?: boolean },
  ): Promise<Outcome> {
    const now = new Date();
    if (!this.#isConfiguredProject(ref.projectId)) {
      return {
        ref,
        loaded: {
          fetchedAt: now,
          fromCache: false,
          value: {
            unavailable: {
              ref,
              resourceName: ref.name,
              reason: 'not-configured',
              message: `Project ${ref.projectId} is not one of the projects this portal reports on (cloudRunIap.projects).`,
            },
          },
        },
      };
    }
    try {
      const loaded = await this.#reports.load(
        `service-report:v1:${ref.name}`,
        () => this.#loadServiceResult(ref),
        options,
      );
      return { ref, loaded };
    } catch (failure) {
      if (!isTransientGoogleError(failure)) throw failure;
      return { ref, failure };
    }
  }

  #isConfiguredProject(projectId: string): boolean {
    const projects = this.#config.projects;
    return projects.length === 0 || projects.some(p => p.id === projectId);
  }

  async #loadServiceResult(ref: CloudRunServiceRef): Promise<ServiceResult> {
    const unavailable = (
      reason: UnavailableService['reason'],
      message: string,
    ): ServiceResult => ({
      unavailable: { ref, resourceName: ref.name, reason, message },
    });

    let project;
    try {
      project = await this.#data.project(ref.projectId);
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
      this.#client.getService(ref.name).then(
        found => ({ found: asCommon<RunService | undefined>(found) }),
        (error: unknown) => {
          if (isTransientGoogleError(error)) throw error;
          return { error };
        },
      ),
      sourced(
        this.#client
          .getIamPolicy({ kind: 'run', name: ref.name })
          .then(p => asCommon<IamPolicy>(p)),
      ),
      sourced(
        this.#client
          .getIamPolicy({ kind: 'iap', resource: serviceResource })
          .then(p => asCommon<IamPolicy>(p)),
      ),
      this.#data.iapPolicy(iapRegionResource(projectNumber, ref.region)),
      this.#data.iapPolicy(iapProjectResource(projectNumber)),
      sourced(
        this.#client
          .getIapSettings(serviceResource)
          .then(s => asCommon<IapSettings>(s)),
      ),
      Promise.all(
        resourcePolicies.map(p =>
          this.#data.resourcePolicy(p.level, p.resource),
        ),
      ),
      this.#data.organizationAccessPolicies(project.organizationId),
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
    const input: ServiceAccessInput = {
      ref,
      projectNumber,
      organizationDomains,
      allowExternalMembers: this.#config.organization.allowExternalMembers,
      managed: isManagedService(service.found),
      service: service.found,
      runPolicy,
      iapPolicies: {
        service: servicePolicy,
        region: regionPolicy,
        project: projectIapPolicy,
      },
      resourcePolicies: ancestorPolicies,
      iapSettings,
      organizationPolicy: accessPolicies.organizationPolicy,
      scopedPolicies: accessPolicies.scopedPolicies,
      perimeters: accessPolicies.perimeters,
    };
    return { report: buildServiceAccessReport(input) };
  }
}
