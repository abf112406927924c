import fs from 'node:fs';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authBackend from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parseAllDocuments } from 'yaml';
import {
  EXAMPLE_USER_HEADER,
  exampleUsersAuthModule,
} from './exampleUsersAuthModule';

/*
 * The development sign-in through the real auth backend: the example users of
 * examples/org.yaml sign in by name, anyone else is refused, and without the config the
 * provider is not there at all.
 */

jest.setTimeout(60_000);

type Entity = NonNullable<
  NonNullable<Parameters<typeof catalogServiceMock.factory>[0]>['entities']
>[number];
type ProvidersConfig = Record<string, Record<string, unknown>>;

const orgEntities = parseAllDocuments(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../examples/org.yaml'),
    'utf8',
  ),
)
  .map(doc => doc.toJS() as Entity)
  // The relations the catalog's processing would add: ownership comes from memberOf.
  .map(entity => ({
    ...entity,
    metadata: { namespace: 'default', ...entity.metadata },
    relations: ((entity.spec?.memberOf as string[] | undefined) ?? []).map(
      group => ({ type: 'memberOf', targetRef: `group:default/${group}` }),
    ),
  }));

const exampleUsers = {
  users: [
    { entityRef: 'user:default/alan', title: 'Alan Turing' },
    { entityRef: 'user:default/ada', title: 'Ada Lovelace' },
  ],
};

async function startAuth(providers: ProvidersConfig) {
  const backend = await startTestBackend({
    features: [
      authBackend,
      exampleUsersAuthModule,
      catalogServiceMock.factory({ entities: orgEntities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          auth: { providers: providers as any },
        },
      }),
    ],
  });
  const refresh = (headers: Record<string, string> = {}) =>
    fetch(
      `http://127.0.0.1:${backend.server.port()}/api/auth/example-users/refresh`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest', ...headers } },
    );
  return { backend, refresh };
}

describe('the example-users sign-in (development only)', () => {
  it('signs in as a configured example user, with the groups from the catalog', async () => {
    const { backend, refresh } = await startAuth({
      'example-users': exampleUsers,
    });
    try {
      const res = await refresh({ [EXAMPLE_USER_HEADER]: 'user:default/alan' });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        backstageIdentity: {
          token: string;
          identity: { userEntityRef: string; ownershipEntityRefs: string[] };
        };
      };
      expect(body.backstageIdentity.identity).toMatchObject({
        userEntityRef: 'user:default/alan',
        ownershipEntityRefs: expect.arrayContaining([
          'user:default/alan',
          'group:default/data-team',
        ]),
      });
      expect(body.backstageIdentity.token).toMatch(/^eyJ/);
    } finally {
      await backend.stop();
    }
  });

  it('refuses a user that is not listed, and a request naming nobody', async () => {
    const { backend, refresh } = await startAuth({
      'example-users': exampleUsers,
    });
    try {
      const guest = await refresh({
        [EXAMPLE_USER_HEADER]: 'user:default/guest',
      });
      expect(guest.status).toBe(403);
      expect(((await guest.json()) as any).error.message).toBe(
        'The x-example-user header must name one of the example users (user:default/alan, user:default/ada); got "user:default/guest"',
      );
      const nobody = await refresh();
      expect(nobody.status).toBe(403);
      expect(((await nobody.json()) as any).error.message).toMatch(/got none$/);
    } finally {
      await backend.stop();
    }
  });

  it('is not there when auth.providers.example-users is not configured', async () => {
    const { backend, refresh } = await startAuth({
      guest: { userEntityRef: 'user:default/guest' },
    });
    try {
      const res = await refresh({ [EXAMPLE_USER_HEADER]: 'user:default/alan' });
      expect(res.status).toBe(404);
    } finally {
      await backend.stop();
    }
  });

  it('keeps a production process from starting with it configured', async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(
        startAuth({ 'example-users': exampleUsers }),
      ).rejects.toThrow(
        /Failed to initialize example-users auth provider, auth.providers.example-users signs in without a password and is for development only/,
      );
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });

  it('refuses an entry that is not a full user entity ref', async () => {
    await expect(
      startAuth({
        'example-users': { users: [{ entityRef: 'alan', title: 'Alan' }] },
      }),
    ).rejects.toThrow(
      'auth.providers.example-users.users[0].entityRef must be a full user entity ref such as user:default/alan (got "alan")',
    );
  });
});
