import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { enableIapCommand, shellQuote } from './analysis/gcloud';
import { CloudRunServiceRef, parseCloudRunServiceName } from './annotation';
import {
  CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION,
  CLOUD_RUN_IAP_ENABLED,
  CLOUD_RUN_LINKED_LABEL,
  CLOUD_RUN_SERVICE_RESOURCE_TYPE,
  CLOUD_RUN_URL_ANNOTATION,
} from './discoveredServices';
import {
  ENTITY_REF_ANNOTATION,
  OWNER_GROUP_ANNOTATION,
} from './managedServices';

/**
 * The `gcloud` command that links a service to an entity, as someone with rights on the service
 * runs it: it writes `backstage.io/entity-ref` and, when given, `backstage.io/owner-group`.
 */
export function serviceLinkCommand(
  ref: CloudRunServiceRef,
  entityRef: string,
  ownerGroup?: string,
): string {
  const annotations = [`${ENTITY_REF_ANNOTATION}=${entityRef}`];
  if (ownerGroup) annotations.push(`${OWNER_GROUP_ANNOTATION}=${ownerGroup}`);
  return `gcloud run services update ${shellQuote(
    ref.serviceId,
  )} --project=${shellQuote(ref.projectId)} --region=${shellQuote(
    ref.region,
  )} --update-annotations=${shellQuote(annotations.join(','))}`;
}

/** Why a discovered service needs its platform group's attention. */
export type UnownedServiceReason = 'not-linked' | 'iap-off';

/** One discovered service that is linked to no entity, or has IAP off. */
export interface UnownedService {
  /** The Resource entity of the service. */
  entityRef: string;
  service: CloudRunServiceRef;
  /** The Resource's `spec.owner`. */
  owner?: string;
  url?: string;
  reasons: UnownedServiceReason[];
  /** For a service linked to no entity: the command that links it, its placeholders in capitals. */
  linkCommand?: string;
  /** For a service with IAP off: the command that turns IAP on. */
  enableIapCommand?: string;
}

/**
 * The catalog filters (one per reason, any may match) that find the Resources discovery made for
 * services linked to no entity or with IAP off: `catalogApi.getEntities({ filter })`.
 */
export const UNOWNED_SERVICES_CATALOG_FILTER: Array<Record<string, string>> = [
  {
    kind: 'resource',
    'spec.type': CLOUD_RUN_SERVICE_RESOURCE_TYPE,
    [`metadata.labels.${CLOUD_RUN_LINKED_LABEL}`]: 'false',
  },
  {
    kind: 'resource',
    'spec.type': CLOUD_RUN_SERVICE_RESOURCE_TYPE,
    [`metadata.labels.${CLOUD_RUN_IAP_ENABLED}`]: 'false',
  },
];

/**
 * The unowned-service row of a discovered Resource, or undefined when the entity is not one, or
 * its service is linked with IAP on.
 */
export function unownedServiceOf(entity: Entity): UnownedService | undefined {
  if (
    entity.kind.toLowerCase() !== 'resource' ||
    entity.spec?.type !== CLOUD_RUN_SERVICE_RESOURCE_TYPE
  ) {
    return undefined;
  }
  let service: CloudRunServiceRef;
  try {
    service = parseCloudRunServiceName(
      entity.metadata.annotations?.[CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION] ??
        '',
    );
  } catch {
    return undefined;
  }
  const labels = entity.metadata.labels ?? {};
  const reasons: UnownedServiceReason[] = [];
  if (labels[CLOUD_RUN_LINKED_LABEL] !== 'true') reasons.push('not-linked');
  if (labels[CLOUD_RUN_IAP_ENABLED] !== 'true') reasons.push('iap-off');
  if (reasons.length === 0) return undefined;
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const url = entity.metadata.annotations?.[CLOUD_RUN_URL_ANNOTATION];
  return {
    entityRef: stringifyEntityRef(entity),
    service,
    ...(owner ? { owner } : {}),
    ...(url ? { url } : {}),
    reasons,
    ...(reasons.includes('not-linked')
      ? {
          linkCommand: serviceLinkCommand(
            service,
            'component:default/APP',
            'group:default/TEAM',
          ),
        }
      : {}),
    ...(reasons.includes('iap-off')
      ? { enableIapCommand: enableIapCommand(service) }
      : {}),
  };
}
