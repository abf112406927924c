import { createHash } from 'node:crypto';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  EntityLink,
} from '@backstage/catalog-model';
import {
  CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION,
  CLOUD_RUN_IAP_ENABLED,
  CLOUD_RUN_LINKED_LABEL,
  CLOUD_RUN_PROJECT_LABEL,
  CLOUD_RUN_REGION_ANNOTATION,
  CLOUD_RUN_REGION_LABEL,
  CLOUD_RUN_SERVICE_RESOURCE_TYPE,
  CLOUD_RUN_URL_ANNOTATION,
  CloudRunServiceRef,
  linkFactsOf,
  normalizedEntityRef,
  recordedOwnerGroup,
} from '@internal-apps/plugin-cloud-run-iap-common';

/** The longest entity name the catalog accepts. */
const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

/**
 * The Resource's name: `<service>.<region>.<project>` (no part holds a dot, so two services
 * never share it), or, past 63 characters, its start and a hash of the whole service name.
 *
 * @public
 */
export function cloudRunServiceEntityName(ref: CloudRunServiceRef): string {
  const readable = `${ref.serviceId}.${ref.region}.${ref.projectId}`;
  if (readable.length <= MAX_NAME_LENGTH) return readable;
  const hash = createHash('sha256')
    .update(ref.name)
    .digest('hex')
    .slice(0, HASH_LENGTH);
  const start = readable
    .slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)
    .replace(/[-.]+$/, '');
  return `${start}-${hash}`;
}

/**
 * The fields of a Run v2 Service that discovery reads.
 *
 * @public
 */
export interface DiscoveredService {
  /** The service's own description, the entity's when set. */
  description?: string;
  /** The service URL. */
  uri?: string;
  /** Whether IAP is on for the service. */
  iapEnabled?: boolean;
  /** The service's annotations, where it names its entity and owner group. */
  annotations?: Record<string, string>;
}

/**
 * How {@link cloudRunServiceEntity} links and locates an entity.
 *
 * @public
 */
export interface CloudRunServiceEntityOptions {
  /** The full group ref owning services that record no owner group. */
  unownedOwner: string;
  /** The entity refs `cloudRunIap.links` links the service to. */
  configuredLinks: string[];
  /** `backstage.io/managed-by-location` (and origin) of every entity of the provider. */
  location: string;
}

/**
 * The Resource entity of one service. What links it and who owns it come only from the service
 * (its annotations, which only those with rights on it may set) and from the portal's config:
 * `spec.dependencyOf` is the entity the service names, and `spec.owner` the group it records,
 * else `unownedOwner`.
 *
 * @public
 */
export function cloudRunServiceEntity(
  ref: CloudRunServiceRef,
  service: DiscoveredService,
  options: CloudRunServiceEntityOptions,
): Entity {
  const facts = linkFactsOf(service);
  const named = normalizedEntityRef(facts.entityRef);
  const dependencyOf = [
    ...new Set([...(named ? [named] : []), ...options.configuredLinks]),
  ];
  const iapEnabled = String(service.iapEnabled === true);
  const links: EntityLink[] = [
    {
      url: `https://console.cloud.google.com/run/detail/${ref.region}/${ref.serviceId}?project=${ref.projectId}`,
      title: 'Cloud console',
    },
  ];
  if (service.uri) links.unshift({ url: service.uri, title: 'Service URL' });
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: cloudRunServiceEntityName(ref),
      title: ref.serviceId,
      description:
        service.description ||
        `Cloud Run service ${ref.serviceId} of project ${ref.projectId}, in ${ref.region}`,
      annotations: {
        [ANNOTATION_LOCATION]: options.location,
        [ANNOTATION_ORIGIN_LOCATION]: options.location,
        [CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION]: ref.name,
        [CLOUD_RUN_REGION_ANNOTATION]: ref.region,
        [CLOUD_RUN_IAP_ENABLED]: iapEnabled,
        ...(service.uri ? { [CLOUD_RUN_URL_ANNOTATION]: service.uri } : {}),
      },
      labels: {
        [CLOUD_RUN_PROJECT_LABEL]: ref.projectId,
        [CLOUD_RUN_REGION_LABEL]: ref.region,
        [CLOUD_RUN_IAP_ENABLED]: iapEnabled,
        [CLOUD_RUN_LINKED_LABEL]: String(dependencyOf.length > 0),
      },
      links,
    },
    spec: {
      type: CLOUD_RUN_SERVICE_RESOURCE_TYPE,
      owner: recordedOwnerGroup(facts) ?? options.unownedOwner,
      ...(dependencyOf.length > 0 ? { dependencyOf } : {}),
    },
  };
}
