import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
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
  buildReviewRows,
  cloudRunIapAccessReadPermission,
  sortReviewRows,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessReportService } from './AccessReportService';
import { EntityAccessAuthorizer } from './EntityAccessAuthorizer';

/** Reports built at once during a review; Google calls are bounded separately. */
const REVIEW_PARALLELISM = 8;

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

/**
 * The access review of an owner: every annotated entity it owns that the caller may read and
 * holds `cloud-run-iap.access.read` on, with one row per (entity, service, accessor).
 */
export class ReviewService {
  readonly #catalog: CatalogService;
  readonly #authorizer: EntityAccessAuthorizer;
  readonly #reports: AccessReportService;

  static create(options: {
    catalog: CatalogService;
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
  }) {
    return new ReviewService(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
  }) {
    this.#catalog = options.catalog;
    this.#authorizer = options.authorizer;
    this.#reports = options.reports;
  }

  async review(
    ownerRef: string,
    credentials: BackstageCredentials,
  ): Promise<ReviewResponse> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          'relations.ownedBy': ownerRef,
          [`metadata.annotations.${CLOUD_RUN_SERVICE_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials },
    );
    const entities = await this.#authorizer.filterAuthorized(
      items,
      cloudRunIapAccessReadPermission,
      credentials,
    );
    entities.sort((a, b) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
    );

    const errors: ReviewError[] = [];
    const reports = (
      await mapBounded(entities, REVIEW_PARALLELISM, (entity: Entity) =>
        this.#reports.reportForEntity(entity).catch((error: Error) => {
          errors.push({
            entityRef: stringifyEntityRef(entity),
            message: error.message,
          });
          return undefined;
        }),
      )
    ).filter((r): r is AccessReportResponse => r !== undefined);

    const rows = sortReviewRows(reports.flatMap(buildReviewRows));
    return {
      owner: ownerRef,
      generatedAt: new Date().toISOString(),
      summary: summarizeReview(reports, rows),
      rows,
      unavailableServices: reports.flatMap(report =>
        report.unavailableServices.map(service => ({
          ...service,
          entityRef: report.entityRef,
        })),
      ),
      errors: errors.sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
    };
  }
}
