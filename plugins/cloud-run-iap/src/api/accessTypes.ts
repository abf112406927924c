import { Schema } from './openapiTypes';

/*
 * The day-two routes' bodies (issue 12): access changes, access requests, history and the
 * self-check, as the types generated from the backend's OpenAPI spec (./generated/openapi.ts).
 */

/** `POST .../access/changes` body. */
export type AccessChangeRequest = Schema<'AccessChangeRequest'>;

/** What an owner wants to change on one service's managed grants (dry run and etag aside). */
export type AccessChange = Omit<AccessChangeRequest, 'dryRun' | 'etag'>;

/** One side of a preview: the service's IAP policy bindings and coverage. */
export type AccessPolicySnapshot = Schema<'AccessPolicySnapshot'>;

/** A grant the portal does not manage: shown, never edited. */
export type UnmanagedGrant = Schema<'UnmanagedGrant'>;

/** `POST .../access/changes` answer. */
export type AccessChangePreview = Schema<'AccessChangePreview'>;

/** The 409 of `POST .../access/changes`: the access changed since the preview. */
export type AccessChangeConflict = Schema<'AccessChangeConflict'>;

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
