import {
  describeGoogleError,
  isRetryable,
  scrubGoogleText,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { isDeadlineExceeded } from './RequestDeadline';

/**
 * Google error messages can name the caller (the portal's own service account); reports and
 * API errors show the status and a scrubbed message instead.
 */
export function describeForUser(error: unknown): string {
  if (isDeadlineExceeded(error)) return `DEADLINE_EXCEEDED: ${error.message}`;
  const { httpStatus, status, message } = describeGoogleError(error);
  const scrubbed = scrubGoogleText(message);
  const code = status ?? (httpStatus ? `HTTP ${httpStatus}` : 'NETWORK_ERROR');
  return `${code}: ${scrubbed}`;
}

/** Google is down or overloaded (5xx, 429, timeouts, refused connections): worth serving a stale copy. */
export function isTransientGoogleError(error: unknown): boolean {
  return isRetryable(error);
}

/** An older copy may stand in: Google failed for now, or the request's deadline passed. */
export function canServeStaleReport(error: unknown): boolean {
  return isTransientGoogleError(error) || isDeadlineExceeded(error);
}

export function googleHttpStatus(error: unknown): number | undefined {
  return describeGoogleError(error).httpStatus;
}
