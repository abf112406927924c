/*
 * How the catalog's Cloud Run discovery (the catalog module plugin-catalog-backend-module-cloud-run-iap)
 * describes a service: a Resource of this type, with these annotations and labels, so the portal's
 * pages can find them by catalog filters.
 */

/** `spec.type` of every discovered service's Resource entity. */
export const CLOUD_RUN_SERVICE_RESOURCE_TYPE = 'cloud-run-service';

/**
 * Annotation: the service the Resource describes, `projects/<project-id>/locations/<region>/services/<service-id>`.
 * Not `google.com/cloud-run-service`, the annotation of the entity a service is linked to: the
 * Resource only describes the service, so the access card, the Access tab and the review, which
 * read that annotation, leave it out.
 */
export const CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION =
  'google.com/cloud-run-discovered-service';

/** Annotation: the service's region, such as `europe-west2`. */
export const CLOUD_RUN_REGION_ANNOTATION = 'google.com/cloud-run-region';

/** Annotation: the service's URL (`uri`, the `*.run.app` address). */
export const CLOUD_RUN_URL_ANNOTATION = 'google.com/cloud-run-url';

/** Annotation and label: `true` when IAP is on for the service (`iapEnabled`), else `false`. */
export const CLOUD_RUN_IAP_ENABLED = 'google.com/cloud-run-iap-enabled';

/**
 * Label: `true` when the service names an entity (`backstage.io/entity-ref`, or a
 * `cloudRunIap.links` entry) and the Resource depends on it, `false` when it is linked to none.
 */
export const CLOUD_RUN_LINKED_LABEL = 'google.com/cloud-run-linked';

/** Label: the service's project id. */
export const CLOUD_RUN_PROJECT_LABEL = 'google.com/cloud-run-project';

/** Label: the service's region (as {@link CLOUD_RUN_REGION_ANNOTATION}). */
export const CLOUD_RUN_REGION_LABEL = 'google.com/cloud-run-region';
