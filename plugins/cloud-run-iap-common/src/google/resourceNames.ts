/** The role that lets a principal through IAP (`iap.webServiceVersions.accessViaIAP`). */
export const IAP_ACCESSOR_ROLE = 'roles/iap.httpsResourceAccessor';

/** The role the IAP service agent needs on the Cloud Run service. */
export const RUN_INVOKER_ROLE = 'roles/run.invoker';

/** The Cloud Run API as it appears in a perimeter's `restrictedServices`. */
export const RUN_API_SERVICE = 'run.googleapis.com';

/** The IAM members that make something public. */
export const PUBLIC_MEMBERS: readonly string[] = [
  'allUsers',
  'allAuthenticatedUsers',
];

/** A Cloud Run service as named by the entity annotation. */
export interface ServiceLocation {
  projectId: string;
  region: string;
  serviceId: string;
}

/** `projects/{N}/iap_web`: the IAP resource for every web app of a project. */
export function iapProjectResource(projectNumber: string): string {
  return `projects/${projectNumber}/iap_web`;
}

/** `projects/{N}/iap_web/cloud_run-{R}`: the IAP resource for every Cloud Run service of a region. */
export function iapRegionResource(
  projectNumber: string,
  region: string,
): string {
  return `${iapProjectResource(projectNumber)}/cloud_run-${region}`;
}

/** `projects/{N}/iap_web/cloud_run-{R}/services/{S}`: the IAP resource of one service (uses the project number). */
export function iapServiceResource(
  projectNumber: string,
  location: Pick<ServiceLocation, 'region' | 'serviceId'>,
): string {
  return `${iapRegionResource(projectNumber, location.region)}/services/${
    location.serviceId
  }`;
}

/** The IAM member of a project's IAP service agent. */
export function iapServiceAgentMember(projectNumber: string): string {
  return `serviceAccount:service-${projectNumber}@gcp-sa-iap.iam.gserviceaccount.com`;
}

/** The email of a project's Compute Engine default service account. */
export function computeDefaultServiceAccount(projectNumber: string): string {
  return `${projectNumber}-compute@developer.gserviceaccount.com`;
}

/** The last path segment of a resource name (`accessPolicies/1/accessLevels/corp` → `corp`). */
export function lastSegment(resourceName: string): string {
  const parts = resourceName.split('/');
  return parts[parts.length - 1];
}
