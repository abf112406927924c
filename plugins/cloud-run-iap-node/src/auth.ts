import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { CloudRunIapConfig } from './config';

/** The bearer token sent to a fake or emulator (`cloudRunIap.google.endpoint`). */
export const PLACEHOLDER_ACCESS_TOKEN = 'local-fake-token';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * The auth client for every googleapis call. Credentials go to Google only: with an endpoint
 * (a fake or emulator) the client sends a fixed placeholder token and never looks up
 * credentials; only a Google private endpoint (https, `privateEndpoint: true`) gets real ones,
 * obtained exactly as without an endpoint. `readCloudRunIapConfig` has already refused
 * credentials configured next to a plain endpoint.
 */
export function createGoogleAuth(
  google: CloudRunIapConfig['google'],
): OAuth2Client | GoogleAuth {
  if (google.endpoint && !google.privateEndpoint) {
    const placeholder = new OAuth2Client();
    placeholder.setCredentials({ access_token: PLACEHOLDER_ACCESS_TOKEN });
    return placeholder;
  }
  return new GoogleAuth({
    scopes: [CLOUD_PLATFORM_SCOPE],
    ...(google.credentials ? { credentials: google.credentials } : {}),
  });
}
