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

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const SERVICE_ID = /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;

function parseOne(entry: string): CloudRunServiceRef {
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
      PROJECT_ID,
      '6-30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      'region',
      region,
      REGION,
      'a Cloud Run region such as europe-west2 or us-central1',
    ],
    [
      'service id',
      serviceId,
      SERVICE_ID,
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
  return { projectId, region, serviceId, name: entry };
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
    const ref = parseOne(entry);
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
