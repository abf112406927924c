import { PUBLIC_MEMBERS } from '../google/resourceNames';
import {
  classifyMember,
  isProjectServiceAccount,
  workforcePoolOf,
} from '../analysis/members';

/**
 * The rules for "may this IAM member be granted access to an app behind IAP", shared by the
 * scaffolder actions (server) and the accessors form field (browser). Pure and light: no CEL,
 * no address parsing. Each `…Problem` function returns the rule a member breaks, or undefined
 * when it is fine; messages name the rule, the caller prefixes the field.
 */

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const DOMAIN =
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const WORKFORCE_PRINCIPAL =
  /^principal:\/\/iam\.googleapis\.com\/locations\/global\/workforcePools\/[a-z0-9-]+\/subject\/\S+$/;
const WORKFORCE_PRINCIPAL_SET =
  /^principalSet:\/\/iam\.googleapis\.com\/locations\/global\/workforcePools\/[a-z0-9-]+\/(\*|group\/\S+|attribute\.[A-Za-z0-9_]+\/\S+)$/;

const quoted = (value: unknown) => JSON.stringify(value);

/** Where a member stands with respect to the organisation. */
export interface MemberPolicy {
  /** The organisation's domains (`cloudRunIap.organization.domains`), lower case. */
  domains: readonly string[];
  /** Whether members outside {@link MemberPolicy.domains} may be granted too. */
  allowExternalMembers: boolean;
  /** Projects whose service accounts count as the organisation's own. */
  ownProjectIds: readonly string[];
  /**
   * Workforce pools whose identities count as the organisation's own
   * (`cloudRunIap.organization.workforcePools`). None when absent: any organisation can
   * create workforce pools, and a principal URI does not say whose pool it is.
   */
  workforcePools?: readonly string[];
}

/** `allUsers` or `allAuthenticatedUsers`, exactly as IAM spells them. */
export function isPublicMember(member: string): boolean {
  return PUBLIC_MEMBERS.includes(member);
}

/** A service account email (no `serviceAccount:` prefix): an email ending in .gserviceaccount.com. */
export function isServiceAccountEmail(email: string): boolean {
  return EMAIL.test(email) && email.endsWith('.gserviceaccount.com');
}

/** The syntax rule a member string breaks, if any (public members are syntactically fine). */
export function memberSyntaxProblem(member: string): string | undefined {
  if (isPublicMember(member)) return undefined;
  const colon = member.indexOf(':');
  const kind = colon === -1 ? '' : member.slice(0, colon);
  const value = member.slice(colon + 1);
  const rule =
    'must be user:EMAIL, group:EMAIL, serviceAccount:EMAIL, domain:DOMAIN, principal://… or principalSet://… (a workforce identity)';
  switch (kind) {
    case 'user':
    case 'group':
      return EMAIL.test(value) ? undefined : `${rule} (got ${quoted(member)})`;
    case 'serviceAccount':
      return isServiceAccountEmail(value)
        ? undefined
        : `must name a service account email ending in .gserviceaccount.com (got ${quoted(
            member,
          )})`;
    case 'domain':
      return DOMAIN.test(value) ? undefined : `${rule} (got ${quoted(member)})`;
    case 'principal':
      return WORKFORCE_PRINCIPAL.test(member)
        ? undefined
        : `must be principal://iam.googleapis.com/locations/global/workforcePools/POOL/subject/SUBJECT (got ${quoted(
            member,
          )})`;
    case 'principalSet':
      return WORKFORCE_PRINCIPAL_SET.test(member)
        ? undefined
        : `must be principalSet://iam.googleapis.com/locations/global/workforcePools/POOL/group/GROUP (or /*, /attribute.NAME/VALUE) (got ${quoted(
            member,
          )})`;
    default:
      return `${rule} (got ${quoted(member)})`;
  }
}

/**
 * Whether a syntactically valid member is inside the organisation: users, groups and domains
 * by their domain; service accounts by domain or by living in one of `ownProjectIds`;
 * workforce identities only when their pool is one of `workforcePools`.
 */
export function isMemberInsideOrganization(
  member: string,
  policy: MemberPolicy,
): boolean {
  // Unlike the report's isMemberInOrganization (tri-state, one project, 'unknown' for
  // unlisted workforce pools and foreign service accounts), granting needs a yes or no.
  const info = classifyMember(member);
  const inDomains =
    info.domain !== undefined && policy.domains.includes(info.domain);
  switch (info.kind) {
    case 'workforcePrincipal':
      return (
        info.workforcePool !== undefined &&
        (policy.workforcePools ?? []).includes(info.workforcePool)
      );
    case 'user':
    case 'group':
    case 'domain':
      return inDomains;
    case 'serviceAccount':
      return (
        inDomains ||
        policy.ownProjectIds.some(id => isProjectServiceAccount(info.email, id))
      );
    default:
      return false;
  }
}

/** The rule a member to be granted breaks: public, syntax, deleted, or outside the organisation. */
export function grantableMemberProblem(
  member: string,
  policy: MemberPolicy,
): string | undefined {
  if (isPublicMember(member)) {
    return `${member} is never allowed: an app behind IAP must not be open to everyone`;
  }
  if (member.startsWith('deleted:')) return 'names a deleted principal';
  const syntax = memberSyntaxProblem(member);
  if (syntax) return syntax;
  if (
    !policy.allowExternalMembers &&
    !isMemberInsideOrganization(member, policy)
  ) {
    const pool = workforcePoolOf(member);
    if (pool) {
      const listed = policy.workforcePools ?? [];
      return `${quoted(member)} is in workforce pool ${quoted(
        pool,
      )}, which is not one of the organisation's pools (cloudRunIap.organization.workforcePools: ${
        listed.join(', ') || 'none configured'
      }); list the pool there, or set cloudRunIap.organization.allowExternalMembers to allow it`;
    }
    return `${quoted(member)} is outside the organisation's domains (${
      policy.domains.join(', ') || 'none configured'
    }); set cloudRunIap.organization.allowExternalMembers to allow it`;
  }
  return undefined;
}

/** Problems of a list of members to grant, keyed by field path (`accessors[2]`). */
export function grantableMembersProblems(
  field: string,
  members: readonly string[],
  policy: MemberPolicy,
): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  members.forEach((member, i) => {
    const problem = grantableMemberProblem(member, policy);
    if (problem) problems.push([`${field}[${i}]`, problem]);
  });
  return problems;
}
