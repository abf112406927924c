import { IamPolicy, RunService } from '../google/types';
import {
  computeDefaultServiceAccount,
  iapServiceAgentMember,
  lastSegment,
  PUBLIC_MEMBERS,
  RUN_INVOKER_ROLE,
} from '../google/resourceNames';
import {
  DirectCallers,
  InvokerGrant,
  RunInvokerSummary,
  ServiceReadiness,
} from '../report/types';
import { memberKey } from './members';

/** Readiness from `reconciling` and the terminal condition's state. */
export function serviceReadiness(service: RunService): ServiceReadiness {
  if (service.reconciling) {
    return 'reconciling';
  }
  switch (service.terminalCondition?.state) {
    case 'CONDITION_SUCCEEDED':
      return 'ready';
    case 'CONDITION_FAILED':
      return 'failed';
    case 'CONDITION_PENDING':
    case 'CONDITION_RECONCILING':
      return 'reconciling';
    default:
      return 'unknown';
  }
}

/** The revision id of the latest ready revision, else of the latest created one. */
export function latestRevision(service: RunService): string | undefined {
  const revision = service.latestReadyRevision ?? service.latestCreatedRevision;
  return revision ? lastSegment(revision) : undefined;
}

/** The runtime identity: the template's service account, or the Compute default one when unset. */
export function runtimeServiceAccount(
  service: RunService,
  projectNumber: string,
): string {
  return (
    service.template?.serviceAccount ||
    computeDefaultServiceAccount(projectNumber)
  );
}

/** Whether the email is a Compute Engine default service account. */
export function isComputeDefaultServiceAccount(email: string): boolean {
  return email.toLowerCase().endsWith('-compute@developer.gserviceaccount.com');
}

/** An ancestor's IAM policy, for the invoker grants it holds. */
export interface InvokerSource {
  level: InvokerGrant['level'];
  resource: string;
  policy: IamPolicy;
}

function invokerGrants(
  source: InvokerSource,
  grantsInvoke: (role: string) => boolean,
): InvokerGrant[] {
  return (source.policy.bindings ?? [])
    .filter(binding => grantsInvoke(binding.role))
    .flatMap(binding =>
      (binding.members ?? []).map(member => ({
        member,
        role: binding.role,
        level: source.level,
        resource: source.resource,
        conditional: Boolean(binding.condition),
      })),
    );
}

/**
 * Who holds a role carrying `run.routes.invoke` (by default `roles/run.invoker` alone) on the service
 * or an ancestor, and whether the IAP service agent holds one unconditionally. `'unknown'` when no
 * readable policy grants it but the service policy or an ancestor policy could not be read.
 */
export function summarizeRunInvoker(input: {
  servicePolicy: IamPolicy | undefined;
  ancestorPolicies: IamPolicy[];
  ancestorsComplete: boolean;
  projectNumber: string;
  /** The service's resource name, for the invoker grants. */
  serviceResource?: string;
  /** The ancestors with their level, for the invoker grants; defaults to `ancestorPolicies` as project level. */
  ancestors?: InvokerSource[];
  /** Whether a role carries `run.routes.invoke`; defaults to `roles/run.invoker` only. */
  grantsInvoke?: (role: string) => boolean;
}): RunInvokerSummary {
  const { servicePolicy, projectNumber } = input;
  const grantsInvoke =
    input.grantsInvoke ?? ((role: string) => role === RUN_INVOKER_ROLE);
  const iapServiceAgent = iapServiceAgentMember(projectNumber);
  const agentKey = memberKey(iapServiceAgent);
  const ancestors: InvokerSource[] =
    input.ancestors ??
    input.ancestorPolicies.map(policy => ({
      level: 'project' as const,
      resource: '',
      policy,
    }));
  const serviceGrants = servicePolicy
    ? invokerGrants(
        {
          level: 'service',
          resource: input.serviceResource ?? '',
          policy: servicePolicy,
        },
        grantsInvoke,
      )
    : [];
  const invokers = [
    ...serviceGrants,
    ...ancestors.flatMap(source => invokerGrants(source, grantsInvoke)),
  ];
  const members = [...new Set(serviceGrants.map(grant => grant.member))];
  let iapAgentIsInvoker: boolean | 'unknown';
  if (
    invokers.some(
      grant => !grant.conditional && memberKey(grant.member) === agentKey,
    )
  ) {
    iapAgentIsInvoker = true;
  } else {
    iapAgentIsInvoker =
      servicePolicy && input.ancestorsComplete ? false : 'unknown';
  }
  const publicInvokers = invokers.filter(grant =>
    PUBLIC_MEMBERS.includes(grant.member),
  );
  return {
    read: servicePolicy !== undefined,
    members,
    publicMembers: [...new Set(publicInvokers.map(grant => grant.member))],
    iapServiceAgent,
    iapAgentIsInvoker,
    ...(publicInvokers.length > 0 ? { publicInvokers } : {}),
  };
}

/** Every binding giving a role carrying `run.routes.invoke`, on the service or an ancestor. */
export function invokerGrantsOf(input: {
  servicePolicy: IamPolicy | undefined;
  serviceResource: string;
  ancestors: InvokerSource[];
  grantsInvoke: (role: string) => boolean;
}): InvokerGrant[] {
  return [
    ...(input.servicePolicy
      ? invokerGrants(
          {
            level: 'service',
            resource: input.serviceResource,
            policy: input.servicePolicy,
          },
          input.grantsInvoke,
        )
      : []),
    ...input.ancestors.flatMap(source =>
      invokerGrants(source, input.grantsInvoke),
    ),
  ];
}

/** Who can call the service without IAP: set when IAP is off or the invoker check is disabled. */
export function directCallers(
  iapEnabled: boolean,
  invokerIamDisabled: boolean,
  invokers: InvokerGrant[],
): DirectCallers | undefined {
  if (iapEnabled && !invokerIamDisabled) {
    return undefined;
  }
  if (!iapEnabled && invokerIamDisabled) {
    return {
      reason: 'iap-off-and-invoker-check-disabled',
      anyone: true,
      callers: [],
      summary:
        'IAP is off and the Cloud Run invoker check is disabled: anyone who can reach the URL can call the service.',
    };
  }
  if (!iapEnabled) {
    return {
      reason: 'iap-off',
      anyone: false,
      callers: invokers,
      summary: `IAP is off: ${
        invokers.length === 0
          ? 'nobody holds a role carrying run.routes.invoke'
          : `${
              new Set(invokers.map(grant => grant.member)).size
            } member(s) holding a role with run.routes.invoke`
      } can call the service directly with an identity token.`,
    };
  }
  return {
    reason: 'invoker-check-disabled',
    anyone: false,
    callers: [],
    summary:
      'The invoker check is disabled: IAP still checks every request today, but turning IAP off would let anyone who can reach the URL call the service.',
  };
}
