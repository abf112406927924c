import { describeForUser, isTransientGoogleError } from './googleErrors';
import { DeadlineExceededError } from './RequestDeadline';

const googleError = (status: number, body: object) =>
  Object.assign(new Error('request failed'), {
    response: { status, data: { error: body } },
  });

describe('describeForUser', () => {
  it('gives the status and a message without the portal identity or tokens', () => {
    const error = googleError(403, {
      code: 403,
      status: 'PERMISSION_DENIED',
      message:
        "Permission 'run.services.get' denied for portal@acme-ops.iam.gserviceaccount.com (Bearer ya29.a0AfB_secret)",
    });
    const text = describeForUser(error);
    expect(text).toBe(
      "PERMISSION_DENIED: Permission 'run.services.get' denied for <service account> (Bearer <token>)",
    );
  });

  it('removes service agents of every gserviceaccount.com domain', () => {
    const text = describeForUser(
      googleError(400, {
        status: 'FAILED_PRECONDITION',
        message:
          'service-100000000001@gcp-sa-iap.iam.gserviceaccount.com and 123-compute@developer.gserviceaccount.com (serviceAccount%3Aa%40cloudbuild.gserviceaccount.com)',
      }),
    );
    expect(text).not.toMatch(/gserviceaccount/);
  });

  it('names a passed deadline', () => {
    expect(describeForUser(new DeadlineExceededError(60_000))).toBe(
      'DEADLINE_EXCEEDED: it did not finish within 60 s',
    );
  });

  it('names a network failure', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });
    expect(describeForUser(error)).toBe('NETWORK_ERROR: connect ECONNREFUSED');
    expect(isTransientGoogleError(error)).toBe(true);
  });

  it('tells transient failures from permanent ones', () => {
    expect(isTransientGoogleError(googleError(503, {}))).toBe(true);
    expect(isTransientGoogleError(googleError(429, {}))).toBe(true);
    expect(isTransientGoogleError(googleError(403, {}))).toBe(false);
    expect(isTransientGoogleError(googleError(404, {}))).toBe(false);
  });
});
