import type { EnvValue } from './createIapServiceInput';

/** The environment variable the app reads its expected IAP JWT audience from. */
export const IAP_AUDIENCE_ENV = 'IAP_AUDIENCE';

/**
 * The `aud` claim IAP puts in `x-goog-iap-jwt-assertion` when it sits directly on a Cloud
 * Run service: `/projects/PROJECT_NUMBER/locations/REGION/services/SERVICE` (see
 * https://cloud.google.com/iap/docs/signed-headers-howto).
 */
export function directIapAudience(
  projectNumber: string,
  region: string,
  serviceId: string,
): string {
  return `/projects/${projectNumber}/locations/${region}/services/${serviceId}`;
}

/**
 * The audience the service is given: a plain `IAP_AUDIENCE` in the input's env wins (for
 * example a load balancer's backend-service audience), otherwise the direct one.
 */
export function iapAudienceFor(
  env: Record<string, EnvValue> | undefined,
  direct: string,
): string {
  const given = env?.[IAP_AUDIENCE_ENV];
  return typeof given === 'string' && given.length > 0 ? given : direct;
}
