import { ConfigApi } from '@backstage/frontend-plugin-api';

/** An example user of the development sign-in (`auth.providers.example-users.users`). */
export interface ExampleUser {
  entityRef: string;
  title: string;
  description?: string;
}

/** The auth provider the backend mounts for them (packages/backend/src/exampleUsers). */
export const EXAMPLE_USERS_PROVIDER = 'example-users';
/** The header naming the user to sign in as. */
export const EXAMPLE_USER_HEADER = 'x-example-user';

/** The example users to offer; none when the development sign-in is not configured. */
export function readExampleUsers(config: ConfigApi): ExampleUser[] {
  return (
    config
      .getOptionalConfigArray(`auth.providers.${EXAMPLE_USERS_PROVIDER}.users`)
      ?.map(user => ({
        entityRef: user.getString('entityRef'),
        title: user.getString('title'),
        description: user.getOptionalString('description'),
      })) ?? []
  );
}

/** Who to sign in as: the guest provider, or an example user. */
export type SignInChoice =
  | { provider: 'guest' }
  | { provider: typeof EXAMPLE_USERS_PROVIDER; entityRef: string };

const STORAGE_KEY = 'internal-apps-portal/development-sign-in';

/** The choice kept from the last sign-in in this browser, so a reload signs in again. */
export function loadChoice(users: ExampleUser[]): SignInChoice | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (stored?.provider === 'guest') return { provider: 'guest' };
    if (
      stored?.provider === EXAMPLE_USERS_PROVIDER &&
      users.some(u => u.entityRef === stored.entityRef)
    ) {
      return { provider: EXAMPLE_USERS_PROVIDER, entityRef: stored.entityRef };
    }
  } catch {
    // An unreadable entry is as good as none.
  }
  return undefined;
}

export function saveChoice(choice: SignInChoice | undefined) {
  if (choice) {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
  } else {
    localStorage.removeItem(STORAGE_KEY);
  }
}
