import { lastSegment } from '../../google/resourceNames';
import { Accessor, Finding, GrantLevel } from '../../report/types';
import { domainMaySignIn } from '../iapSettings';
import { grantWithAccessLevelCommand, removeGrantCommand } from '../gcloud';
import {
  AccessorGrant,
  accessorGrants,
  commands,
  FindingOptions,
  FindingRule,
  listOf,
  membersOf,
  ServiceAccessFacts,
} from './types';

function removalCommands(
  facts: ServiceAccessFacts,
  pairs: AccessorGrant[],
): string {
  return commands(
    pairs.map(({ accessor, grant }) =>
      removeGrantCommand(facts.ref, grant, accessor.member),
    ),
  );
}

const LEVEL_LABELS: Record<GrantLevel, string> = {
  service: 'service',
  region: `region-wide (cloud_run-REGION)`,
  'project-iap': 'project-wide IAP (iap_web)',
  project: 'project IAM',
  folder: 'folder IAM',
  organization: 'organization IAM',
};

function isAccessor(accessor: Accessor): boolean {
  return !accessor.deleted && !accessor.expired;
}

/** PUBLIC_ACCESSOR: `allUsers`/`allAuthenticatedUsers` can pass IAP. */
export const publicAccessor: FindingRule = facts => {
  const pairs = accessorGrants(facts, accessor => accessor.kind === 'public');
  if (pairs.length === 0) {
    return undefined;
  }
  const members = membersOf(pairs);
  return {
    id: 'PUBLIC_ACCESSOR',
    severity: 'critical',
    title: 'Public IAP accessor',
    what: `${listOf(
      members,
    )} hold roles/iap.httpsResourceAccessor on this app.`,
    why: 'allUsers admits anyone on the internet and allAuthenticatedUsers admits any Google account, personal ones included: IAP then protects nothing.',
    fix: {
      text: 'Remove the public grants and grant the people or groups who need the app instead.',
      command: removalCommands(facts, pairs),
    },
    subjects: members,
  };
};

/** EXTERNAL_ACCESSOR: a principal outside the organization's domains; its severity follows whether it can sign in. */
export const externalAccessor: FindingRule = (facts, options) => {
  const pairs = accessorGrants(
    facts,
    accessor =>
      isAccessor(accessor) &&
      accessor.kind !== 'public' &&
      accessor.inOrganization === false,
  );
  if (pairs.length === 0) {
    return undefined;
  }
  const members = membersOf(pairs);
  const settings = facts.iapSettings;
  const domainBlocked = (member: string) =>
    settings.allowedDomains?.enabled === true &&
    !domainMaySignIn(settings, member.slice(member.indexOf(':') + 1));
  const blockedByDomains = members.every(domainBlocked);
  const signIn = settings.externalSignIn;
  let severity: Finding['severity'];
  let why: string;
  let can: string;
  if (options.allowExternalMembers) {
    severity = 'info';
    can = 'can reach this app';
    why =
      'External members are allowed by configuration; check they still need access.';
  } else if (signIn === 'blocked') {
    severity = 'low';
    can = 'cannot sign in today';
    why =
      'IAP signs users in with the Google-managed OAuth client, which admits only identities of the organization. The grant becomes live for them as soon as a custom OAuth client is configured at any level.';
  } else if (blockedByDomains) {
    severity = 'low';
    can = 'cannot sign in today';
    why = `IAP's allowed domains (${settings.allowedDomains!.domains.join(
      ', ',
    )}) refuse their domain; the grant becomes live if the setting changes.`;
  } else if (signIn === 'possible') {
    severity = 'high';
    can = 'can sign in and reach this app';
    why = `IAP uses a custom OAuth client (${
      settings.oauthClientId ?? 'set in the IAP settings'
    }), which lets identities outside the organization sign in. Outside accounts are not governed by the organization (no offboarding, no enforced 2-step verification, no device policy).`;
  } else {
    severity = 'high';
    can = 'may reach this app';
    why =
      'Whether they can sign in depends on the OAuth client of the IAP settings, which could not be read at every level. Outside accounts are not governed by the organization (no offboarding, no enforced 2-step verification, no device policy).';
  }
  return {
    id: 'EXTERNAL_ACCESSOR',
    severity,
    title: 'Accessor outside the organization',
    what: `${listOf(members)} ${
      members.length === 1 ? 'is' : 'are'
    } outside the organization's domains${
      can === 'cannot sign in today'
        ? ` and hold${
            members.length === 1 ? 's' : ''
          } access, but cannot sign in today`
        : ` but ${can}`
    }.`,
    why,
    fix: {
      text: 'Remove the grants unless the external access is intended and approved.',
      command: removalCommands(facts, pairs),
    },
    subjects: members,
  };
};

/** DOMAIN_WIDE_ACCESSOR: a `domain:` grant. */
export const domainWideAccessor: FindingRule = facts => {
  const pairs = accessorGrants(facts, accessor => accessor.kind === 'domain');
  if (pairs.length === 0) {
    return undefined;
  }
  const members = membersOf(pairs);
  return {
    id: 'DOMAIN_WIDE_ACCESSOR',
    severity: 'medium',
    title: 'Whole-domain accessor',
    what: `${listOf(members)} ${
      members.length === 1 ? 'grants' : 'grant'
    } every account of the domain access to this app.`,
    why: 'Everyone with an account in the domain gets in, including new joiners, contractors and test accounts; access cannot be reviewed person by person.',
    fix: {
      text: 'Grant a group of the people who need the app, then remove the domain grant.',
      command: removalCommands(facts, pairs),
    },
    subjects: members,
  };
};

/** INHERITED_ACCESS: grants from `cloud_run-REGION`, `iap_web` or project/folder/org IAM reach this app. */
export const inheritedAccess: FindingRule = facts => {
  const pairs = accessorGrants(
    facts,
    (accessor, grant) => isAccessor(accessor) && grant.level !== 'service',
  );
  if (pairs.length === 0) {
    return undefined;
  }
  const members = membersOf(pairs);
  const described = pairs.map(
    ({ accessor, grant }) =>
      `${accessor.member} (${LEVEL_LABELS[grant.level]})`,
  );
  return {
    id: 'INHERITED_ACCESS',
    severity: 'medium',
    title: 'Access inherited from a broader resource',
    what: `${listOf([
      ...new Set(described),
    ])} reach this app through grants above the service.`,
    why: 'A grant on the region, the project-wide IAP resource or project/folder/organization IAM opens every IAP app below it, and does not show on the service itself.',
    fix: {
      text: 'Grant these principals on this service if they need it, then remove the broader grants (check first that no other app relies on them).',
      command: removalCommands(facts, pairs),
    },
    subjects: members,
  };
};

function suggestedLevel(
  facts: ServiceAccessFacts,
  options: FindingOptions,
): string {
  const valid = facts.accessLevels.find(level => level.status === 'valid');
  if (valid) {
    return valid.name;
  }
  if (options.organizationLevelNames?.length) {
    return options.organizationLevelNames[0];
  }
  const policy =
    options.organizationPolicyName ?? 'accessPolicies/POLICY_NUMBER';
  return `${policy}/accessLevels/LEVEL_NAME`;
}

function coverageFinding(
  facts: ServiceAccessFacts,
  options: FindingOptions,
  partial: boolean,
) {
  const { covered, total, uncoveredMembers } = facts.coverage;
  const level = suggestedLevel(facts, options);
  const grantable = facts.accessors
    .filter(
      accessor =>
        !accessor.deleted &&
        !accessor.expired &&
        accessor.kind !== 'public' &&
        (uncoveredMembers.includes(accessor.member) ||
          accessor.grants.some(
            grant => !grant.expired && !grant.contextRestricted,
          )),
    )
    .map(accessor => accessor.member);
  const unit =
    facts.coverage.unit === 'person' ? 'people (groups expanded)' : 'accessors';
  const unverified = facts.accessLevels.some(l => l.status === 'unresolved')
    ? ' The access levels could not be read, so no restriction could be verified.'
    : '';
  return {
    id: partial
      ? ('PARTIAL_CONTEXT_AWARE_ACCESS' as const)
      : ('NO_CONTEXT_AWARE_ACCESS' as const),
    severity: 'medium' as const,
    title: partial
      ? 'Some accessors are not restricted by an access level'
      : 'No accessor is restricted by an access level',
    what: `${covered} of ${total} ${unit} are restricted by a valid organization access level; not restricted: ${listOf(
      uncoveredMembers,
    )}.`,
    why: `Without an access level, a stolen or phished account gets in from any network and any device.${unverified}`,
    fix: {
      text: `Grant access with a condition requiring an organization access level (for example ${lastSegment(
        level,
      )}), then remove the unrestricted grants.`,
      ...(grantable.length > 0
        ? {
            command: commands(
              grantable.map(member =>
                grantWithAccessLevelCommand(facts.ref, member, level),
              ),
            ),
          }
        : {}),
    },
    subjects: uncoveredMembers,
  };
}

/** NO_CONTEXT_AWARE_ACCESS: there are accessors and none is context-restricted. */
export const noContextAwareAccess: FindingRule = (facts, options) =>
  facts.coverage.total > 0 && facts.coverage.covered === 0
    ? coverageFinding(facts, options, false)
    : undefined;

/** PARTIAL_CONTEXT_AWARE_ACCESS: some, but not all, accessors are context-restricted. */
export const partialContextAwareAccess: FindingRule = (facts, options) =>
  facts.coverage.covered > 0 && facts.coverage.covered < facts.coverage.total
    ? coverageFinding(facts, options, true)
    : undefined;
