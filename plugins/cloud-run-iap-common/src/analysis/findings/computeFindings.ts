import { Finding, FINDING_IDS, SEVERITIES } from '../../report/types';
import {
  domainWideAccessor,
  externalAccessor,
  inheritedAccess,
  noContextAwareAccess,
  partialContextAwareAccess,
  publicAccessor,
} from './accessorRules';
import {
  negatedOrOrCondition,
  pathOrHostCondition,
  scopedPolicyLevel,
  unknownAccessLevel,
} from './conditionRules';
import {
  defaultComputeServiceAccount,
  notInPerimeter,
  programmaticClients,
} from './postureRules';
import {
  iapAgentNotInvoker,
  iapDisabled,
  invokerCheckDisabled,
  publicInvoker,
} from './serviceRules';
import {
  accessLevelRestrictsNothing,
  domainRestrictedSharingOff,
  expiredGrant,
  grantExpiresSoon,
  groupWithExternalMembers,
} from './issue14Rules';
import { FindingOptions, FindingRule, ServiceAccessFacts } from './types';

const RULES: FindingRule[] = [
  iapDisabled,
  publicInvoker,
  invokerCheckDisabled,
  iapAgentNotInvoker,
  publicAccessor,
  externalAccessor,
  domainWideAccessor,
  inheritedAccess,
  noContextAwareAccess,
  partialContextAwareAccess,
  unknownAccessLevel,
  scopedPolicyLevel,
  negatedOrOrCondition,
  pathOrHostCondition,
  notInPerimeter,
  defaultComputeServiceAccount,
  programmaticClients,
  groupWithExternalMembers,
  accessLevelRestrictsNothing,
  expiredGrant,
  grantExpiresSoon,
  domainRestrictedSharingOff,
];

/** Orders findings most severe first, then in catalogue order. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      FINDING_IDS.indexOf(a.id) - FINDING_IDS.indexOf(b.id),
  );
}

/**
 * Every finding of design.md §3.5 that applies to the service (at most one per rule id), each
 * with what is wrong, why it matters and the fix, most severe first.
 */
export function computeFindings(
  facts: ServiceAccessFacts,
  options: FindingOptions,
): Finding[] {
  return sortFindings(
    RULES.map(rule => rule(facts, options)).filter(
      (finding): finding is Finding => finding !== undefined,
    ),
  );
}
