import {
  CoverageSummary,
  GrantLevel,
  IamBinding,
} from '@internal-apps/plugin-cloud-run-iap-common';

/*
 * The day-two routes' bodies (issue 12): access changes, access requests, history and the
 * self-check, as the backend's OpenAPI spec describes them.
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
export type AccessRequestDuration = 'P1D' | 'P7D' | 'P30D' | 'permanent';

/** Where a request stands. */
export type AccessRequestStatus =
  | 'pending'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'revoked';

/** `POST .../access/requests` body. */
export interface NewAccessRequest {
  service: string;
  /** Why the requester needs access (1 to 1000 characters). */
  justification: string;
  duration: AccessRequestDuration;
}

/** A request for access to one service of an app. */
export interface AccessRequest {
  id: string;
  entityRef: string;
  service: string;
  /** The requester's user entity ref. */
  requester: string;
  /** The IAM member the grant is for, `user:<email>`. */
  member: string;
  justification: string;
  duration: AccessRequestDuration;
  status: AccessRequestStatus;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  comment?: string;
  /** When the approved grant ends; absent for permanent grants and undecided requests. */
  expiresAt?: string;
  /** When a pending request lapses undecided. */
  requestExpiresAt: string;
}

/** `GET .../access/requests` and `GET /access/requests` answer. */
export interface AccessRequestList {
  items: AccessRequest[];
}

/** `POST /access/requests/{id}/decision` body. */
export interface AccessDecision {
  decision: 'approve' | 'deny';
  comment?: string;
}

/** One entry of an app's access history. */
export interface AccessEvent {
  id: string;
  entityRef: string;
  service: string;
  kind:
    | 'change'
    | 'request'
    | 'approve'
    | 'deny'
    | 'expire'
    | 'request-expired';
  actor: string;
  members: string[];
  detail?: string;
  at: string;
}

/** `GET .../access/history` answer, newest first. */
export interface AccessHistory {
  items: AccessEvent[];
}

/** `POST .../access/self-check` body: the context to check from. */
export interface SelfCheckRequest {
  ip?: string;
  region?: string;
}

/** Whether the caller gets in. */
export type SelfCheckVerdict =
  | 'allowed'
  | 'allowed-if-context'
  | 'denied'
  | 'unknown';

/** Why the caller does not get in. */
export type SelfCheckMissingReason =
  | 'iap-off'
  | 'no-grant'
  | 'not-in-group'
  | 'access-level'
  | 'domain-cannot-sign-in'
  | 'grant-expired'
  | 'unknown';

/** The caller's answer for one service. */
export interface SelfCheckService {
  service: string;
  verdict: SelfCheckVerdict;
  through?: {
    grant: string;
    level: GrantLevel;
    resource: string;
    viaGroup?: string;
    expiresAt?: string;
  };
  missing: Array<{ reason: SelfCheckMissingReason; message: string }>;
  canRequest: boolean;
}

/** `POST .../access/self-check` answer: only about the caller. */
export interface SelfCheckResult {
  member: string;
  services: SelfCheckService[];
}
