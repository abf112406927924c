import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { cloudRunIapAccessManagePermission } from '@internal-apps/plugin-cloud-run-iap-common';

/**
 * Refuses, before any write, a task whose initiator does not hold `cloud-run-iap.access.manage`
 * on the app's entity: running a template must not let anyone change who reaches any app.
 */
export async function authorizeAccessManagement(
  permissions: PermissionsService,
  ctx: Pick<ActionContext<any, any>, 'getInitiatorCredentials' | 'user'>,
  entityRef: string,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  const [decision] = await permissions.authorize(
    [{ permission: cloudRunIapAccessManagePermission, resourceRef: entityRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${
        ctx.user?.ref ?? 'The user who started this task'
      } may not change who can reach ${entityRef} (permission ${
        cloudRunIapAccessManagePermission.name
      })`,
    );
  }
}
