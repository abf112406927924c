import { GoogleApiError } from '@internal-apps/plugin-cloud-run-iap-node';

/**
 * Turns a failed Google call into a plain Error that says what failed, Google's answer and,
 * for the errors users meet most, what to do. The node layer's GoogleApiError already holds
 * only Google's status and a scrubbed message (no request, no headers, no service-account
 * address); anything else thrown is wrapped the same way.
 */
export function googleFailure(what: string, error: unknown): Error {
  const failure = GoogleApiError.from(error, what);
  const { httpStatus, status, message } = failure;
  if (httpStatus === undefined) {
    return new Error(`${what} failed: ${message}`);
  }
  const answer = `${httpStatus}${status ? ` ${status}` : ''}: ${message}`;
  return new Error(`${what} failed (${answer})${hintFor(failure)}`);
}

function hintFor({ httpStatus, message, reason }: GoogleApiError): string {
  if (/do not belong to a permitted customer/i.test(message)) {
    return '. The organisation policy constraints/iam.allowedPolicyMemberDomains (domain restricted sharing) refuses one of the members; grant only identities of the permitted domains';
  }
  if (reason === 'iap-service-agent-missing') {
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
