import type { CloudRunIapConfig } from '@internal-apps/plugin-cloud-run-iap-node';
import {
  grantableMembersProblems,
  memberSyntaxProblem,
  MemberPolicy,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { memberKey } from '../../lib/bindings';
import {
  accessLevelReferenceProblem,
  addTargetProblems,
  entityRefProblem,
  InputProblems,
  parseServiceName,
  serviceTarget,
  ServiceTarget,
} from '../../lib/validation';

/** The update action's input as the handler receives it. */
export interface UpdateIapAccessInput {
  serviceName?: string;
  projectId?: string;
  region?: string;
  serviceId?: string;
  add?: string[];
  remove?: string[];
  accessLevels?: string[];
  iapEnabled?: boolean;
  entityRef?: string;
}

/** The target named either by `serviceName` or by `projectId`, `region` and `serviceId`. */
export function updateTarget(
  input: UpdateIapAccessInput,
): ServiceTarget | undefined {
  if (input.serviceName !== undefined)
    return parseServiceName(input.serviceName);
  if (input.projectId && input.region && input.serviceId) {
    return serviceTarget(input.projectId, input.region, input.serviceId);
  }
  return undefined;
}

/** Every rule the update input must meet that needs no Google call. */
export function updateInputProblems(
  input: UpdateIapAccessInput,
  config: Pick<CloudRunIapConfig, 'projects'>,
  members: MemberPolicy,
): InputProblems {
  const problems = new InputProblems();
  const byParts =
    input.projectId !== undefined ||
    input.region !== undefined ||
    input.serviceId !== undefined;
  if (input.serviceName !== undefined && byParts) {
    problems.add(
      'serviceName',
      'must not be combined with projectId, region and serviceId: give one form or the other',
    );
  } else if (input.serviceName !== undefined) {
    const target = parseServiceName(input.serviceName);
    if (!target) {
      problems.add(
        'serviceName',
        `must be projects/<project-id>/locations/<region>/services/<service-id> (got ${JSON.stringify(
          input.serviceName,
        )})`,
      );
    } else {
      addTargetProblems(problems, target, config, {
        projectId: 'serviceName (project)',
        region: 'serviceName (region)',
        serviceId: 'serviceName (service)',
      });
    }
  } else if (input.projectId && input.region && input.serviceId) {
    addTargetProblems(
      problems,
      serviceTarget(input.projectId, input.region, input.serviceId),
      config,
    );
  } else {
    problems.add(
      'serviceName',
      'or all of projectId, region and serviceId is required',
    );
  }

  const add = input.add ?? [];
  const remove = input.remove ?? [];
  for (const [field, problem] of grantableMembersProblems(
    'add',
    add,
    members,
  )) {
    problems.add(field, problem);
  }
  remove.forEach((member, i) =>
    problems.add(`remove[${i}]`, memberSyntaxProblem(member)),
  );
  const removing = new Set(remove.map(memberKey));
  add.forEach((member, i) => {
    if (removing.has(memberKey(member))) {
      problems.add(`add[${i}]`, `${member} is also in remove`);
    }
  });
  (input.accessLevels ?? []).forEach((level, i) =>
    problems.add(`accessLevels[${i}]`, accessLevelReferenceProblem(level)),
  );
  if (input.entityRef !== undefined) {
    problems.add('entityRef', entityRefProblem(input.entityRef));
  }
  if (
    add.length === 0 &&
    remove.length === 0 &&
    input.accessLevels === undefined &&
    input.iapEnabled === undefined
  ) {
    problems.add(
      'add',
      'remove, accessLevels or iapEnabled: at least one change is required',
    );
  }
  return problems;
}
