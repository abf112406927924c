import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ENTITY_REF_ANNOTATION,
  OWNER_GROUP_ANNOTATION,
} from './managedServices';

/**
 * What a Cloud Run service itself says about whom it belongs to (its annotations, as Google
 * returned them). Only someone with rights on the service can set these, unlike the catalog.
 */
export interface ServiceLinkFacts {
  /** `backstage.io/entity-ref`, as written. */
  entityRef?: string;
  /** `backstage.io/owner-group`, as written. */
  ownerGroup?: string;
}

/** The link annotations of a service, as written on it. */
export function linkFactsOf(service: {
  annotations?: Record<string, string> | null;
}): ServiceLinkFacts {
  const annotations = service.annotations ?? {};
  return {
    ...(ENTITY_REF_ANNOTATION in annotations
      ? { entityRef: annotations[ENTITY_REF_ANNOTATION] }
      : {}),
    ...(OWNER_GROUP_ANNOTATION in annotations
      ? { ownerGroup: annotations[OWNER_GROUP_ANNOTATION] }
      : {}),
  };
}

/**
 * The normalized (lower-case, full) entity ref, or undefined when the text is not an entity
 * ref. Without `defaultKind`, a ref must name its kind.
 */
export function normalizedEntityRef(
  text: unknown,
  defaultKind?: string,
): string | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(text.trim(), { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return undefined;
  }
}

/** The entity's `spec.owner` as a full ref (a bare name is a group, as in the catalog). */
export function ownerRefOf(entity: Entity): string | undefined {
  return normalizedEntityRef(entity.spec?.owner, 'group');
}

/** The owner group a service records, as a full group ref, or undefined when it records none or no group. */
export function recordedOwnerGroup(
  facts: ServiceLinkFacts,
): string | undefined {
  const ref = normalizedEntityRef(facts.ownerGroup, 'group');
  return ref?.startsWith('group:') ? ref : undefined;
}
