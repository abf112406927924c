import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccessReportResponse,
  CLOUD_RUN_SERVICE_ANNOTATION,
  ReviewError,
  ReviewResponse,
  ReviewRow,
  ReviewSummary,
  SEVERITIES,
  Severity,
  reviewRowsFor,
  cloudRunIapAccessReadPermission,
  sortReviewRows,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';
import { AccessReportService } from './AccessReportService';
import { EntityAccessAuthorizer } from './EntityAccessAuthorizer';
import {
  DeadlineExceededError,
  formatDeadline,
  isDeadlineExceeded,
} from './RequestDeadline';
import { ServiceListing } from './ServiceListing';

/**
 * Reports built at once during a review, per slot of the Google read pool: enough that the pool
 * always has calls waiting while some reports wait for shared data (a project, a region's list).
 * Google calls stay bounded by the pool.
 */
const REPORTS_PER_GOOGLE_SLOT = 4;

async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/** Counts over a review: apps, distinct (service, member) accessors, coverage, findings. */
export function summarizeReview(
  reports: AccessReportResponse[],
  rows: ReviewRow[],
): ReviewSummary {
  const services = new Map(
    reports.flatMap(r => r.services).map(s => [s.resourceName, s]),
  );
  const accessors = new Map<string, ReviewRow>();
  for (const row of rows)
    accessors.set(`${row.serviceName} ${row.member}`, row);
  const covered = [...accessors.values()].filter(
    row => row.restriction !== 'unrestricted',
  ).length;
  const findingsBySeverity = Object.fromEntries(
    SEVERITIES.map(severity => [severity, 0]),
  ) as Record<Severity, number>;
  for (const service of services.values()) {
    for (const finding of service.findings) {
      findingsBySeverity[finding.severity] += 1;
    }
  }
  return {
    apps: reports.length,
    services: services.size,
    accessors: accessors.size,
    coveredAccessors: covered,
    coverageRatio: accessors.size === 0 ? 1 : covered / accessors.size,
    findingsBySeverity,
  };
}

export interface ReviewScope {
  /** The owning group or user (a full entity ref). */
  owner: string;
  /** Only entities that are part of this system (a full entity ref), to narrow a large review. */
  system?: string;
  /** `people`: one row per person who can get in, groups expanded. */
  expand?: 'people';
}

/**
 * The access review of an owner: every annotated entity it owns that the caller may read and
 * holds `cloud-run-iap.access.read` on, with one row per (entity, service, accessor). At most
 * `maxEntities` entities, all under one deadline (the signal).
 */
export class ReviewService {
  readonly #catalog: CatalogService;
  readonly #authorizer: EntityAccessAuthorizer;
  readonly #reports: AccessReportService;
  readonly #client: GoogleCloudClient;
  readonly #maxEntities: number;

  static create(options: {
    catalog: CatalogService;
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
    client: GoogleCloudClient;
    maxEntities: number;
  }) {
    return new ReviewService(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
    client: GoogleCloudClient;
    maxEntities: number;
  }) {
    this.#catalog = options.catalog;
    this.#authorizer = options.authorizer;
    this.#reports = options.reports;
    this.#client = options.client;
    this.#maxEntities = options.maxEntities;
  }

  /**
   * The report of every entity of the review's scope, and an error for each entity whose report
   * failed: the same entities, caps and deadline as {@link ReviewService.review}.
   */
  async ownedReports(
    scope: ReviewScope,
    credentials: BackstageCredentials,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ reports: AccessReportResponse[]; errors: ReviewError[] }> {
    const ownerRef = scope.owner;
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          'relations.ownedBy': ownerRef,
          [`metadata.annotations.${CLOUD_RUN_SERVICE_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
          ...(scope.system ? { 'relations.partOf': scope.system } : {}),
        },
      },
      { credentials },
    );
    const entities = await this.#authorizer.filterAuthorized(
      items,
      cloudRunIapAccessReadPermission,
      credentials,
    );
    if (entities.length > this.#maxEntities) {
      throw new InputError(
        `The review of ${ownerRef}${
          scope.system ? ` in ${scope.system}` : ''
        } covers ${entities.length} entities; at most ${
          this.#maxEntities
        } are reviewed at once (cloudRunIap.review.maxEntities). Narrow it with system=<system entity ref>, review the owner's sub-teams one at a time, or ask a portal operator to raise the cap.`,
      );
    }
    entities.sort((a, b) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
    );

    // Only the regions these entities name are listed, and a listed service is shown only to
    // the entity it is linked to: the listing changes how services are read, not what is shown.
    const listing = ServiceListing.create(this.#client, {
      signal: options.signal,
    });
    const errors: ReviewError[] = [];
    let passedDeadline: DeadlineExceededError | undefined;
    let late = 0;
    const reports = (
      await mapBounded(
        entities,
        REPORTS_PER_GOOGLE_SLOT * this.#client.config.concurrency,
        (entity: Entity) =>
          this.#reports
            .reportForEntity(entity, { signal: options.signal, listing })
            .catch((error: Error) => {
              if (
                error instanceof ServiceUnavailableError &&
                isDeadlineExceeded(options.signal?.reason)
              ) {
                passedDeadline = options.signal!.reason;
                late += 1;
              }
              errors.push({
                entityRef: stringifyEntityRef(entity),
                message: error.message,
              });
              return undefined;
            }),
      )
    ).filter((r): r is AccessReportResponse => r !== undefined);
    if (passedDeadline) {
      throw new ServiceUnavailableError(
        `The review of ${ownerRef} did not finish within ${formatDeadline(
          passedDeadline.deadlineMs,
        )}: ${late} of ${
          entities.length
        } apps had no report in time and none cached. Google Cloud is slow to answer; try again in a minute, or narrow the review with system=<system entity ref>.`,
      );
    }

    return {
      reports,
      errors: errors.sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
    };
  }

  async review(
    scope: ReviewScope,
    credentials: BackstageCredentials,
    options: { signal?: AbortSignal } = {},
  ): Promise<ReviewResponse> {
    const { reports, errors } = await this.ownedReports(
      scope,
      credentials,
      options,
    );
    const rows = sortReviewRows(
      reports.flatMap(report =>
        reviewRowsFor(report, { expand: scope.expand }),
      ),
    );
    return {
      owner: scope.owner,
      generatedAt: new Date().toISOString(),
      summary: summarizeReview(reports, rows),
      rows,
      unavailableServices: reports.flatMap(report =>
        report.unavailableServices.map(service => ({
          ...service,
          entityRef: report.entityRef,
        })),
      ),
      errors,
    };
  }
}
