import { InputError } from '@backstage/errors';
import {
  isServiceAccountEmail,
  MemberPolicy,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { CloudRunIapConfig } from '@internal-apps/plugin-cloud-run-iap-node';
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '@internal-apps/plugin-cloud-run-iap-common';

/**
 * Pure input checks shared by both actions. Each `…Problem` function returns the rule an
 * input breaks, or undefined when it is fine; {@link InputProblems} collects them so one
 * error lists every bad field.
 */

const SERVICE_ID = /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const LEVEL_ID = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;
const LEVEL_NAME =
  /^accessPolicies\/\d+\/accessLevels\/[A-Za-z][A-Za-z0-9_]{0,49}$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_NAME = /^(projects\/[a-z0-9-]+\/secrets\/)?[A-Za-z0-9_-]{1,255}$/;
const SECRET_VERSION = /^(latest|[1-9][0-9]*)$/;
const CPU = /^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY = /^[1-9][0-9]*(Mi|Gi)$/;
const ENTITY_REF =
  /^([A-Za-z][A-Za-z0-9-]*):(?:([A-Za-z0-9][A-Za-z0-9._-]*)\/)?([A-Za-z0-9][A-Za-z0-9._-]*)$/;
const SECRET_LIKE_ENV_NAME =
  /(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|KEY|DSN|CREDENTIALS?)$/i;
/** `scheme://user:password@…` (or `scheme://:password@…`) anywhere in a value. */
const URL_WITH_CREDENTIALS = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s@:]*:[^/\s@]+@/;

// Docker's reference grammar: [host[:port]/]path[:tag][@digest]; a first component is a
// host only when it has a dot or a port, or is localhost.
const HOST_COMPONENT = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const IMAGE_HOST = `(?:(?:${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})+|localhost)(?::[0-9]+)?|${HOST_COMPONENT}:[0-9]+)`;
const IMAGE_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${IMAGE_HOST}/)?${IMAGE_PATH_COMPONENT}(?:/${IMAGE_PATH_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

const RESERVED_LABEL_NAMESPACES = [
  'run.googleapis.com',
  'cloud.googleapis.com',
  'serving.knative.dev',
  'autoscaling.knative.dev',
];
const RESERVED_ENV_NAMES = [
  'PORT',
  'K_SERVICE',
  'K_REVISION',
  'K_CONFIGURATION',
];

/** The part of `cloudRunIap` the target checks read. */
export interface ProjectsConfig {
  projects: ReadonlyArray<{ id: string; regions: readonly string[] }>;
}

/** Collects `field: rule` problems and throws them together as one InputError. */
export class InputProblems {
  readonly #problems: string[] = [];

  add(field: string, problem: string | undefined) {
    if (problem) this.#problems.push(`${field} ${problem}`);
  }

  get list(): readonly string[] {
    return this.#problems;
  }

  throwIfAny(actionId: string) {
    if (this.#problems.length === 0) return;
    throw new InputError(
      `Invalid input for ${actionId}: ${this.#problems.join('; ')}`,
    );
  }
}

const quoted = (value: unknown) => JSON.stringify(value);

export function serviceIdProblem(serviceId: string): string | undefined {
  return SERVICE_ID.test(serviceId)
    ? undefined
    : `must start with a lowercase letter, hold only lowercase letters, digits and hyphens, not end with a hyphen and be under 50 characters (got ${quoted(
        serviceId,
      )})`;
}

export function projectIdProblem(
  projectId: string,
  config: ProjectsConfig,
): string | undefined {
  if (!PROJECT_ID.test(projectId)) {
    return `must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got ${quoted(
      projectId,
    )})`;
  }
  if (!config.projects.some(p => p.id === projectId)) {
    const allowed = config.projects.map(p => p.id).join(', ') || 'none';
    return `${quoted(
      projectId,
    )} is not one of the projects the portal may use (cloudRunIap.projects: ${allowed})`;
  }
  return undefined;
}

/** Assumes the project itself passed {@link projectIdProblem}. */
export function regionProblem(
  region: string,
  projectId: string,
  config: ProjectsConfig,
): string | undefined {
  if (!REGION.test(region)) {
    return `must be a Cloud Run region such as europe-west2 (got ${quoted(
      region,
    )})`;
  }
  const project = config.projects.find(p => p.id === projectId);
  if (project && !project.regions.includes(region)) {
    return `${quoted(
      region,
    )} is not allowed for project ${projectId} (allowed: ${
      project.regions.join(', ') || 'none'
    })`;
  }
  return undefined;
}

export function imageReferenceProblem(image: string): string | undefined {
  return image.length <= 255 && IMAGE_REFERENCE.test(image)
    ? undefined
    : `must be a container image reference such as europe-west2-docker.pkg.dev/project/repo/app:1.0 or …@sha256:<digest> (got ${quoted(
        image,
      )})`;
}

/**
 * Whether the image comes from one of the allowed registry prefixes (none configured: any).
 * A prefix matches whole path components: `…/apps` allows `…/apps/x:1`, not `…/apps-evil/x:1`.
 */
export function imageRegistryProblem(
  image: string,
  allowedRegistries: readonly string[],
): string | undefined {
  if (allowedRegistries.length === 0) return undefined;
  return allowedRegistries.some(prefix => image.startsWith(`${prefix}/`))
    ? undefined
    : `must come from one of the registries in cloudRunIap.images.allowedRegistries (${allowedRegistries.join(
        ', ',
      )}), got ${quoted(image)}`;
}

export function portProblem(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? undefined
    : `must be a whole number from 1 to 65535 (got ${quoted(port)})`;
}

export function serviceAccountEmailProblem(email: string): string | undefined {
  return isServiceAccountEmail(email)
    ? undefined
    : `must be a service account email such as app@project.iam.gserviceaccount.com, without a "serviceAccount:" prefix (got ${quoted(
        email,
      )})`;
}

export function cpuProblem(cpu: string): string | undefined {
  return CPU.test(cpu)
    ? undefined
    : `must be a CPU limit such as 1, 2, 0.5 or 1000m (got ${quoted(cpu)})`;
}

export function memoryProblem(memory: string): string | undefined {
  return MEMORY.test(memory)
    ? undefined
    : `must be a memory limit in Mi or Gi such as 512Mi or 2Gi (got ${quoted(
        memory,
      )})`;
}

export function instanceCountProblem(
  count: number,
  minimum: number,
): string | undefined {
  return Number.isInteger(count) && count >= minimum && count <= 1000
    ? undefined
    : `must be a whole number from ${minimum} to 1000 (got ${quoted(count)})`;
}

export function descriptionProblem(description: string): string | undefined {
  return description.length <= 512
    ? undefined
    : `must be at most 512 characters (got ${description.length})`;
}

/** Problems of a labels map, keyed by the field path of the offending label. */
export function labelProblems(
  labels: Record<string, unknown>,
): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const entries = Object.entries(labels);
  if (entries.length > 63) {
    problems.push([
      'labels',
      `must hold at most 63 labels (the action adds ${MANAGED_BY_LABEL})`,
    ]);
  }
  for (const [key, value] of entries) {
    const field = `labels.${key}`;
    if (key === MANAGED_BY_LABEL) {
      problems.push([
        field,
        `is set by the action itself (${MANAGED_BY_LABEL}: ${MANAGED_BY_VALUE}) and cannot be given`,
      ]);
    } else if (RESERVED_LABEL_NAMESPACES.some(ns => key.startsWith(`${ns}/`))) {
      problems.push([field, 'uses a namespace reserved by Cloud Run']);
    } else if (!LABEL_KEY.test(key)) {
      problems.push([
        field,
        'key must start with a lowercase letter and hold at most 63 lowercase letters, digits, underscores or hyphens',
      ]);
    } else if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
      problems.push([
        field,
        `value must be at most 63 lowercase letters, digits, underscores or hyphens (got ${quoted(
          value,
        )})`,
      ]);
    }
  }
  return problems;
}

/** An environment variable: a plain value, or a Secret Manager reference. */
export type EnvValue = string | { secret: string; version?: string };

/** Problems of an env map. Values are never echoed: they may be sensitive. */
export function envProblems(
  env: Record<string, unknown>,
): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(env)) {
    const field = `env.${name}`;
    if (!ENV_NAME.test(name)) {
      problems.push([
        field,
        'name must start with a letter or underscore and hold only letters, digits and underscores',
      ]);
    } else if (RESERVED_ENV_NAMES.includes(name)) {
      problems.push([
        field,
        `is set by Cloud Run itself (reserved: ${RESERVED_ENV_NAMES.join(
          ', ',
        )}); use the port input for the port`,
      ]);
    } else if (typeof value === 'string') {
      if (SECRET_LIKE_ENV_NAME.test(name)) {
        problems.push([
          field,
          'looks like a secret: give it as a Secret Manager reference { secret: "projects/p/secrets/name", version: "latest" }, not as a plain value (names ending in PASSWORD, PASS, SECRET, TOKEN, KEY, DSN or CREDENTIALS are secrets)',
        ]);
      } else if (URL_WITH_CREDENTIALS.test(value)) {
        problems.push([
          field,
          'is a URL with credentials in it (scheme://user:password@host): put the whole value in Secret Manager and give a reference { secret, version } instead',
        ]);
      }
    } else if (value && typeof value === 'object') {
      const { secret, version } = value as Record<string, unknown>;
      if (typeof secret !== 'string' || !SECRET_NAME.test(secret)) {
        problems.push([
          `${field}.secret`,
          'must be a Secret Manager secret id or projects/<project>/secrets/<id>',
        ]);
      }
      if (
        version !== undefined &&
        (typeof version !== 'string' || !SECRET_VERSION.test(version))
      ) {
        problems.push([
          `${field}.version`,
          'must be "latest" or a version number',
        ]);
      }
    } else {
      problems.push([
        field,
        'must be a string or a Secret Manager reference { secret, version }',
      ]);
    }
  }
  return problems;
}

export function accessLevelReferenceProblem(level: string): string | undefined {
  return LEVEL_ID.test(level) || LEVEL_NAME.test(level)
    ? undefined
    : `must be an access level id such as corp_network or a full name accessPolicies/<number>/accessLevels/<id> (got ${quoted(
        level,
      )})`;
}

/** A catalog entity ref, normalised to `kind:namespace/name` in lower case. */
export function normalizeEntityRef(ref: string): string | undefined {
  const match = ENTITY_REF.exec(ref.trim());
  if (!match) return undefined;
  const [, kind, namespace, name] = match;
  return `${kind}:${namespace ?? 'default'}/${name}`.toLowerCase();
}

export function entityRefProblem(ref: string): string | undefined {
  return normalizeEntityRef(ref)
    ? undefined
    : `must be an entity ref such as component:default/my-app (got ${quoted(
        ref,
      )})`;
}

/** A Cloud Run service: project, region and id, and its v2 resource name. */
export interface ServiceTarget {
  projectId: string;
  region: string;
  serviceId: string;
  /** `projects/<project-id>/locations/<region>/services/<service-id>` */
  name: string;
}

export function serviceTarget(
  projectId: string,
  region: string,
  serviceId: string,
): ServiceTarget {
  return {
    projectId,
    region,
    serviceId,
    name: `projects/${projectId}/locations/${region}/services/${serviceId}`,
  };
}

/** Splits `projects/P/locations/R/services/S`, or undefined when it has another shape. */
export function parseServiceName(name: string): ServiceTarget | undefined {
  const parts = name.split('/');
  if (
    parts.length !== 6 ||
    parts[0] !== 'projects' ||
    parts[2] !== 'locations' ||
    parts[4] !== 'services'
  ) {
    return undefined;
  }
  return serviceTarget(parts[1], parts[3], parts[5]);
}

/** Checks project, region and service id of a target together. */
export function addTargetProblems(
  problems: InputProblems,
  target: Pick<ServiceTarget, 'projectId' | 'region' | 'serviceId'>,
  config: ProjectsConfig,
  fields = { projectId: 'projectId', region: 'region', serviceId: 'serviceId' },
) {
  const projectProblem = projectIdProblem(target.projectId, config);
  problems.add(fields.projectId, projectProblem);
  if (!projectProblem) {
    problems.add(
      fields.region,
      regionProblem(target.region, target.projectId, config),
    );
  } else if (!REGION.test(target.region)) {
    problems.add(
      fields.region,
      regionProblem(target.region, target.projectId, { projects: [] }),
    );
  }
  problems.add(fields.serviceId, serviceIdProblem(target.serviceId));
}

export function memberPolicyFrom(config: CloudRunIapConfig): MemberPolicy {
  return {
    domains: config.organization.domains,
    allowExternalMembers: config.organization.allowExternalMembers,
    workforcePools: config.organization.workforcePools,
    ownProjectIds: config.projects.map(p => p.id),
  };
}
