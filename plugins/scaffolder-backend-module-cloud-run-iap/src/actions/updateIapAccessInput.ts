import {
  grantableMembersProblems,
  memberKey,
  memberSyntaxProblem,
  MemberPolicy,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { CloudRunIapConfig } from '@internal-apps/plugin-cloud-run-iap-node';
import { addAllowedTargetIssues } from '../lib/allowedTargets';
import * as inputs from '../lib/inputSchemas';
import { addIssue, z } from '../lib/inputSchemas';
import {
  parseServiceName,
  serviceTarget,
  ServiceTarget,
} from '../lib/validation';

const memberToRemove = z.string().superRefine((member, ctx) => {
  const problem = memberSyntaxProblem(member);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Every input of `gcp:cloud-run-iap-access:update` and the rules it must meet on its own. */
export const updateIapAccessInputSchema = z
  .object({
    serviceName: inputs.serviceName.optional(),
    projectId: inputs.projectId
      .optional()
      .describe('With region and serviceId, instead of serviceName.'),
    region: inputs.region.optional(),
    serviceId: inputs.serviceId.optional(),
    add: inputs
      .memberList('Principals to grant access through IAP')
      .default([]),
    remove: z
      .array(memberToRemove)
      .default([])
      .describe(
        'Principals whose managed grant is removed (IAM member strings; allUsers and allAuthenticatedUsers may be removed).',
      ),
    accessLevels: inputs
      .accessLevelList(
        'Sets the access levels every managed accessor needs; an empty list clears them (access then needs no level). Absent: unchanged',
      )
      .optional(),
    iapEnabled: z
      .boolean()
      .optional()
      .describe(
        'Turns IAP on (also making the IAP agent the invoker) or off. Absent: unchanged.',
      ),
    entityRef: inputs.entityRef
      .optional()
      .describe(
        "When given, the service's backstage.io/entity-ref annotation must name this entity.",
      ),
  })
  .strict()
  .superRefine((input, ctx) => {
    const byParts =
      input.projectId !== undefined ||
      input.region !== undefined ||
      input.serviceId !== undefined;
    if (input.serviceName !== undefined && byParts) {
      addIssue(
        ctx,
        'serviceName',
        'must not be combined with projectId, region and serviceId: give one form or the other',
      );
    } else if (input.serviceName !== undefined) {
      const target = parseServiceName(input.serviceName);
      if (target) addServiceNamePartIssues(ctx, target);
    } else if (!(input.projectId && input.region && input.serviceId)) {
      addIssue(
        ctx,
        'serviceName',
        'or all of projectId, region and serviceId is required',
      );
    }
    const removing = new Set(input.remove.map(memberKey));
    input.add.forEach((member, i) => {
      if (removing.has(memberKey(member))) {
        addIssue(ctx, ['add', i], `${member} is also in remove`);
      }
    });
    if (
      input.add.length === 0 &&
      input.remove.length === 0 &&
      input.accessLevels === undefined &&
      input.iapEnabled === undefined
    ) {
      addIssue(
        ctx,
        'add',
        'remove, accessLevels or iapEnabled: at least one change is required',
      );
    }
  });

/** The parts of a service name must be well formed, as the separate inputs must be. */
function addServiceNamePartIssues(ctx: z.RefinementCtx, target: ServiceTarget) {
  const parts = [
    ['serviceName (project)', inputs.projectId, target.projectId],
    ['serviceName (region)', inputs.region, target.region],
    ['serviceName (service)', inputs.serviceId, target.serviceId],
  ] as const;
  for (const [field, schema, value] of parts) {
    const result = schema.safeParse(value);
    if (!result.success) {
      addIssue(
        ctx,
        field,
        `${result.error.issues[0].message} (got ${JSON.stringify(value)})`,
      );
    }
  }
}

/** The update action's input as a template or a caller gives it (defaults not applied). */
export type UpdateIapAccessInput = z.input<typeof updateIapAccessInputSchema>;
/** The update action's input once parsed: defaults applied, every rule met. */
export type ParsedUpdateIapAccessInput = z.output<
  typeof updateIapAccessInputSchema
>;

/** The target named either by `serviceName` or by `projectId`, `region` and `serviceId`. */
export function updateTarget(input: ParsedUpdateIapAccessInput): ServiceTarget {
  if (input.serviceName !== undefined) {
    return parseServiceName(input.serviceName)!;
  }
  return serviceTarget(input.projectId!, input.region!, input.serviceId!);
}

/** The schema with the checks that need config: allowed projects and regions, grantable members. */
export function updateIapAccessInputWithConfig(
  config: Pick<CloudRunIapConfig, 'projects'>,
  members: MemberPolicy,
) {
  return updateIapAccessInputSchema.superRefine((input, ctx) => {
    const { serviceName, projectId, region, serviceId } = input;
    if (serviceName !== undefined) {
      const target = parseServiceName(serviceName);
      const byParts = [projectId, region, serviceId].some(p => p !== undefined);
      if (target && !byParts) {
        addAllowedTargetIssues(ctx, target, config, {
          projectId: 'serviceName (project)',
          region: 'serviceName (region)',
        });
      }
    } else if (projectId && region && serviceId) {
      addAllowedTargetIssues(ctx, { projectId, region, serviceId }, config);
    }
    for (const [field, problem] of grantableMembersProblems(
      'add',
      input.add,
      members,
    )) {
      addIssue(ctx, field, problem);
    }
  });
}
