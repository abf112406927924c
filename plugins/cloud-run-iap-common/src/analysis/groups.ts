import { GroupExpansion, GroupMemberRelation } from '../google/types';
import { GroupSummary } from '../report/types';
import { classifyMember, isMemberInOrganization, OwnProject } from './members';
import { isSourceError, Sourced } from './sources';

/** A transitive member of a group as an IAM member string, or undefined when it is a nested group. */
export function memberOfRelation(
  relation: GroupMemberRelation,
): { member: string; isGroup: boolean; external: boolean } | undefined {
  const key = relation.preferredMemberKey?.find(k => k.id)?.id;
  if (!key) {
    return undefined;
  }
  const email = key.toLowerCase();
  if (relation.member?.startsWith('groups/')) {
    return { member: `group:${email}`, isGroup: true, external: false };
  }
  const prefix = email.endsWith('.gserviceaccount.com')
    ? 'serviceAccount'
    : 'user';
  return {
    member: `${prefix}:${email}`,
    isGroup: false,
    // An external-identity-mapped entity (a namespace) is not a Google account of a known domain.
    external: Boolean(relation.preferredMemberKey?.find(k => k.id)?.namespace),
  };
}

/** The expansions of the granted groups, with each person's groups. */
export interface GroupDirectory {
  /** Group member (`group:email`, lower case) → summary. */
  summaries: Map<string, GroupSummary>;
  /** Group member → the people (`user:`/`serviceAccount:`, lower case) it contains, nested groups included. */
  people: Map<string, string[]>;
  /** Whether the group data was read at all. */
  available: boolean;
}

/** Expands the granted groups into people, and summarises each (size, members outside the organization). */
export function expandGroups(input: {
  groups: Sourced<Record<string, Sourced<GroupExpansion>>> | undefined;
  grantedGroups: string[];
  organizationDomains: readonly string[];
  workforcePools?: readonly string[];
  project: OwnProject;
}): GroupDirectory {
  const summaries = new Map<string, GroupSummary>();
  const people = new Map<string, string[]>();
  const groups =
    input.groups && !isSourceError(input.groups) ? input.groups : undefined;
  if (!groups) {
    return { summaries, people, available: false };
  }
  const byKey = new Map(
    Object.entries(groups).map(([key, value]) => [key.toLowerCase(), value]),
  );
  for (const granted of input.grantedGroups) {
    const email = granted.slice('group:'.length).toLowerCase();
    const expansion = byKey.get(email);
    const key = `group:${email}`;
    if (expansion === undefined || isSourceError(expansion)) {
      summaries.set(key, {
        expanded: false,
        error: expansion === undefined ? 'not fetched' : expansion.error,
        size: 0,
        nestedGroups: 0,
        externalMembers: [],
        unknownMembers: 0,
      });
      continue;
    }
    const persons = new Set<string>();
    const nested = new Set<string>();
    const external = new Set<string>();
    let unknown = 0;
    for (const relation of expansion.members) {
      const entry = memberOfRelation(relation);
      if (!entry) {
        continue;
      }
      if (entry.isGroup) {
        nested.add(entry.member);
        continue;
      }
      if (persons.has(entry.member)) {
        continue;
      }
      persons.add(entry.member);
      const inside = entry.external
        ? 'unknown'
        : isMemberInOrganization(
            classifyMember(entry.member),
            input.organizationDomains,
            input.project,
            input.workforcePools,
          );
      if (inside === false) {
        external.add(entry.member);
      } else if (inside === 'unknown') {
        unknown += 1;
      }
    }
    summaries.set(key, {
      expanded: true,
      size: persons.size,
      nestedGroups: nested.size,
      externalMembers: [...external].sort(),
      unknownMembers: unknown,
      ...(expansion.truncated ? { truncated: true } : {}),
    });
    people.set(key, [...persons].sort());
  }
  return { summaries, people, available: true };
}
