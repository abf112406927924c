import type { MemberPolicy } from '@internal-apps/plugin-cloud-run-iap-common';
import type { CloudRunIapConfig } from '@internal-apps/plugin-cloud-run-iap-node';

/*
 * Service names, entity refs and the input checks that need config. The rules an input must
 * meet on its own are the actions' zod schemas (`inputSchemas.ts`, `<action>Input.ts`).
 */

const ENTITY_REF =
  /^([A-Za-z][A-Za-z0-9-]*):(?:([A-Za-z0-9][A-Za-z0-9._-]*)\/)?([A-Za-z0-9][A-Za-z0-9._-]*)$/;

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

/** A catalog entity ref, normalised to `kind:namespace/name` in lower case. */
export function normalizeEntityRef(ref: string): string | undefined {
  const match = ENTITY_REF.exec(ref.trim());
  if (!match) return undefined;
  const [, kind, namespace, name] = match;
  return `${kind}:${namespace ?? 'default'}/${name}`.toLowerCase();
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

export function memberPolicyFrom(config: CloudRunIapConfig): MemberPolicy {
  return {
    domains: config.organization.domains,
    allowExternalMembers: config.organization.allowExternalMembers,
    workforcePools: config.organization.workforcePools,
    ownProjectIds: config.projects.map(p => p.id),
  };
}
