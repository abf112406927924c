import { AccessorKind } from '../report/types';
import { computeDefaultServiceAccount } from '../google/resourceNames';

/** What an IAM member string names. */
export interface MemberInfo {
  kind: AccessorKind;
  displayName: string;
  /** The email of a user, group or service account. */
  email?: string;
  /** The domain of `domain:` members, or the part after `@` of an email. */
  domain?: string;
  /** A `deleted:` member, which can no longer sign in. */
  deleted: boolean;
  /** The workforce pool ID of a `principal://` or `principalSet://` workforce identity. */
  workforcePool?: string;
}

const WORKFORCE_POOL_MEMBER =
  /^principal(?:Set)?:\/\/iam\.googleapis\.com\/locations\/global\/workforcePools\/([^/]+)\//;

/**
 * The workforce pool of a workforce identity (`principal://iam.googleapis.com/locations/global/
 * workforcePools/POOL/…` or `principalSet://…`); undefined for anything else, workload
 * identity pools included.
 */
export function workforcePoolOf(member: string): string | undefined {
  return WORKFORCE_POOL_MEMBER.exec(member)?.[1];
}

function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  return at > 0 ? email.slice(at + 1).toLowerCase() : undefined;
}

function describePrincipalUri(uri: string): string {
  // principal://iam.googleapis.com/locations/global/workforcePools/POOL/subject/SUBJECT
  // principalSet://iam.googleapis.com/locations/global/workforcePools/POOL/group/GROUP
  // principalSet://iam.googleapis.com/locations/global/workforcePools/POOL/*
  const parts = uri.split('/');
  const poolKey = parts.findIndex(
    part => part === 'workforcePools' || part === 'workloadIdentityPools',
  );
  if (poolKey === -1 || poolKey + 1 >= parts.length) {
    return uri;
  }
  const poolType =
    parts[poolKey] === 'workforcePools'
      ? 'workforce pool'
      : 'workload identity pool';
  const pool = parts[poolKey + 1];
  const [selector, ...rest] = parts.slice(poolKey + 2);
  const value = rest.join('/');
  if (selector === 'subject') {
    return `${value} (${poolType} ${pool})`;
  }
  if (selector === 'group') {
    return `group ${value} (${poolType} ${pool})`;
  }
  if (selector === '*') {
    return `everyone in ${poolType} ${pool}`;
  }
  return `${[selector, ...rest].join('/')} (${poolType} ${pool})`;
}

const EMAIL_KINDS: Record<string, AccessorKind> = {
  user: 'user',
  group: 'group',
  serviceAccount: 'serviceAccount',
};

/** Classifies an IAM member string (`user:`, `group:`, `domain:`, `allUsers`, `principal://`...). */
export function classifyMember(member: string): MemberInfo {
  if (member === 'allUsers') {
    return {
      kind: 'public',
      displayName: 'Anyone on the internet (allUsers)',
      deleted: false,
    };
  }
  if (member === 'allAuthenticatedUsers') {
    return {
      kind: 'public',
      displayName: 'Any signed-in Google account (allAuthenticatedUsers)',
      deleted: false,
    };
  }
  if (
    member.startsWith('principal://') ||
    member.startsWith('principalSet://')
  ) {
    const workforcePool = workforcePoolOf(member);
    return {
      kind: 'workforcePrincipal',
      displayName: describePrincipalUri(member),
      deleted: false,
      ...(workforcePool ? { workforcePool } : {}),
    };
  }
  if (member.startsWith('deleted:')) {
    // deleted:user:alice@example.com?uid=123456789
    const inner = member.slice('deleted:'.length).split('?')[0];
    const colon = inner.indexOf(':');
    const type = colon === -1 ? 'principal' : inner.slice(0, colon);
    return {
      kind: 'unknown',
      displayName: `${inner.slice(colon + 1)} (deleted ${type})`,
      deleted: true,
    };
  }
  const colon = member.indexOf(':');
  const prefix = colon === -1 ? '' : member.slice(0, colon);
  const value = member.slice(colon + 1);
  if (prefix === 'domain') {
    const domain = value.toLowerCase();
    return {
      kind: 'domain',
      displayName: `Everyone at ${domain}`,
      domain,
      deleted: false,
    };
  }
  const emailKind = EMAIL_KINDS[prefix];
  if (emailKind) {
    return {
      kind: emailKind,
      displayName: value,
      email: value,
      domain: emailDomain(value),
      deleted: false,
    };
  }
  return { kind: 'unknown', displayName: member, deleted: false };
}

/** The project whose service accounts count as the organization's own. */
export interface OwnProject {
  projectId: string;
  projectNumber: string;
}

/** Whether a service account email lives in the given project (`…@PROJECT.iam.gserviceaccount.com`). */
export function isProjectServiceAccount(
  email: string | undefined,
  projectId: string,
): boolean {
  return (
    email?.toLowerCase().endsWith(`@${projectId}.iam.gserviceaccount.com`) ??
    false
  );
}

/**
 * Whether a member belongs to the organization: its (email) domain equals one of the
 * organization's domains, case-insensitively; subdomains are different domains.
 *
 * Service accounts live under Google domains, so only those of the service's own project count as
 * inside; others are `'unknown'`. Workforce identities are inside only when their pool is one of
 * `workforcePools` (`cloudRunIap.organization.workforcePools`), otherwise `'unknown'`, as are
 * unknown principals; public members are outside, and everything else is `'unknown'` when no
 * organization domain is configured.
 */
export function isMemberInOrganization(
  info: MemberInfo,
  organizationDomains: readonly string[],
  project: OwnProject,
  workforcePools: readonly string[] = [],
): boolean | 'unknown' {
  if (info.kind === 'public') {
    return false;
  }
  if (info.kind === 'workforcePrincipal') {
    return info.workforcePool !== undefined &&
      workforcePools.includes(info.workforcePool)
      ? true
      : 'unknown';
  }
  if (organizationDomains.length === 0) {
    return 'unknown';
  }
  const domains = organizationDomains.map(d => d.toLowerCase());
  const inDomains = info.domain !== undefined && domains.includes(info.domain);
  switch (info.kind) {
    case 'user':
    case 'group':
    case 'domain':
      return inDomains;
    case 'serviceAccount': {
      const ownProject =
        isProjectServiceAccount(info.email, project.projectId) ||
        info.email?.toLowerCase() ===
          computeDefaultServiceAccount(project.projectNumber);
      return inDomains || ownProject ? true : 'unknown';
    }
    default:
      return 'unknown';
  }
}

const CASE_INSENSITIVE_PREFIXES = ['user', 'group', 'serviceAccount', 'domain'];

/** A member string normalised for comparison: emails and domains are case-insensitive. */
export function memberKey(member: string): string {
  const colon = member.indexOf(':');
  const prefix = member.slice(0, colon);
  return CASE_INSENSITIVE_PREFIXES.includes(prefix)
    ? `${prefix}:${member.slice(colon + 1).toLowerCase()}`
    : member;
}
