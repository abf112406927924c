/*
 * Member syntax and organisation-domain checks for the accessors field, as the scaffolder
 * action applies them (the server checks again).
 */

const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'];
const EMAIL = /^[^@\s:]+@([a-z0-9-]+(\.[a-z0-9-]+)+)$/i;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const PRINCIPAL =
  /^principal(Set)?:\/\/iam\.googleapis\.com\/(locations\/global\/workforcePools|projects\/[^/]+\/locations\/global\/workloadIdentityPools)\/[^/\s]+\/\S+$/;

const PREFIXES =
  'user:, group:, serviceAccount:, domain:, principal:// or principalSet://';

/** Why a member cannot be granted, or undefined when it can. */
export function validateMember(
  raw: string,
  allowedDomains: readonly string[] = [],
): string | undefined {
  const member = raw.trim();
  if (!member) {
    return 'Enter a member, e.g. user:alice@example.com';
  }
  const bare = member.replace(/^(user|group|domain):/, '');
  if (PUBLIC_MEMBERS.some(p => p.toLowerCase() === bare.toLowerCase())) {
    return `${bare} is never allowed: it would let anyone through IAP`;
  }
  if (
    member.startsWith('principal://') ||
    member.startsWith('principalSet://')
  ) {
    return PRINCIPAL.test(member)
      ? undefined
      : 'A workforce or workload identity must look like principal://iam.googleapis.com/locations/global/workforcePools/POOL/subject/ID';
  }
  const colon = member.indexOf(':');
  const prefix = colon === -1 ? '' : member.slice(0, colon);
  const value = member.slice(colon + 1);
  const domains = allowedDomains.map(d => d.toLowerCase());
  const outside = (domain: string) =>
    domains.length > 0 && !domains.includes(domain.toLowerCase())
      ? `${domain} is outside the organisation (allowed: ${allowedDomains.join(
          ', ',
        )})`
      : undefined;
  switch (prefix) {
    case 'user':
    case 'group': {
      const match = EMAIL.exec(value);
      if (!match) {
        return `${prefix}: must be followed by an email address, e.g. ${prefix}:someone@example.com`;
      }
      return outside(match[1]);
    }
    case 'serviceAccount':
      return EMAIL.test(value) &&
        value.toLowerCase().endsWith('.gserviceaccount.com')
        ? undefined
        : 'serviceAccount: must be followed by a service account email ending in .gserviceaccount.com';
    case 'domain':
      return DOMAIN.test(value)
        ? outside(value)
        : 'domain: must be followed by a domain name, e.g. domain:example.com';
    default:
      return `Start with ${PREFIXES}`;
  }
}

/** Problems of a whole list: invalid entries and duplicates, each naming the entry. */
export function validateMembers(
  members: readonly string[],
  allowedDomains: readonly string[] = [],
): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const member of members) {
    const problem = validateMember(member, allowedDomains);
    if (problem) {
      problems.push(`${member}: ${problem}`);
    }
    const key = member.trim().toLowerCase();
    if (seen.has(key)) {
      problems.push(`${member}: listed twice`);
    }
    seen.add(key);
  }
  return problems;
}
