import { parseCloudRunServiceAnnotation } from '@internal-apps/plugin-cloud-run-iap-common';

/** `team-directory (europe-west2)` for a full service name; the name itself when it is not one. */
export function serviceLabel(service: string): string {
  try {
    const [ref] = parseCloudRunServiceAnnotation(service);
    return `${ref.serviceId} (${ref.region})`;
  } catch {
    return service;
  }
}
