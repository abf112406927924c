import { AuditorService, AuthService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AccessRequestService } from '../services/AccessRequestService';
import { ACCESS_REQUEST_DURATIONS } from '../services/accessRequestTypes';
import { entityRefField } from '../services/entityRefField';
import { audited, userCredentialsOf } from './actionSupport';
import { entityRefInput } from './schemas';

/**
 * `request-app-access`: `POST .../access/requests` for an agent: a pending request of its user,
 * which the app's managers approve or deny in the portal. It grants nothing by itself.
 */
export function registerRequestAppAccessAction(
  actionsRegistry: ActionsRegistryService,
  options: {
    auth: AuthService;
    auditor: AuditorService;
    accessRequests: AccessRequestService;
  },
) {
  const { auth, auditor, accessRequests } = options;
  actionsRegistry.register({
    name: 'request-app-access',
    title: 'Request access to an app',
    description: `Asks, for the signed-in user, for access to one Cloud Run service of an app (the member granted is the user's own catalog email). The request is pending until the app's managers approve or deny it in the portal; nothing is granted by this call, and its owners are notified.
Any user of the organisation who can see the app in the catalog may ask. The service must be one the app annotates (get-app-access lists them).`,
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z
          .object({
            entityRef: entityRefInput(z),
            service: z
              .string()
              .min(1)
              .describe(
                'projects/<project-id>/locations/<region>/services/<service-id>: one the app annotates',
              ),
            justification: z
              .string()
              .min(1)
              .max(1000)
              .describe('Why the user needs access, for the approvers'),
            duration: z
              .enum(ACCESS_REQUEST_DURATIONS)
              .describe(
                'How long the access lasts once approved: P1D, P7D, P30D, or permanent where the portal allows it',
              ),
          })
          .strict(),
      output: z =>
        z.object({
          id: z.string(),
          entityRef: z.string(),
          service: z.string(),
          requester: z.string(),
          member: z.string().describe('What an approval grants'),
          justification: z.string(),
          duration: z.enum(ACCESS_REQUEST_DURATIONS),
          status: z.string(),
          createdAt: z.string(),
          requestExpiresAt: z
            .string()
            .describe('When the request expires if nobody decides it'),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = userCredentialsOf(auth, credentials, 'request-app-access');
      const { entityRef: rawRef, ...body } = input;
      const entityRef = entityRefField(rawRef, 'entityRef', 'component');
      const created = await audited(
        auditor,
        {
          eventId: 'cloud-run-iap-access-request',
          severityLevel: 'medium',
          actor: user.principal.userEntityRef,
          meta: { entityRef, service: body.service, duration: body.duration },
        },
        async () => {
          const request = await accessRequests.create(entityRef, body, user);
          return {
            result: request,
            meta: { requestId: request.id, members: [request.member] },
          };
        },
      );
      return { output: created };
    },
  });
}
