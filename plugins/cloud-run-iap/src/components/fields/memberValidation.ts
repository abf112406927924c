import { grantableMemberProblem } from '@internal-apps/plugin-cloud-run-iap-common';

/*
 * The accessors field's checks: the scaffolder actions' own rules (grantableMemberProblem from
 * the common package), run as you type; the server checks again.
 */

/**
 * Why a member cannot be granted, or undefined when it can. With `allowedDomains`, members must
 * belong to those domains, except service accounts of `ownProjectIds` and workforce identities
 * of `workforcePools`; without, any domain goes.
 */
export function validateMember(
  raw: string,
  allowedDomains: readonly string[] = [],
  ownProjectIds: readonly string[] = [],
  workforcePools: readonly string[] = [],
): string | undefined {
  const member = raw.trim();
  if (!member) {
    return 'Enter a member, e.g. user:alice@example.com';
  }
  return grantableMemberProblem(member, {
    domains: allowedDomains.map(d => d.toLowerCase()),
    allowExternalMembers: allowedDomains.length === 0,
    ownProjectIds,
    workforcePools,
  });
}

/** Problems of a whole list: invalid entries and duplicates, each naming the entry. */
export function validateMembers(
  members: readonly string[],
  allowedDomains: readonly string[] = [],
  ownProjectIds: readonly string[] = [],
  workforcePools: readonly string[] = [],
): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const member of members) {
    const problem = validateMember(
      member,
      allowedDomains,
      ownProjectIds,
      workforcePools,
    );
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
