/** The lengths an access request may last; `permanent` only with `cloudRunIap.requests.allowPermanent`. */
export const ACCESS_REQUEST_DURATIONS = [
  'P1D',
  'P7D',
  'P30D',
  'permanent',
] as const;
export type AccessRequestDuration = (typeof ACCESS_REQUEST_DURATIONS)[number];

export type AccessRequestStatus =
  | 'pending'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'revoked';

/** One request for access to one service of an app, as the HTTP API answers it. */
export interface AccessRequest {
  id: string;
  /** The app (catalog entity) the service belongs to. */
  entityRef: string;
  /** `projects/<project-id>/locations/<region>/services/<service-id>` */
  service: string;
  /** The requester's user entity ref. */
  requester: string;
  /** `user:<email>` from the requester's catalog User entity: what an approval grants. */
  member: string;
  justification: string;
  duration: AccessRequestDuration;
  status: AccessRequestStatus;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  comment?: string;
  /** When the granted access ends (approved time-bound requests). */
  expiresAt?: string;
  /** When the request expires if nobody decides it. */
  requestExpiresAt: string;
}

export type AccessEventKind =
  | 'change'
  | 'request'
  | 'approve'
  | 'deny'
  | 'expire'
  | 'request-expired';

/** One entry of an app's access history. */
export interface AccessEvent {
  id: string;
  entityRef: string;
  service: string;
  kind: AccessEventKind;
  /** A user entity ref, or `cloud-run-iap` for the expiry task. */
  actor: string;
  /** The IAM members the event is about. */
  members: string[];
  detail?: string;
  /** The access request the event belongs to, if any. */
  requestId?: string;
  at: string;
}
