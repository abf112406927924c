/*
 * How a Cloud Run service says the portal manages it: the scaffolder actions write these, the
 * backend reads them (an app the portal manages must never have IAP off).
 */

/** The label, and its value, on every service the portal created. */
export const MANAGED_BY_LABEL = 'managed-by';
export const MANAGED_BY_VALUE = 'backstage';

/** The service annotation naming the catalog entity the service belongs to. */
export const ENTITY_REF_ANNOTATION = 'backstage.io/entity-ref';

/**
 * The service annotation naming the owning group (`group:default/team-a`), recorded at creation
 * next to {@link ENTITY_REF_ANNOTATION}: a catalog entity only speaks for the service while its
 * `spec.owner` is this group.
 */
export const OWNER_GROUP_ANNOTATION = 'backstage.io/owner-group';

/** The service annotation naming the scaffolder task that created the service. */
export const CREATED_BY_TASK_ANNOTATION = 'backstage.io/created-by-task';

/** Whether the portal manages the service (it carries the `managed-by: backstage` label). */
export function isManagedService(service: {
  labels?: Record<string, string>;
}): boolean {
  return service.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}
