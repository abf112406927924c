import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** A plain email: one `@`, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `user:` and the `spec.profile.email` of a catalog User entity (lower case): the IAM member a
 * signed-in user is to Google. `purpose` starts the 400 when there is no usable email.
 */
export function memberOfUserEntity(
  user: Entity | undefined,
  userRef: string,
  purpose: string,
): string {
  if (!user) {
    throw new InputError(
      `${purpose} needs the email you sign in to Google with, but your user entity ${userRef} is not in the catalog (so it has no spec.profile.email)`,
    );
  }
  const email = (user.spec?.profile as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string' || email.trim() === '') {
    throw new InputError(
      `${purpose} needs the email you sign in to Google with, but your user entity ${userRef} has no spec.profile.email`,
    );
  }
  if (!EMAIL.test(email.trim())) {
    throw new InputError(
      `spec.profile.email of your user entity ${userRef} must be an email address such as ada@example.com (got ${JSON.stringify(
        email,
      )})`,
    );
  }
  return `user:${email.trim().toLowerCase()}`;
}
