import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';

/** The zod the actions registry hands each schema builder (`zod/v3`). */
export type Zod = Parameters<
  ActionsRegistryActionOptions<any, any>['schema']['input']
>[0];

/**
 * The caller's credentials when they are a user's, as the HTTP routes require: an agent acts
 * for its user, never as a backend service.
 */
export function userCredentialsOf(
  auth: AuthService,
  credentials: BackstageCredentials,
  action: string,
): BackstageCredentials<BackstageUserPrincipal> {
  if (!auth.isPrincipal(credentials, 'user')) {
    throw new NotAllowedError(
      `${action} acts for a signed-in user: call it with a user's token, not a service's or none`,
    );
  }
  return credentials;
}

/**
 * Runs an action's work under the audit event its HTTP route records (same event id and
 * severity), marked as an action call with its user, since there is no HTTP request to name them.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: {
    eventId: string;
    severityLevel?: 'low' | 'medium' | 'high' | 'critical';
    actor: string;
    meta: JsonObject;
  },
  work: () => Promise<{ result: T; meta?: JsonObject }>,
): Promise<T> {
  const audit = await auditor.createEvent({
    eventId: event.eventId,
    severityLevel: event.severityLevel,
    meta: { ...event.meta, via: 'action', actor: event.actor },
  });
  try {
    const { result, meta } = await work();
    await audit.success(meta ? { meta } : undefined);
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
