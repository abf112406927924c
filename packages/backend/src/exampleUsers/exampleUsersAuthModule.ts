import { createBackendModule } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The auth provider id: `/api/auth/example-users/refresh`, `auth.providers.example-users`. */
export const EXAMPLE_USERS_PROVIDER_ID = 'example-users';

/** The request header naming the example user to sign in as (a user entity ref). */
export const EXAMPLE_USER_HEADER = 'x-example-user';

const FULL_USER_REF = /^user:[^:/\s]+\/[^:/\s]+$/i;

/** One user the development sign-in offers. */
export interface ExampleUser {
  entityRef: string;
  title: string;
  description?: string;
}

/**
 * Reads `auth.providers.example-users.users`. Each entry is a full `user:` entity ref of the
 * catalog with a title for the sign-in page.
 */
export function readExampleUsers(config: Config): ExampleUser[] {
  const users = config.getConfigArray('users');
  if (users.length === 0) {
    throw new InputError(
      `auth.providers.${EXAMPLE_USERS_PROVIDER_ID}.users must list at least one user`,
    );
  }
  return users.map((user, index) => {
    const key = `auth.providers.${EXAMPLE_USERS_PROVIDER_ID}.users[${index}].entityRef`;
    const raw = user.getString('entityRef');
    if (!FULL_USER_REF.test(raw)) {
      throw new InputError(
        `${key} must be a full user entity ref such as user:default/alan (got "${raw}")`,
      );
    }
    return {
      // Entity refs compare case-insensitively.
      entityRef: raw.toLocaleLowerCase('en-US'),
      title: user.getString('title'),
      description: user.getOptionalString('description'),
    };
  });
}

/**
 * Development only: signs in as one of the example users listed in
 * `auth.providers.example-users`, named by the {@link EXAMPLE_USER_HEADER} header, with no
 * password. Without that config the auth backend does not mount the provider (its routes
 * answer 404); with it in a production process (`NODE_ENV=production`) the backend refuses to
 * start. Only `app-config.local-fake.yaml` configures it.
 */
const exampleUsersAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    if (process.env.NODE_ENV === 'production') {
      throw new Error(
        `auth.providers.${EXAMPLE_USERS_PROVIDER_ID} signs in without a password and is for development only; remove it from the production config`,
      );
    }
    return { users: readExampleUsers(config) };
  },
  async authenticate({ req }, { users }) {
    const wanted = req
      .header(EXAMPLE_USER_HEADER)
      ?.trim()
      .toLocaleLowerCase('en-US');
    const user = users.find(u => u.entityRef === wanted);
    if (!user) {
      throw new NotAllowedError(
        `The ${EXAMPLE_USER_HEADER} header must name one of the example users (${users
          .map(u => u.entityRef)
          .join(', ')}); got ${wanted ? `"${wanted}"` : 'none'}`,
      );
    }
    return { result: { userEntityRef: user.entityRef } };
  },
});

export const exampleUsersAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'example-users-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: EXAMPLE_USERS_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: exampleUsersAuthenticator,
            // The user must be in the catalog: its groups give it its ownership.
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});
