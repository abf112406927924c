import { IamPolicy, RunService } from '../google/types';
import {
  computeDefaultServiceAccount,
  iapServiceAgentMember,
  lastSegment,
  PUBLIC_MEMBERS,
  RUN_INVOKER_ROLE,
} from '../google/resourceNames';
import { RunInvokerSummary, ServiceReadiness } from '../report/types';
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

function unconditionalInvokers(policy: IamPolicy): string[] {
  return (policy.bindings ?? [])
    .filter(binding => binding.role === RUN_INVOKER_ROLE && !binding.condition)
    .flatMap(binding => binding.members ?? []);
}

/**
 * Who holds `roles/run.invoker` on the service, and whether the IAP service agent holds it there
 * or (unconditionally) on an ancestor. `'unknown'` when no readable policy grants it but the
 * service policy or an ancestor policy could not be read.
 */
export function summarizeRunInvoker(input: {
  servicePolicy: IamPolicy | undefined;
  ancestorPolicies: IamPolicy[];
  ancestorsComplete: boolean;
  projectNumber: string;
}): RunInvokerSummary {
  const { servicePolicy, ancestorPolicies, projectNumber } = input;
  const iapServiceAgent = iapServiceAgentMember(projectNumber);
  const agentKey = memberKey(iapServiceAgent);
  const members = servicePolicy
    ? [
        ...new Set(
          (servicePolicy.bindings ?? [])
            .filter(binding => binding.role === RUN_INVOKER_ROLE)
            .flatMap(binding => binding.members ?? []),
        ),
      ]
    : [];
  const grantedOn = (policy: IamPolicy) =>
    unconditionalInvokers(policy).some(m => memberKey(m) === agentKey);
  let iapAgentIsInvoker: boolean | 'unknown';
  if (
    ancestorPolicies.some(grantedOn) ||
    (servicePolicy && grantedOn(servicePolicy))
  ) {
    iapAgentIsInvoker = true;
  } else {
    iapAgentIsInvoker =
      servicePolicy && input.ancestorsComplete ? false : 'unknown';
  }
  return {
    read: servicePolicy !== undefined,
    members,
    publicMembers: members.filter(m => PUBLIC_MEMBERS.includes(m)),
    iapServiceAgent,
    iapAgentIsInvoker,
  };
}
