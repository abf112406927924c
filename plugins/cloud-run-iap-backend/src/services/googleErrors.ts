import {
  describeGoogleError,
  isRetryable,
} from '@internal-apps/plugin-cloud-run-iap-node';

/**
 * Google error messages can name the caller (the portal's own service account); reports and
 * API errors show the status and a scrubbed message instead.
 */
export function describeForUser(error: unknown): string {
  const { httpStatus, status, message } = describeGoogleError(error);
  const scrubbed = message
    .replace(
      /[a-z0-9._%+-]+@[a-z0-9-]+\.iam\.gserviceaccount\.com/gi,
      '<portal service account>',
    )
    .replace(/\b(?:ya29|Bearer)[.\s][\w.-]+/g, '<token>');
  const code = status ?? (httpStatus ? `HTTP ${httpStatus}` : 'NETWORK_ERROR');
  return `${code}: ${scrubbed}`;
}

/** Google is down or overloaded (5xx, 429, timeouts, refused connections): worth serving a stale copy. */
export function isTransientGoogleError(error: unknown): boolean {
  return isRetryable(error);
}

export function googleHttpStatus(error: unknown): number | undefined {
  return describeGoogleError(error).httpStatus;
}
