import { isError, ResponseError } from '@backstage/errors';
import { AccessChangePreview } from './accessTypes';

/**
 * What went wrong talking to the backend, as the UI distinguishes it.
 *
 * @public
 */
export type CloudRunIapErrorKind =
  /** 400: the request was refused as invalid (message names the field). */
  | 'invalid-input'
  /** 401: the Backstage session is missing or expired. */
  | 'unauthenticated'
  /** 403: the permission policy denies reading this app's access. */
  | 'permission-denied'
  /** 404: the entity does not exist or may not be read. */
  | 'not-found'
  /** 503: Google could not be reached and nothing is cached. */
  | 'unavailable'
  /** Anything else: 5xx, network failure, unreadable answer. */
  | 'error';

/** @public */
export interface CloudRunIapErrorInfo {
  kind: CloudRunIapErrorKind;
  /** The server's message when it sent one, else the error's. */
  message: string;
  statusCode?: number;
}

const BY_STATUS: Record<number, CloudRunIapErrorKind> = {
  400: 'invalid-input',
  401: 'unauthenticated',
  403: 'permission-denied',
  404: 'not-found',
  503: 'unavailable',
};

const BY_NAME: Record<string, CloudRunIapErrorKind> = {
  InputError: 'invalid-input',
  AuthenticationError: 'unauthenticated',
  NotAllowedError: 'permission-denied',
  NotFoundError: 'not-found',
  ServiceUnavailableError: 'unavailable',
};

/**
 * Maps an error thrown by the {@link CloudRunIapApi} to a UI state.
 *
 * @public
 */
export function classifyCloudRunIapError(error: unknown): CloudRunIapErrorInfo {
  // eslint-disable-next-line @typescript-eslint/no-use-before-define
  if (error instanceof AccessChangedSinceYouLookedError) {
    return classifyCloudRunIapError(error.cause);
  }
  if (ResponseError.is(error)) {
    const kind =
      BY_STATUS[error.statusCode] ?? BY_NAME[error.cause.name] ?? 'error';
    return {
      kind,
      message: error.cause.message || error.message,
      statusCode: error.statusCode,
    };
  }
  if (isError(error)) {
    return { kind: BY_NAME[error.name] ?? 'error', message: error.message };
  }
  return { kind: 'error', message: String(error ?? 'Unknown error') };
}

/**
 * The access of a service changed between the preview and the apply (409): nothing was
 * written. `preview` is a fresh dry run of the same change against the current policy.
 *
 * @public
 */
export class AccessChangedSinceYouLookedError extends Error {
  readonly name = 'AccessChangedSinceYouLookedError';
  readonly preview: AccessChangePreview;
  readonly cause: ResponseError;

  constructor(cause: ResponseError, preview: AccessChangePreview) {
    super(cause.cause.message || cause.message);
    this.cause = cause;
    this.preview = preview;
  }
}
