import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CloudRunServiceRef,
  ENTITY_REF_ANNOTATION,
  OWNER_GROUP_ANNOTATION,
  ServiceLinkFacts,
  UnavailableService,
  normalizedEntityRef as normalizedRef,
  ownerRefOf,
  serviceLinkCommand,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { CloudRunIapConfig } from '@internal-apps/plugin-cloud-run-iap-node';

// The service's own link facts are read in -common, shared with the catalog's discovery.
export {
  linkFactsOf,
  ownerRefOf,
} from '@internal-apps/plugin-cloud-run-iap-common';
export type { ServiceLinkFacts } from '@internal-apps/plugin-cloud-run-iap-common';

/**
 * Decides whether a service is linked to an entity, on every request and from the service's
 * own facts (cached or fresh): the service names the entity in `backstage.io/entity-ref`, or
 * `cloudRunIap.links` lists the pair; and when the service records an owner group, the entity's
 * `spec.owner` is that group. A catalog entity alone proves nothing: anyone may register one.
 */
export class ServiceLinks {
  readonly #configured: Set<string>;

  static fromConfig(links: CloudRunIapConfig['links']): ServiceLinks {
    return new ServiceLinks(links);
  }

  private constructor(links: CloudRunIapConfig['links']) {
    this.#configured = new Set(
      links.map(
        link => `${link.service} ${normalizedRef(link.entityRef) ?? ''}`,
      ),
    );
  }

  /** `facts` is undefined when the service could not be read (absent, or not readable). */
  isLinked(
    entity: Entity,
    ref: CloudRunServiceRef,
    facts: ServiceLinkFacts | undefined,
  ): boolean {
    const entityRef = stringifyEntityRef(entity);
    const named = facts && normalizedRef(facts.entityRef) === entityRef;
    const configured = this.#configured.has(`${ref.name} ${entityRef}`);
    if (!named && !configured) return false;
    if (facts?.ownerGroup !== undefined) {
      const recorded = normalizedRef(facts.ownerGroup, 'group');
      if (!recorded || recorded !== ownerRefOf(entity)) return false;
    }
    return true;
  }

  /**
   * Why the entity may not act for the service (the ownership rule of writes), or undefined
   * when it may: the service must be linked to it and, when the service records an owner group,
   * the entity's spec.owner must be that group. `facts` are the service's own, read afresh.
   */
  whyNotLinked(
    entity: Entity,
    ref: CloudRunServiceRef,
    facts: ServiceLinkFacts,
  ): string | undefined {
    if (this.isLinked(entity, ref, facts)) return undefined;
    const { message } = this.notLinked(entity, ref);
    if (facts.ownerGroup === undefined) return message;
    return `${stringifyEntityRef(entity)} is owned by ${
      ownerRefOf(entity) ?? 'nobody'
    } in the catalog, but ${ref.name} records ${JSON.stringify(
      facts.ownerGroup,
    )} as its owner (${OWNER_GROUP_ANNOTATION}): a catalog entity only speaks for a service while its spec.owner is the group the service records. ${message}`;
  }

  /**
   * The answer for a service the entity has no link to. It depends only on what the caller
   * sent (the service name and the entity), never on the service: whether it exists, whom it
   * names, or whether the portal may read it.
   */
  notLinked(entity: Entity, ref: CloudRunServiceRef): UnavailableService {
    const entityRef = stringifyEntityRef(entity);
    const owner = ownerRefOf(entity);
    const linkCommand = serviceLinkCommand(
      ref,
      entityRef,
      owner?.startsWith('group:') ? owner : undefined,
    );
    return {
      ref,
      resourceName: ref.name,
      reason: 'not-linked',
      message:
        `${ref.name} is not linked to ${entityRef}. The portal shows a service's access only to ` +
        `the entity the service itself names (annotation ${ENTITY_REF_ANNOTATION}), and, when ` +
        `the service records an owner group (${OWNER_GROUP_ANNOTATION}), only while that group ` +
        `owns the entity. Someone who may update the service links it with: ${linkCommand} ` +
        `Or a portal operator adds { service: ${ref.name}, entityRef: ${entityRef} } to ` +
        `cloudRunIap.links in app-config.`,
      linkCommand,
    };
  }
}
