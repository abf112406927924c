import type {
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  ENTITY_REF_ANNOTATION,
  OWNER_GROUP_ANNOTATION,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { RunService } from '@internal-apps/plugin-cloud-run-iap-node';
import { authorizeAccessManagement } from './authorization';
import type { ServiceTarget } from './validation';

/*
 * Who may change an app's access. A catalog entity is not proof of ownership on its own (anyone
 * may register one): the service records its owning group when it is created, from the
 * creator's own group memberships, and a change needs `cloud-run-iap.access.manage` on the
 * entity the service names AND that entity's spec.owner to be that recorded group.
 */

/** A group entity ref in its canonical form (`group:default/team-a`), or undefined. */
export function normalizeGroupRef(ref: string): string | undefined {
  try {
    const parsed = parseEntityRef(ref.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (parsed.kind.toLowerCase() !== 'group') return undefined;
    return stringifyEntityRef(parsed).toLowerCase();
  } catch {
    return undefined;
  }
}

/** The owner an entity names in `spec.owner`, in canonical form. */
export function entityOwnerRef(entity: {
  metadata: { namespace?: string };
  spec?: { owner?: unknown };
}): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner.trim() === '') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner.trim(), {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}

type InitiatorContext = Pick<
  ActionContext<any, any>,
  'getInitiatorCredentials' | 'user'
>;

function gcloudAnnotate(target: ServiceTarget, annotations: string) {
  return `gcloud run services update ${target.serviceId} --project=${target.projectId} --region=${target.region} --update-annotations=${annotations}`;
}

/** Checks ownership claims and authorizes access changes for the actions. */
export class AccessAuthorizer {
  readonly #permissions: PermissionsService;
  readonly #catalog: CatalogService;
  readonly #userInfo: UserInfoService;

  constructor(deps: {
    permissions: PermissionsService;
    catalog: CatalogService;
    userInfo: UserInfoService;
  }) {
    this.#permissions = deps.permissions;
    this.#catalog = deps.catalog;
    this.#userInfo = deps.userInfo;
  }

  /** The initiator's user ref and ownership claims (the user and their groups), lower-cased. */
  async initiator(
    ctx: InitiatorContext,
  ): Promise<{ userEntityRef: string; claims: string[] }> {
    const info = await this.#userInfo.getUserInfo(
      await ctx.getInitiatorCredentials(),
    );
    return {
      userEntityRef: info.userEntityRef,
      claims: info.ownershipEntityRefs.map(ref => ref.toLowerCase()),
    };
  }

  /**
   * Why `owner` cannot be recorded as the new service's owner, or undefined: it must be a group
   * among the initiator's ownership claims, so nobody records a group they are not in.
   */
  ownerProblem(owner: string, claims: readonly string[]): string | undefined {
    const group = normalizeGroupRef(owner);
    if (!group) {
      return `must be a group entity ref such as group:default/team-a (got ${JSON.stringify(
        owner,
      )})`;
    }
    if (!claims.includes(group)) {
      return `${group} is not one of your groups (your ownership claims: ${
        claims.join(', ') || 'none'
      }): the owner recorded on the service must be a group you belong to`;
    }
    return undefined;
  }

  /**
   * Whether the initiator may adopt `service` although its entity is not in the catalog: a task
   * that died before `catalog:register` leaves a service and no entity, and "start over" must
   * converge on it. Google's record is then the only proof there is: the service names the
   * entity this task creates, records `ownerGroup` (written at creation from its creator's own
   * groups), and the initiator is in that group. With an entity in the catalog, the ordinary
   * change rules apply instead, so a re-registered entity can never skip them.
   */
  async mayAdoptUnregistered(
    ctx: InitiatorContext,
    service: RunService,
    entityRef: string,
    ownerGroup: string,
  ): Promise<boolean> {
    const annotated = service.annotations?.[ENTITY_REF_ANNOTATION];
    const recorded = service.annotations?.[OWNER_GROUP_ANNOTATION];
    let named: string | undefined;
    try {
      named = annotated
        ? stringifyEntityRef(parseEntityRef(annotated)).toLowerCase()
        : undefined;
    } catch {
      named = undefined;
    }
    if (!named || named !== entityRef.toLowerCase()) return false;
    const group = recorded ? normalizeGroupRef(recorded) : undefined;
    if (!group || group !== normalizeGroupRef(ownerGroup)) return false;
    const { claims } = await this.initiator(ctx);
    if (!claims.includes(group)) return false;
    const entity = await this.#catalog.getEntityByRef(named, {
      credentials: await ctx.getInitiatorCredentials(),
    });
    return entity === undefined;
  }

  /**
   * Refuses, before any write, a change of who can reach `service` unless the initiator holds
   * `cloud-run-iap.access.manage` on the entity the service names, and that entity (read with
   * the initiator's credentials) is owned by the group recorded on the service.
   * Returns the entity and the recorded owner.
   */
  async authorizeChange(
    ctx: InitiatorContext,
    service: RunService,
    target: ServiceTarget,
  ): Promise<{ entityRef: string; ownerGroup: string }> {
    const annotated = service.annotations?.[ENTITY_REF_ANNOTATION];
    const recorded = service.annotations?.[OWNER_GROUP_ANNOTATION];
    let entityRef: string | undefined;
    try {
      entityRef = annotated
        ? stringifyEntityRef(parseEntityRef(annotated)).toLowerCase()
        : undefined;
    } catch {
      entityRef = undefined;
    }
    if (!entityRef) {
      throw new NotAllowedError(
        `Cloud Run service ${
          target.name
        } names no catalog entity (${ENTITY_REF_ANNOTATION} is ${
          annotated ? JSON.stringify(annotated) : 'missing'
        }), so nobody can be shown to own it. Someone with Google rights on the service can link it: ${gcloudAnnotate(
          target,
          `${ENTITY_REF_ANNOTATION}=component:default/${target.serviceId},${OWNER_GROUP_ANNOTATION}=group:default/<owning-team>`,
        )}`,
      );
    }
    const ownerGroup = recorded ? normalizeGroupRef(recorded) : undefined;
    if (!ownerGroup) {
      throw new NotAllowedError(
        `Cloud Run service ${
          target.name
        } records no owning group (${OWNER_GROUP_ANNOTATION} is ${
          recorded ? JSON.stringify(recorded) : 'missing'
        }), so the catalog's owner of ${entityRef} cannot be checked against Google's record. Someone with Google rights on the service can record it: ${gcloudAnnotate(
          target,
          `${OWNER_GROUP_ANNOTATION}=group:default/<owning-team>`,
        )}`,
      );
    }
    await authorizeAccessManagement(this.#permissions, ctx, entityRef);
    const credentials = await ctx.getInitiatorCredentials();
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotAllowedError(
        `${entityRef}, which ${target.name} names, is not in the catalog (or you may not read it), so its owner cannot be checked against the service's recorded owner ${ownerGroup}`,
      );
    }
    const catalogOwner = entityOwnerRef(entity);
    if (catalogOwner !== ownerGroup) {
      throw new NotAllowedError(
        `${entityRef} is owned by ${
          catalogOwner ?? 'nobody'
        } in the catalog, but ${
          target.name
        } records ${ownerGroup} as its owner (${OWNER_GROUP_ANNOTATION}): a catalog entity only speaks for a service while its spec.owner is the group recorded on the service. If ownership really moved, someone with Google rights on the service must record it: ${gcloudAnnotate(
          target,
          `${OWNER_GROUP_ANNOTATION}=${
            catalogOwner ?? 'group:default/<owning-team>'
          }`,
        )}`,
      );
    }
    return { entityRef, ownerGroup };
  }
}
