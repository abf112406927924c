import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION,
  CLOUD_RUN_IAP_ENABLED,
  CLOUD_RUN_LINKED_LABEL,
  CLOUD_RUN_URL_ANNOTATION,
  CloudRunServiceRef,
  normalizedEntityRef,
  parseCloudRunServiceName,
  UNOWNED_SERVICES_CATALOG_FILTER,
  UnownedServiceReason,
  unownedServiceOf,
} from '@internal-apps/plugin-cloud-run-iap-common';

/** A command that fixes one reason a service is listed. */
export interface UnownedServiceFix {
  /** What running it does, e.g. "Turn IAP on". */
  title: string;
  /** The placeholders of the command (in capitals) and what replaces them. */
  placeholders?: string;
  command: string;
}

/** One row of the "Unowned services" view. */
export interface UnownedServiceRow {
  /** The Resource's entity ref (also the table's row id). */
  id: string;
  service: CloudRunServiceRef;
  url?: string;
  reasons: UnownedServiceReason[];
  /** Why it is listed: "IAP off", "Not linked" or "IAP off, not linked". */
  reasonText: string;
  fixes: UnownedServiceFix[];
}

/** An entity the catalog returned that is not a discovered service as discovery writes it. */
export interface UnreadableServiceEntity {
  entityRef: string;
  message: string;
}

const SERVICE_NAME_FORM =
  'projects/<project-id>/locations/<region>/services/<service-id>';

const REASON_ORDER: UnownedServiceReason[] = ['iap-off', 'not-linked'];
const REASON_TEXT: Record<UnownedServiceReason, string> = {
  'iap-off': 'IAP off',
  'not-linked': 'not linked',
};

const LINK_COMMAND_PLACEHOLDERS =
  'Replace APP with the component the service runs, and TEAM with the group that owns that component (its spec.owner).';

/**
 * The catalog filters of the discovered services owned by `owner` that are linked to no entity
 * or have IAP off (any filter may match).
 */
export function unownedServicesFilter(
  owner: string,
): Array<Record<string, string>> {
  const ownerRef = normalizedEntityRef(owner, 'group') ?? owner;
  return UNOWNED_SERVICES_CATALOG_FILTER.map(filter => ({
    ...filter,
    'spec.owner': ownerRef,
  }));
}

function checkBooleanLabel(entity: Entity, label: string): void {
  const value = entity.metadata.labels?.[label];
  if (value !== 'true' && value !== 'false') {
    throw new Error(
      `label ${label} is ${
        value === undefined ? 'missing' : `"${value}"`
      }; it must be "true" or "false"`,
    );
  }
}

function checkServiceName(entity: Entity): void {
  const name =
    entity.metadata.annotations?.[CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION];
  if (name === undefined) {
    throw new Error(
      `annotation ${CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION} is missing; it must name the service, ${SERVICE_NAME_FORM}`,
    );
  }
  try {
    parseCloudRunServiceName(name);
  } catch {
    throw new Error(
      `annotation ${CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION} "${name}" must be ${SERVICE_NAME_FORM}, each part a valid Google Cloud name`,
    );
  }
}

function checkUrl(entity: Entity): void {
  const url = entity.metadata.annotations?.[CLOUD_RUN_URL_ANNOTATION];
  if (url === undefined) return;
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'https:') {
    throw new Error(
      `annotation ${CLOUD_RUN_URL_ANNOTATION} "${url}" must be an https URL`,
    );
  }
}

/**
 * The row of a discovered service's Resource, or undefined when its service is linked with IAP
 * on (nothing to do).
 *
 * @throws Error naming the annotation or label that is not as discovery writes it.
 */
export function unownedServiceRow(
  entity: Entity,
): UnownedServiceRow | undefined {
  checkServiceName(entity);
  checkBooleanLabel(entity, CLOUD_RUN_LINKED_LABEL);
  checkBooleanLabel(entity, CLOUD_RUN_IAP_ENABLED);
  checkUrl(entity);
  const unowned = unownedServiceOf(entity);
  if (!unowned) return undefined;
  const { service } = unowned;
  const reasons = REASON_ORDER.filter(r => unowned.reasons.includes(r));
  const text = reasons.map(r => REASON_TEXT[r]).join(', ');
  const fixes: UnownedServiceFix[] = [];
  if (unowned.enableIapCommand) {
    fixes.push({ title: 'Turn IAP on', command: unowned.enableIapCommand });
  }
  if (unowned.linkCommand) {
    fixes.push({
      title: 'Link the service to its component',
      placeholders: LINK_COMMAND_PLACEHOLDERS,
      command: unowned.linkCommand,
    });
  }
  return {
    id: unowned.entityRef,
    service,
    ...(unowned.url ? { url: unowned.url } : {}),
    reasons,
    reasonText: text.charAt(0).toUpperCase() + text.slice(1),
    fixes,
  };
}

/**
 * The rows of the entities the catalog returned, by project, region and service, and the
 * entities that could not be read, each with why.
 */
export function unownedServiceRows(entities: Entity[]): {
  rows: UnownedServiceRow[];
  unreadable: UnreadableServiceEntity[];
} {
  const rows: UnownedServiceRow[] = [];
  const unreadable: UnreadableServiceEntity[] = [];
  for (const entity of entities) {
    try {
      const row = unownedServiceRow(entity);
      if (row) rows.push(row);
    } catch (e) {
      unreadable.push({
        entityRef: stringifyEntityRef(entity),
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }
  rows.sort((a, b) => a.service.name.localeCompare(b.service.name));
  return { rows, unreadable };
}
