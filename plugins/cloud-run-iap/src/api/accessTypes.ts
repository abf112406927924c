import {
  CoverageSummary,
  IamBinding,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { Schema } from './openapiTypes';

/*
 * The day-two routes' bodies (issue 12): access changes, access requests, history and the
 * self-check. Requests, history and the self-check are the types generated from the backend's
 * OpenAPI spec (./generated/openapi.ts).
 */

/** What an owner wants to change on one service's managed grants. */
export interface AccessChange {
  /** The full service name, as in the entity annotation. */
  service: string;
  /** Members to grant. */
  add?: string[];
  /** Members of managed bindings to remove. */
  remove?: string[];
  /** Omitted: unchanged; `[]` or `null`: cleared; else full `accessPolicies/N/accessLevels/X` names. */
  accessLevels?: string[] | null;
}

/** `POST .../access/changes` body. */
export interface AccessChangeRequest extends AccessChange {
  dryRun?: boolean;
  /** Required when `dryRun` is false: the etag the preview returned. */
  etag?: string;
}

/** One side of a preview. */
export interface AccessPolicySnapshot {
  bindings: IamBinding[];
  coverage: CoverageSummary;
}

/** A grant the portal does not manage: shown, never edited. */
export interface UnmanagedGrant {
  member: string;
  grant: string;
  howToChange: string;
}

/** `POST .../access/changes` answer. */
export interface AccessChangePreview {
  dryRun: boolean;
  applied: boolean;
  service: string;
  /** Dry run: the policy etag previewed against; applied: the new etag. */
  etag: string;
  before: AccessPolicySnapshot;
  after: AccessPolicySnapshot;
  added: string[];
  removed: string[];
  accessLevels: { before: string[]; after: string[] };
  unmanaged: UnmanagedGrant[];
}

/** How long a requested grant lasts. */
export type AccessRequestDuration = Schema<'AccessRequestDuration'>;

/** Where a request stands. */
export type AccessRequestStatus = Schema<'AccessRequestStatus'>;

/** `POST .../access/requests` body. */
export type NewAccessRequest = Schema<'NewAccessRequest'>;

/** A request for access to one service of an app. */
export type AccessRequest = Schema<'AccessRequest'>;

/** `GET .../access/requests` and `GET /access/requests` answer. */
export type AccessRequestList = Schema<'AccessRequestList'>;

/** `POST /access/requests/{id}/decision` body. */
export type AccessDecision = Schema<'AccessDecision'>;

/** One entry of an app's access history. */
export type AccessEvent = Schema<'AccessEvent'>;

/** `GET .../access/history` answer, newest first. */
export type AccessHistory = Schema<'AccessHistory'>;

/** `POST .../access/self-check` body: the context to check from. */
export type SelfCheckRequest = Schema<'SelfCheckRequest'>;

/** Whether the caller gets in. */
export type SelfCheckVerdict = Schema<'SelfCheckVerdict'>;

/** Why the caller does not get in. */
export type SelfCheckMissingReason = Schema<'SelfCheckMissingReason'>;

/** The caller's answer for one service. */
export type SelfCheckService = Schema<'ServiceSelfCheck'>;

/** `POST .../access/self-check` answer: only about the caller. */
export type SelfCheckResult = Schema<'SelfCheckResult'>;
