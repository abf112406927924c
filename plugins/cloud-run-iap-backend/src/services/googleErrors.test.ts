import { describeForUser, isTransientGoogleError } from './googleErrors';

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
      "PERMISSION_DENIED: Permission 'run.services.get' denied for <portal service account> (<token>)",
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
