import { AuditorService, AuthService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  AccessReportResponse,
  SEVERITIES,
  Severity,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { entityRefField } from '../services/entityRefField';
import { RequestDeadline } from '../services/RequestDeadline';
import { ReviewService } from '../services/ReviewService';
import { audited, userCredentialsOf } from './actionSupport';
import {
  findingSchema,
  severitySchema,
  unavailableServiceSchema,
} from './schemas';
import { summarizeFinding, summarizeUnavailableService } from './summaries';

/** Every finding of the reports at `minSeverity` or above, most severe first, then by app. */
export function findingsOf(
  reports: AccessReportResponse[],
  minSeverity: Severity = SEVERITIES[SEVERITIES.length - 1],
) {
  const rank = (severity: Severity) => SEVERITIES.indexOf(severity);
  return reports
    .flatMap(report =>
      report.services.flatMap(service =>
        service.findings.map(finding => ({
          entityRef: report.entityRef,
          service: service.resourceName,
          ...summarizeFinding(finding),
        })),
      ),
    )
    .filter(finding => rank(finding.severity) <= rank(minSeverity))
    .sort(
      (a, b) =>
        rank(a.severity) - rank(b.severity) ||
        a.entityRef.localeCompare(b.entityRef) ||
        a.service.localeCompare(b.service),
    );
}

/**
 * `list-access-findings`: the findings of `GET /review?owner=` for an agent, over the apps the
 * caller may read the access of (`cloud-run-iap.access.read`); the others are left out.
 */
export function registerListAccessFindingsAction(
  actionsRegistry: ActionsRegistryService,
  options: {
    auth: AuthService;
    auditor: AuditorService;
    reviews: ReviewService;
    deadlineMs: number;
  },
) {
  const { auth, auditor, reviews, deadlineMs } = options;
  actionsRegistry.register({
    name: 'list-access-findings',
    title: 'List access findings of an owner',
    description: `The access findings over every app an owner (a group or a user) owns: IAP off, public or external members, grants without access levels and the other rules, most severe first, each with its app, its Cloud Run service, what is wrong, why it matters and how to fix it.
Only apps whose access the caller may read (cloud-run-iap.access.read) are included; the others are left out silently.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z
          .object({
            owner: z
              .string()
              .min(1)
              .describe(
                'The owning group or user: group:default/team-a (kind defaults to group)',
              ),
            system: z
              .string()
              .min(1)
              .optional()
              .describe(
                'Only apps that are part of this system (system:default/payments)',
              ),
            minSeverity: severitySchema(z)
              .optional()
              .describe(
                `The least severe findings to list (${SEVERITIES.join(
                  ', ',
                )}, most severe first); all when left out`,
              ),
          })
          .strict(),
      output: z =>
        z.object({
          owner: z.string(),
          apps: z.number().describe('Apps reviewed'),
          findings: z.array(
            findingSchema(z).extend({
              entityRef: z.string(),
              service: z.string(),
            }),
          ),
          unavailableServices: z.array(
            unavailableServiceSchema(z).extend({ entityRef: z.string() }),
          ),
          errors: z
            .array(z.object({ entityRef: z.string(), message: z.string() }))
            .describe('Apps whose report failed'),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = userCredentialsOf(auth, credentials, 'list-access-findings');
      const owner = entityRefField(input.owner, 'owner', 'group');
      const system =
        input.system === undefined
          ? undefined
          : entityRefField(input.system, 'system', 'system');
      const output = await audited(
        auditor,
        {
          eventId: 'access-review',
          actor: user.principal.userEntityRef,
          meta: { owner, format: 'findings', ...(system ? { system } : {}) },
        },
        async () => {
          const { signal } = RequestDeadline.start(deadlineMs);
          const { reports, errors } = await reviews.ownedReports(
            { owner, system },
            user,
            { signal },
          );
          const findings = findingsOf(
            reports,
            input.minSeverity as Severity | undefined,
          );
          return {
            result: {
              owner,
              apps: reports.length,
              findings,
              unavailableServices: reports.flatMap(report =>
                report.unavailableServices.map(service => ({
                  entityRef: report.entityRef,
                  ...summarizeUnavailableService(service),
                })),
              ),
              errors,
            },
            meta: { findings: findings.length },
          };
        },
      );
      return { output };
    },
  });
}
