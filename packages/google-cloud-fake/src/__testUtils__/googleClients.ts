import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';

/**
 * googleapis clients pointed at a fake, the way a real caller would configure them:
 * per-API `rootUrl` and a fixed bearer token. Retries are off unless asked for, so tests
 * see each answer of the fake.
 */
export function googleClients(
  rootUrl: string,
  options: { retry?: boolean } = {},
) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'fake-token' });
  const common = {
    rootUrl: `${rootUrl}/`,
    auth,
    retry: options.retry ?? false,
    // Node's own fetch; gaxios would otherwise import node-fetch dynamically, which Jest's
    // CommonJS runtime cannot do.
    fetchImplementation: fetch,
  };
  return {
    run: google.run({ version: 'v2', ...common }),
    iap: google.iap({ version: 'v1', ...common }),
    acm: google.accesscontextmanager({ version: 'v1', ...common }),
    crm: google.cloudresourcemanager({ version: 'v3', ...common }),
    serviceUsage: google.serviceusage({ version: 'v1beta1', ...common }),
    iam: google.iam({ version: 'v1', ...common }),
    secretManager: google.secretmanager({ version: 'v1', ...common }),
    cloudIdentity: google.cloudidentity({ version: 'v1', ...common }),
    orgPolicy: google.orgpolicy({ version: 'v2', ...common }),
  };
}

/** The Google error envelope carried by a failed googleapis call. */
export async function googleError(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error: any) {
    const body = error?.response?.data?.error;
    return {
      httpStatus: error?.response?.status as number,
      status: body?.status as string,
      message: body?.message as string,
      details: (body?.details ?? []) as any[],
    };
  }
  throw new Error('expected the call to fail, it succeeded');
}
