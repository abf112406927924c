import { AccessLevelStatus } from '../../report/types';
import {
  accessorGrants,
  FindingOptions,
  FindingRule,
  listOf,
  membersOf,
} from './types';

function levelsWithStatus(
  facts: Parameters<FindingRule>[0],
  status: AccessLevelStatus,
): string[] {
  return facts.accessLevels
    .filter(level => level.status === status)
    .map(level => level.name);
}

function listLevelsCommand(options: FindingOptions): string {
  const policy = (
    options.organizationPolicyName ?? 'accessPolicies/POLICY_NUMBER'
  ).split('/')[1];
  return `gcloud access-context-manager levels list --policy=${policy}`;
}

/** UNKNOWN_ACCESS_LEVEL: a condition (or a level's requiredAccessLevels) names a level that does not exist. */
export const unknownAccessLevel: FindingRule = (facts, options) => {
  const missing = levelsWithStatus(facts, 'missing');
  if (missing.length === 0) {
    return undefined;
  }
  return {
    id: 'UNKNOWN_ACCESS_LEVEL',
    severity: 'high',
    title: 'Condition names an access level that does not exist',
    what: `${listOf(missing)} ${
      missing.length === 1 ? 'does' : 'do'
    } not exist in the organization's access policy.`,
    why: 'A level that does not exist never matches: the grant admits nobody today, yet would admit whoever a level created later under that name allows. It usually hides a typo or a deleted level.',
    fix: {
      text: 'Correct the level name in the condition (or in requiredAccessLevels) to an existing organization level, or create the level.',
      command: listLevelsCommand(options),
    },
    subjects: missing,
  };
};

/** SCOPED_POLICY_LEVEL: a level from a scoped (non-organization) access policy, which IAP ignores. */
export const scopedPolicyLevel: FindingRule = (facts, options) => {
  const scoped = levelsWithStatus(facts, 'scoped-policy');
  if (scoped.length === 0) {
    return undefined;
  }
  return {
    id: 'SCOPED_POLICY_LEVEL',
    severity: 'high',
    title: 'Access level from a scoped access policy',
    what: `${listOf(scoped)} ${
      scoped.length === 1 ? 'belongs' : 'belong'
    } to a scoped access policy.`,
    why: 'IAP only supports access levels of the organization access policy; a scoped-policy level does not restrict access the way the condition suggests.',
    fix: {
      text: 'Define the level in the organization access policy and reference that name in the condition.',
      command: listLevelsCommand(options),
    },
    subjects: scoped,
  };
};

/** NEGATED_OR_OR_CONDITION: a negated access-level test, or an `||` that lets requests skip the level. */
export const negatedOrOrCondition: FindingRule = facts => {
  const pairs = accessorGrants(
    facts,
    (_, grant) =>
      grant.conditionAnalysis.usesNegation ||
      grant.conditionAnalysis.orWeakensRestriction,
  );
  if (pairs.length === 0) {
    return undefined;
  }
  const members = membersOf(pairs);
  const conditions = [
    ...new Set(pairs.map(({ grant }) => grant.condition?.expression ?? '')),
  ];
  return {
    id: 'NEGATED_OR_OR_CONDITION',
    severity: 'high',
    title: 'Condition negates or bypasses its access level',
    what: `Conditions granting ${listOf(
      members,
    )} negate an access level or add an \`||\` branch without one: ${listOf(
      conditions.map(c => `\`${c}\``),
      3,
    )}.`,
    why: 'A negated level test matches every request that lacks the level, and an `||` branch without a level admits requests that never satisfy it, so the access level restricts less than it appears to (or nothing).',
    fix: {
      text: 'Rewrite each condition as `"accessPolicies/N/accessLevels/L" in request.auth.access_levels`, combined with other terms using && only (use several levels in one `||` only if every branch is a level).',
    },
    subjects: members,
  };
};

/** PATH_OR_HOST_CONDITION: a condition tests `request.path`/`request.host`. */
export const pathOrHostCondition: FindingRule = facts => {
  const pairs = accessorGrants(
    facts,
    (_, grant) => grant.conditionAnalysis.usesPathOrHost,
  );
  if (pairs.length === 0) {
    return undefined;
  }
  const members = membersOf(pairs);
  return {
    id: 'PATH_OR_HOST_CONDITION',
    severity: 'medium',
    title: 'Condition on request path or host',
    what: `Conditions granting ${listOf(
      members,
    )} test request.path or request.host.`,
    why: 'IAP matches paths and hosts exactly, so URL-encoded or differently spelled paths (e.g. /internal%20admin) can slip past the condition.',
    fix: {
      text: 'Do not rely on path or host conditions for security: split the restricted part into its own service with its own accessors, or enforce the rule in the app.',
    },
    subjects: members,
  };
};
