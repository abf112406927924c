import { AuditorService, AuthService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { cloudRunIapAccessReadPermission } from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessReportService } from '../services/AccessReportService';
import { EntityAccessAuthorizer } from '../services/EntityAccessAuthorizer';
import { entityRefField } from '../services/entityRefField';
import { RequestDeadline } from '../services/RequestDeadline';
import { audited, userCredentialsOf } from './actionSupport';
import {
  entityRefInput,
  findingSchema,
  inOrganizationSchema,
  unavailableServiceSchema,
} from './schemas';
import { summarizeReport } from './summaries';

/** `get-app-access`: `GET .../access` for an agent (`cloud-run-iap.access.read` on the app). */
export function registerGetAppAccessAction(
  actionsRegistry: ActionsRegistryService,
  options: {
    auth: AuthService;
    auditor: AuditorService;
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
    deadlineMs: number;
  },
) {
  const { auth, auditor, authorizer, reports, deadlineMs } = options;
  actionsRegistry.register({
    name: 'get-app-access',
    title: 'Get app access',
    description: `Who can reach an app's IAP-protected Cloud Run services, and how well that access is restricted.
For each service: whether IAP is on, its URL, every accessor (member, kind, inside the organisation or not, restricted by access levels or not), the coverage of access levels, and the findings (most severe first), each with what is wrong, why it matters and how to fix it.
Needs cloud-run-iap.access.read on the app (its owners by default). Answers from a cache; refresh: true reads Google again.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z
          .object({
            entityRef: entityRefInput(z),
            refresh: z
              .boolean()
              .optional()
              .describe('Read Google again instead of the cached report'),
          })
          .strict(),
      output: z =>
        z.object({
          entityRef: z.string(),
          fetchedAt: z.string().describe('ISO 8601 time Google was read'),
          fromCache: z.boolean(),
          stale: z
            .object({ ageSeconds: z.number(), error: z.string() })
            .optional()
            .describe('Set when Google failed and an older report is served'),
          services: z.array(
            z.object({
              resourceName: z.string(),
              region: z.string(),
              url: z.string().optional(),
              iapEnabled: z.boolean(),
              ingress: z.string().optional(),
              coverage: z.object({
                covered: z.number(),
                total: z.number(),
                ratio: z.number(),
                uncoveredMembers: z.array(z.string()),
              }),
              accessors: z.array(
                z.object({
                  member: z.string(),
                  kind: z.string(),
                  inOrganization: inOrganizationSchema(z),
                  contextRestricted: z.boolean(),
                  expired: z.boolean().optional(),
                }),
              ),
              accessLevels: z.array(z.string()),
              findings: z.array(findingSchema(z)),
            }),
          ),
          unavailableServices: z.array(unavailableServiceSchema(z)),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = userCredentialsOf(auth, credentials, 'get-app-access');
      const entityRef = entityRefField(
        input.entityRef,
        'entityRef',
        'component',
      );
      const output = await audited(
        auditor,
        {
          eventId: 'access-report-read',
          actor: user.principal.userEntityRef,
          meta: { entityRef },
        },
        async () => {
          const entity = await authorizer.loadAuthorizedEntity(
            entityRef,
            cloudRunIapAccessReadPermission,
            user,
          );
          const { signal } = RequestDeadline.start(deadlineMs);
          const report = await reports.reportForEntity(entity, {
            refresh: input.refresh === true,
            signal,
          });
          return {
            result: summarizeReport(report),
            meta: { stale: Boolean(report.stale) },
          };
        },
      );
      return { output };
    },
  });
}
