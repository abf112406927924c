import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { urlReaderServiceFactory } from '@backstage/backend-defaults/urlReader';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import permissionBackend from '@backstage/plugin-permission-backend';
import {
  OwnersReadAppAccessPolicy,
  permissionPolicyModule,
} from './permissionPolicy';

jest.setTimeout(60_000);

/** Group memberships, as a sign-in resolver would claim them. */
const groupsOf: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-a'],
  'user:default/mallory': ['group:default/squatters'],
  'user:default/root': ['group:default/portal-admins'],
};

const userInfo = {
  async getUserInfo(credentials: BackstageCredentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...(groupsOf[ref] ?? [])],
    };
  },
};
const policy = new OwnersReadAppAccessPolicy(userInfo, {
  adminGroups: ['group:default/portal-admins'],
});

const catalogInfo = (
  name: string,
  owner: string,
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;

/**
 * The portal's policy in a backend with the real catalog and permission backends: entities are
 * registered from catalog-info files served on 127.0.0.1, as a user registers a URL, and each
 * user's decision is asked of the permission backend's /authorize, which evaluates the policy's
 * conditions against the entity in the catalog (the check the catalog makes before a delete).
 */
describe('the portal permission policy, decided against the real catalog', () => {
  let files: Server;
  let filesUrl: string;
  let backend: TestBackend;
  let api: string;
  let applyConditions: string;

  beforeAll(async () => {
    files = createServer((req, res) => {
      const [, name, owner] = /^\/([a-z-]+)\/([a-z-]+)\.yaml$/.exec(
        req.url ?? '',
      ) ?? [undefined, undefined, undefined];
      if (!name) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/yaml' });
      res.end(catalogInfo(name, owner!));
    });
    await new Promise<void>(resolve =>
      files.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = files.address() as AddressInfo;
    filesUrl = `http://127.0.0.1:${port}`;
    backend = await startTestBackend({
      features: [
        catalogBackend,
        urlReaderServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              baseUrl: 'http://localhost:7007',
              reading: { allow: [{ host: `127.0.0.1:${port}` }] },
            },
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              processingInterval: { seconds: 1 },
            },
            permission: { enabled: false },
          },
        }),
      ],
    });
    api = `http://127.0.0.1:${backend.server.port()}/api/catalog`;
    applyConditions = `${api}/.well-known/backstage/permissions/apply-conditions`;
  });

  afterAll(async () => {
    await backend?.stop();
    await new Promise(resolve => files?.close(resolve));
  });

  const as = (user: string, path: string, init: RequestInit = {}) =>
    fetch(`${api}${path}`, {
      ...init,
      headers: {
        Authorization: mockCredentials.user.header(user),
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...(init.headers as Record<string, string>),
      },
    });

  /** Registers a location as `user` and waits until its component is in the catalog. */
  async function register(user: string, name: string, owner: string) {
    const res = await as(user, '/locations', {
      method: 'POST',
      body: JSON.stringify({
        type: 'url',
        target: `${filesUrl}/${name}/${owner}.yaml`,
      }),
    });
    if (res.status !== 201) {
      throw new Error(`${res.status} ${await res.text()}`);
    }
    const { location } = (await res.json()) as { location: { id: string } };
    const deadline = Date.now() + 30_000;
    for (;;) {
      const entity = await fetch(
        `${api}/entities/by-name/component/default/${name}`,
        { headers: { Authorization: mockCredentials.service.header() } },
      );
      if (entity.status === 200) {
        const body = (await entity.json()) as {
          relations?: Array<{ type: string }>;
        };
        if (body.relations?.some(r => r.type === 'ownedBy')) {
          return { locationId: location.id };
        }
      }
      if (Date.now() > deadline) throw new Error(`${name} never appeared`);
      await new Promise(r => setTimeout(r, 200));
    }
  }

  /**
   * The policy's decision for `user`; a conditional one is evaluated by the catalog's own
   * apply-conditions endpoint against the entity, as the permission backend has it done.
   */
  async function decision(
    user: string,
    permission: { name: string; action: string; resourceType?: string },
    resourceRef?: string,
  ): Promise<string> {
    const result = await policy.handle(
      {
        permission: (permission.resourceType
          ? {
              type: 'resource',
              name: permission.name,
              attributes: { action: permission.action },
              resourceType: permission.resourceType,
            }
          : {
              type: 'basic',
              name: permission.name,
              attributes: { action: permission.action },
            }) as any,
      },
      {
        credentials: mockCredentials.user(user),
        info: { userEntityRef: user, ownershipEntityRefs: [] },
      } as any,
    );
    if (result.result !== AuthorizeResult.CONDITIONAL) return result.result;
    const res = await fetch(applyConditions, {
      method: 'POST',
      headers: {
        Authorization: mockCredentials.service.header(),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        items: [
          {
            id: '1',
            resourceRef,
            resourceType: result.resourceType,
            conditions: result.conditions,
          },
        ],
      }),
    });
    if (res.status !== 200) {
      throw new Error(`${res.status} ${await res.text()}`);
    }
    const body = (await res.json()) as { items: Array<{ result: string }> };
    return body.items[0].result;
  }

  const deleteEntity = {
    name: 'catalog.entity.delete',
    action: 'delete',
    resourceType: 'catalog-entity',
  };
  const deleteLocation = { name: 'catalog.location.delete', action: 'delete' };

  it('lets neither a non-owner nor another group delete an entity; its owners and admins may', async () => {
    await register('user:default/alice', 'team-app', 'team-a');
    const ref = 'component:default/team-app';
    expect(await decision('user:default/mallory', deleteEntity, ref)).toBe(
      'DENY',
    );
    expect(await decision('user:default/bob', deleteEntity, ref)).toBe('DENY');
    expect(await decision('user:default/alice', deleteEntity, ref)).toBe(
      'ALLOW',
    );
    expect(await decision('user:default/root', deleteEntity, ref)).toBe(
      'ALLOW',
    );
  });

  it('lets only admins delete a location, not even the user who registered it', async () => {
    await register('user:default/alice', 'located-app', 'team-a');
    expect(await decision('user:default/mallory', deleteLocation)).toBe('DENY');
    expect(await decision('user:default/alice', deleteLocation)).toBe('DENY');
    expect(await decision('user:default/root', deleteLocation)).toBe('ALLOW');
  });

  it('keeps the other rules: anyone may register and read; app access stays with its owners', async () => {
    await register('user:default/mallory', 'mallory-app', 'squatters');
    const read = {
      name: 'catalog.entity.read',
      action: 'read',
      resourceType: 'catalog-entity',
    };
    expect(
      await decision('user:default/bob', read, 'component:default/mallory-app'),
    ).toBe('ALLOW');
    const manage = {
      name: 'cloud-run-iap.access.manage',
      action: 'update',
      resourceType: 'catalog-entity',
    };
    expect(
      await decision(
        'user:default/root',
        manage,
        'component:default/mallory-app',
      ),
    ).toBe('DENY');
    expect(
      await decision(
        'user:default/mallory',
        manage,
        'component:default/mallory-app',
      ),
    ).toBe('ALLOW');
  });
});

describe('permission.adminGroups', () => {
  it('must list full group refs: the backend does not start otherwise', async () => {
    await expect(
      startTestBackend({
        features: [
          permissionBackend,
          permissionPolicyModule,
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: 'http://localhost:7007' },
              permission: { enabled: true, adminGroups: ['portal-admins'] },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'permission.adminGroups must list full group entity refs such as group:default/portal-admins, got "portal-admins"',
    );
  });
});
