import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CloudRunServiceRef,
  cloudRunServiceRef,
  MemberPolicy,
  parseCloudRunServiceName,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  CloudRunIapConfig,
  memberPolicyOf,
} from '@internal-apps/plugin-cloud-run-iap-node';

/*
 * Service names, entity refs and the input checks that need config. The rules an input must
 * meet on its own are the actions' zod schemas (`inputSchemas.ts`, `<action>Input.ts`).
 */

const entityRefParts = makeValidator();

/** The part of `cloudRunIap` the target checks read. */
export interface ProjectsConfig {
  projects: ReadonlyArray<{ id: string; regions: readonly string[] }>;
}

const quoted = (value: unknown) => JSON.stringify(value);

/** Whether config lets the actions touch the project (its id is well formed). */
export function projectNotAllowedProblem(
  projectId: string,
  config: ProjectsConfig,
): string | undefined {
  if (config.projects.some(p => p.id === projectId)) return undefined;
  const allowed = config.projects.map(p => p.id).join(', ') || 'none';
  return `${quoted(
    projectId,
  )} is not one of the projects the portal may use (cloudRunIap.projects: ${allowed})`;
}

/** Whether config allows the region for the project (both well formed, the project allowed). */
export function regionNotAllowedProblem(
  region: string,
  projectId: string,
  config: ProjectsConfig,
): string | undefined {
  const project = config.projects.find(p => p.id === projectId);
  if (!project || project.regions.includes(region)) return undefined;
  return `${quoted(region)} is not allowed for project ${projectId} (allowed: ${
    project.regions.join(', ') || 'none'
  })`;
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

/**
 * A catalog entity ref with its kind (`parseEntityRef`, each part valid for the catalog),
 * normalised to `kind:namespace/name` in lower case.
 */
export function normalizeEntityRef(ref: string): string | undefined {
  let parsed;
  try {
    parsed = parseEntityRef(ref.trim());
  } catch {
    return undefined;
  }
  const { kind, namespace, name } = parsed;
  if (
    !entityRefParts.isValidKind(kind) ||
    !entityRefParts.isValidNamespace(namespace) ||
    !entityRefParts.isValidEntityName(name)
  ) {
    return undefined;
  }
  return stringifyEntityRef(parsed).toLowerCase();
}

/** A Cloud Run service: project, region and id, and its v2 resource name. */
export type ServiceTarget = CloudRunServiceRef;

/** The service of these parts (checked by the input schemas). */
export const serviceTarget = cloudRunServiceRef;

/** `projects/P/locations/R/services/S` with valid parts, or undefined (`-common`'s parser). */
export function parseServiceName(name: string): ServiceTarget | undefined {
  try {
    return parseCloudRunServiceName(name);
  } catch {
    return undefined;
  }
}

/** The grantable-member policy of `cloudRunIap` (the same for the actions and the backend). */
export const memberPolicyFrom: (config: CloudRunIapConfig) => MemberPolicy =
  memberPolicyOf;
