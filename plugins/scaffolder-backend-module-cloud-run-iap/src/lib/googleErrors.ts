import { describeGoogleError } from '@internal-apps/plugin-cloud-run-iap-node';

/**
 * Turns a failed Google call into a plain Error that says what failed, Google's answer and,
 * for the errors users meet most, what to do. The googleapis error itself is not kept: it
 * carries the request, headers included.
 */
export function googleFailure(what: string, error: unknown): Error {
  const { httpStatus, status, message } = describeGoogleError(error);
  if (httpStatus === undefined) {
    return new Error(`${what} failed: ${message}`);
  }
  const answer = `${httpStatus}${status ? ` ${status}` : ''}: ${message}`;
  return new Error(`${what} failed (${answer})${hintFor(httpStatus, message)}`);
}

function hintFor(httpStatus: number | undefined, message: string): string {
  if (/do not belong to a permitted customer/i.test(message)) {
    return '. The organisation policy constraints/iam.allowedPolicyMemberDomains (domain restricted sharing) refuses one of the members; grant only identities of the permitted domains';
  }
  if (/gcp-sa-iap\.iam\.gserviceaccount\.com does not exist/.test(message)) {
    return '. The IAP service agent is not provisioned or has not propagated yet; run the action again in a few minutes (gcloud beta services identity create --service=iap.googleapis.com creates it by hand)';
  }
  if (/launch.?stage/i.test(message)) {
    return '. This Cloud Run API still treats iapEnabled as a preview feature; see the README section "Launch stage"';
  }
  if (httpStatus === 403) {
    return ". The portal's service account lacks a permission; see the README section on IAM roles";
  }
  return '';
}
