import { CloudRunServiceRef } from '../annotation';
import { AccessReport, ReviewRow, Severity } from '../report/types';

/*
 * Response bodies of the backend HTTP API (design.md §3.2) that are not the report itself.
 * The access report is `AccessReport`; simulate answers `SimulationResult`.
 */

/** Why an annotated service has no report. */
export type UnavailableServiceReason =
  /** Google answered 404: the annotation names a service that does not exist (or was deleted). */
  | 'not-found'
  /** The portal's Google identity may not read the service. */
  | 'permission-denied'
  /** The project is not one the portal is configured for (`cloudRunIap.projects`). */
  | 'not-configured'
  /**
   * The service does not name the entity (its `backstage.io/entity-ref` annotation, or a
   * `cloudRunIap.links` entry), or it records another owner group (`backstage.io/owner-group`).
   * A service that does not exist, or that the portal may not read, gets this answer too, so that
   * the answer says nothing about a service the caller has no link to.
   */
  | 'not-linked'
  /** Any other failure reading the service. */
  | 'error';

/** An annotated service for which no report could be built. */
export interface UnavailableService {
  ref: CloudRunServiceRef;
  resourceName: string;
  reason: UnavailableServiceReason;
  message: string;
  /** For `not-linked`: the `gcloud` command that links the service to the entity. */
  linkCommand?: string;
}

/** `GET /entities/by-name/:kind/:namespace/:name/access` */
export type AccessReportResponse = AccessReport & {
  /** Annotated services with no report, each with the reason. */
  unavailableServices: UnavailableService[];
};

/** One access level the template form can offer (`GET /access-levels?project=`). */
export interface AccessLevelOption {
  /** `accessPolicies/{policy}/accessLevels/{level}` */
  name: string;
  shortName: string;
  title?: string;
  description?: string;
  kind: 'basic' | 'custom';
  /** One line, e.g. `IP 10.0.0.0/8, 192.168.0.0/16` or `regions GB` or `custom CEL`. */
  summary: string;
}

/** `GET /access-levels?project=` */
export interface AccessLevelsResponse {
  projectId: string;
  /** `accessPolicies/{policy}`: the organization-level policy IAP evaluates. */
  accessPolicy: string;
  accessLevels: AccessLevelOption[];
}

/** Counts over the rows of a review. */
export interface ReviewSummary {
  /** Entities with at least one annotated service. */
  apps: number;
  services: number;
  /** Distinct (service, member) pairs. */
  accessors: number;
  /** Of those, how many are context-restricted. */
  coveredAccessors: number;
  /** `coveredAccessors / accessors`; 1 when there are none. */
  coverageRatio: number;
  /** Findings across every service, by severity. */
  findingsBySeverity: Record<Severity, number>;
}

/** An entity of the review whose report failed. */
export interface ReviewError {
  entityRef: string;
  message: string;
}

/** `GET /review?owner=` (JSON) */
export interface ReviewResponse {
  owner: string;
  generatedAt: string;
  summary: ReviewSummary;
  rows: ReviewRow[];
  /** Annotated services without a report (missing, unreadable). */
  unavailableServices: Array<UnavailableService & { entityRef: string }>;
  errors: ReviewError[];
}
