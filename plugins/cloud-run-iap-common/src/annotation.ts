import { Entity } from '@backstage/catalog-model';

/**
 * The entity annotation naming the Cloud Run service(s) of an entity:
 * `projects/<project-id>/locations/<region>/services/<service-id>`, several separated by commas.
 */
export const CLOUD_RUN_SERVICE_ANNOTATION = 'google.com/cloud-run-service';

/** One Cloud Run service named by the annotation. */
export interface CloudRunServiceRef {
  projectId: string;
  region: string;
  serviceId: string;
  /** `projects/<project-id>/locations/<region>/services/<service-id>` */
  name: string;
}

const EXPECTED_FORM =
  'projects/<project-id>/locations/<region>/services/<service-id>';

/** A Google Cloud project id: 6-30 lowercase letters, digits or hyphens, from a letter, not ending with a hyphen. */
export const PROJECT_ID_PATTERN: RegExp = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** A Cloud Run region such as `europe-west2`. */
export const CLOUD_RUN_REGION_PATTERN: RegExp = /^[a-z]+-[a-z]+[0-9]+$/;
/** A Cloud Run service id: under 50 lowercase letters, digits or hyphens, from a letter, not ending with a hyphen. */
export const CLOUD_RUN_SERVICE_ID_PATTERN: RegExp =
  /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;

/** The reference of a service from its parts (not checked: see {@link parseCloudRunServiceName}). */
export function cloudRunServiceRef(
  projectId: string,
  region: string,
  serviceId: string,
): CloudRunServiceRef {
  return {
    projectId,
    region,
    serviceId,
    name: `projects/${projectId}/locations/${region}/services/${serviceId}`,
  };
}

/**
 * Parses one Cloud Run service name, `projects/<project-id>/locations/<region>/services/<service-id>`,
 * checking each part.
 *
 * @throws Error naming the offending part and the expected form.
 */
export function parseCloudRunServiceName(entry: string): CloudRunServiceRef {
  const parts = entry.split('/');
  if (
    parts.length !== 6 ||
    parts[0] !== 'projects' ||
    parts[2] !== 'locations' ||
    parts[4] !== 'services'
  ) {
    throw new Error(
      `Invalid ${CLOUD_RUN_SERVICE_ANNOTATION} entry "${entry}": expected ${EXPECTED_FORM}`,
    );
  }
  const [, projectId, , region, , serviceId] = parts;
  const rules: Array<[string, string, RegExp, string]> = [
    [
      'project id',
      projectId,
      PROJECT_ID_PATTERN,
      '6-30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      'region',
      region,
      CLOUD_RUN_REGION_PATTERN,
      'a Cloud Run region such as europe-west2 or us-central1',
    ],
    [
      'service id',
      serviceId,
      CLOUD_RUN_SERVICE_ID_PATTERN,
      'at most 49 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
    ],
  ];
  for (const [label, value, pattern, rule] of rules) {
    if (!pattern.test(value)) {
      throw new Error(
        `Invalid ${CLOUD_RUN_SERVICE_ANNOTATION} entry "${entry}": ${label} "${value}" must be ${rule} (expected ${EXPECTED_FORM})`,
      );
    }
  }
  return cloudRunServiceRef(projectId, region, serviceId);
}

/**
 * Parses the value of {@link CLOUD_RUN_SERVICE_ANNOTATION} into service references.
 * Entries are comma-separated, surrounding whitespace is ignored and duplicates are dropped.
 *
 * @throws Error naming the malformed entry, the offending part and the expected form.
 */
export function parseCloudRunServiceAnnotation(
  value: string,
): CloudRunServiceRef[] {
  const entries = value.split(',').map(entry => entry.trim());
  if (entries.every(entry => entry === '')) {
    throw new Error(
      `Invalid ${CLOUD_RUN_SERVICE_ANNOTATION}: the value is empty; expected ${EXPECTED_FORM}`,
    );
  }
  const refs = new Map<string, CloudRunServiceRef>();
  entries.forEach((entry, index) => {
    if (entry === '') {
      throw new Error(
        `Invalid ${CLOUD_RUN_SERVICE_ANNOTATION}: entry ${
          index + 1
        } is empty; expected comma-separated ${EXPECTED_FORM}`,
      );
    }
    const ref = parseCloudRunServiceName(entry);
    refs.set(ref.name, ref);
  });
  return [...refs.values()];
}

/** The services an entity annotates, or none when it has no annotation. Throws like {@link parseCloudRunServiceAnnotation}. */
export function getCloudRunServiceRefs(entity: Entity): CloudRunServiceRef[] {
  const value = entity.metadata.annotations?.[CLOUD_RUN_SERVICE_ANNOTATION];
  return value && value.trim() ? parseCloudRunServiceAnnotation(value) : [];
}

/**
 * Whether the entity carries a non-empty {@link CLOUD_RUN_SERVICE_ANNOTATION}.
 * A malformed value still counts, so the card can show the parse error instead of disappearing.
 */
export function isCloudRunIapAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[CLOUD_RUN_SERVICE_ANNOTATION]?.trim(),
  );
}
