import { Finding } from '../../report/types';
import { removeGrantCommand, shellQuote } from '../gcloud';
import {
  accessorGrants,
  commands,
  FindingRule,
  listOf,
  membersOf,
} from './types';

const MAX_REMOVAL_COMMANDS = 25;

/** GROUP_WITH_EXTERNAL_MEMBERS: a granted group holds members outside the organization's domains. */
export const groupWithExternalMembers: FindingRule = (facts, options) => {
  const groups = facts.accessors.filter(
    accessor =>
      !accessor.deleted &&
      !accessor.expired &&
      (accessor.group?.externalMembers.length ?? 0) > 0,
  );
  if (groups.length === 0) {
    return undefined;
  }
  const removals = groups.reduce(
    (sum, accessor) => sum + accessor.group!.externalMembers.length,
    0,
  );
  const signIn = facts.iapSettings.externalSignIn;
  let severity: Finding['severity'] = 'high';
  if (options.allowExternalMembers) {
    severity = 'info';
  } else if (signIn === 'blocked') {
    severity = 'low';
  }
  const described = groups.map(
    accessor =>
      `${accessor.member} (${accessor.group!.size} people, ${
        accessor.group!.externalMembers.length
      } outside: ${listOf(accessor.group!.externalMembers, 3)})`,
  );
  return {
    id: 'GROUP_WITH_EXTERNAL_MEMBERS',
    severity,
    title: 'Granted group holds members outside the organization',
    what: `${listOf(described)} ${
      groups.length === 1 ? 'is' : 'are'
    } granted access to this app.`,
    why:
      signIn === 'blocked'
        ? 'IAP signs users in with the Google-managed OAuth client, so outside accounts cannot sign in today; the grant becomes live for them as soon as a custom OAuth client is configured at any level above.'
        : 'Every member of a granted group gets in, nested groups included: the outside accounts are not governed by the organization (no offboarding, no enforced 2-step verification, no device policy).',
    fix: {
      text: `Remove the outside members from the group, or grant a group that holds only members of the organization.${
        removals > MAX_REMOVAL_COMMANDS
          ? ` The commands cover the first ${MAX_REMOVAL_COMMANDS} of ${removals} outside members.`
          : ''
      }`,
      command: commands(
        groups
          .flatMap(accessor =>
            accessor.group!.externalMembers.map(
              member =>
                `gcloud identity groups memberships delete --group-email=${shellQuote(
                  accessor.member.slice('group:'.length),
                )} --member-email=${shellQuote(
                  member.slice(member.indexOf(':') + 1),
                )}`,
            ),
          )
          .slice(0, MAX_REMOVAL_COMMANDS),
      ),
    },
    subjects: [
      ...groups.map(accessor => accessor.member),
      ...new Set(groups.flatMap(accessor => accessor.group!.externalMembers)),
    ],
  };
};

/** ACCESS_LEVEL_RESTRICTS_NOTHING: a level whose conditions always hold (e.g. `0.0.0.0/0` and `::/0`). */
export const accessLevelRestrictsNothing: FindingRule = facts => {
  const levels = facts.accessLevels.filter(level => level.restrictsNothing);
  if (levels.length === 0) {
    return undefined;
  }
  const pairs = accessorGrants(
    facts,
    (_accessor, grant) => (grant.levelsRestrictingNothing ?? []).length > 0,
  );
  return {
    id: 'ACCESS_LEVEL_RESTRICTS_NOTHING',
    severity: 'high',
    title: 'Access level that restricts nothing',
    what: `${listOf(
      levels.map(
        level => `${level.shortName} (${level.restrictsNothingReason})`,
      ),
    )}: every request satisfies ${
      levels.length === 1 ? 'it' : 'them'
    }, so grants relying on ${
      levels.length === 1 ? 'it' : 'them'
    } are not counted as restricted${
      pairs.length > 0 ? ` (${listOf(membersOf(pairs))})` : ''
    }.`,
    why: 'A level whose conditions always hold makes a condition look context-aware while admitting any network, any country and any device: coverage would read 100 % with nobody restricted.',
    fix: {
      text: 'Narrow the level: list only the corporate egress ranges instead of 0.0.0.0/0 and ::/0, only the regions you operate in, or a custom expression that tests the device; or make the grants require another level.',
      command: commands(
        levels.map(
          level =>
            `gcloud access-context-manager levels describe ${shellQuote(
              level.shortName,
            )} --policy=${level.name.split('/')[1]}`,
        ),
      ),
    },
    subjects: levels.map(level => level.name),
  };
};

/** EXPIRED_GRANT: a grant whose `request.time` bound has passed: it gives nothing and should go. */
export const expiredGrant: FindingRule = facts => {
  const pairs = accessorGrants(
    facts,
    (accessor, grant) => !accessor.deleted && grant.expired === true,
    true,
  );
  if (pairs.length === 0) {
    return undefined;
  }
  return {
    id: 'EXPIRED_GRANT',
    severity: 'low',
    title: 'Expired time-bound grant',
    what: `${listOf(
      pairs.map(
        ({ accessor, grant }) =>
          `${accessor.member} (expired ${grant.expiresAt})`,
      ),
    )}: the condition's time bound has passed, so the grant admits nobody.`,
    why: 'An expired grant gives no access but clutters the policy and reviews, and editing its condition would silently restore access.',
    fix: {
      text: 'Remove the expired grants.',
      command: commands(
        pairs.map(({ accessor, grant }) =>
          removeGrantCommand(facts.ref, grant, accessor.member),
        ),
      ),
    },
    subjects: membersOf(pairs),
  };
};

/** GRANT_EXPIRES_SOON: a time-bound grant ends within 7 days. */
export const grantExpiresSoon: FindingRule = facts => {
  const pairs = accessorGrants(
    facts,
    (accessor, grant) => !accessor.deleted && grant.expiresSoon === true,
  );
  if (pairs.length === 0) {
    return undefined;
  }
  return {
    id: 'GRANT_EXPIRES_SOON',
    severity: 'info',
    title: 'Time-bound grant expires within 7 days',
    what: `${listOf(
      pairs.map(
        ({ accessor, grant }) =>
          `${accessor.member} (until ${grant.expiresAt})`,
      ),
    )}.`,
    why: 'Access ends at the time bound of the condition; renew it beforehand if it is still needed, or let it lapse and remove the grant.',
    fix: {
      text: 'Confirm with the owner whether access must continue; to extend it, grant again with a later timestamp.',
    },
    subjects: membersOf(pairs),
  };
};

/** DOMAIN_RESTRICTED_SHARING_OFF: `iam.allowedPolicyMemberDomains` is not enforced on the project. */
export const domainRestrictedSharingOff: FindingRule = facts => {
  const policy = facts.orgPolicies?.allowedPolicyMemberDomains;
  if (!policy?.read || policy.enforced) {
    return undefined;
  }
  return {
    id: 'DOMAIN_RESTRICTED_SHARING_OFF',
    severity: facts.iapSettings.externalSignIn === 'blocked' ? 'low' : 'medium',
    title: 'Domain restricted sharing not enforced',
    what: `The constraint iam.allowedPolicyMemberDomains is not enforced on project ${facts.projectId}.`,
    why: 'Nothing stops an outside member (a personal account, another organization, allUsers) from being granted access to this app: only the review catches it.',
    fix: {
      text: "Enforce iam.allowedPolicyMemberDomains at the organization (or folder) with the organization's Cloud Identity customer ID, after checking existing grants.",
      command: `gcloud org-policies describe iam.allowedPolicyMemberDomains --effective --project=${shellQuote(
        facts.projectId,
      )}`,
    },
  };
};
