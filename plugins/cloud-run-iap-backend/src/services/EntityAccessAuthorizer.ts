import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Loads entities with the caller's own credentials (so catalog read rules apply: an entity the
 * caller cannot see is a 404, never a hint that it exists) and authorizes a catalog-entity
 * permission against each, before anything is asked of Google.
 */
export class EntityAccessAuthorizer {
  readonly #catalog: CatalogService;
  readonly #permissions: PermissionsService;

  static create(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
  }) {
    return new EntityAccessAuthorizer(options.catalog, options.permissions);
  }

  private constructor(
    catalog: CatalogService,
    permissions: PermissionsService,
  ) {
    this.#catalog = catalog;
    this.#permissions = permissions;
  }

  /** The entity as the caller may read it (a 404 otherwise), with no plugin permission asked. */
  async loadReadableEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} found`);
    }
    return entity;
  }

  async loadAuthorizedEntity(
    entityRef: string,
    permission: ResourcePermission<'catalog-entity'>,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.loadReadableEntity(entityRef, credentials);
    const [decision] = await this.#permissions.authorize(
      [{ permission, resourceRef: stringifyEntityRef(entity) }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${
          permission.attributes.action === 'read' ? 'read' : 'change'
        } the access of ${stringifyEntityRef(entity)} (${permission.name})`,
      );
    }
    return entity;
  }

  /** Keeps the entities the caller holds `permission` on; the others are left out silently. */
  async filterAuthorized(
    entities: Entity[],
    permission: ResourcePermission<'catalog-entity'>,
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    if (entities.length === 0) return [];
    const decisions = await this.#permissions.authorize(
      entities.map(entity => ({
        permission,
        resourceRef: stringifyEntityRef(entity),
      })),
      { credentials },
    );
    return entities.filter(
      (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
  }
}
