import {
  AccessPath,
  Accessor,
  CoverageSummary,
  PersonAccess,
} from '../report/types';
import { GroupDirectory } from './groups';
import {
  classifyMember,
  isMemberInOrganization,
  memberKey,
  OwnProject,
} from './members';

function pathsOf(accessor: Accessor): AccessPath[] {
  return accessor.grants
    .filter(grant => !grant.expired)
    .map(grant => ({
      through: accessor.member,
      level: grant.level,
      resource: grant.resource,
      role: grant.role,
      contextRestricted: grant.contextRestricted,
    }));
}

function isPerson(accessor: Accessor): boolean {
  return accessor.kind === 'user' || accessor.kind === 'serviceAccount';
}

function isLive(accessor: Accessor): boolean {
  return !accessor.deleted && !accessor.expired;
}

/** Whether a `domain:` or public accessor admits the person too. */
function contains(accessor: Accessor, person: string): boolean {
  if (accessor.member === 'allUsers') {
    return true;
  }
  if (accessor.member === 'allAuthenticatedUsers') {
    return true;
  }
  if (accessor.kind === 'domain') {
    const info = classifyMember(person);
    return (
      info.kind === 'user' &&
      info.domain === classifyMember(accessor.member).domain
    );
  }
  return false;
}

/** The people view and the accessors updated with what it reveals. */
export interface PeopleView {
  people: PersonAccess[];
  accessors: Accessor[];
  coverage: CoverageSummary;
}

/**
 * Coverage per person: each user or service account gets every path that admits it (its own
 * grants, the grants of the expanded groups it belongs to, `domain:` and public grants), and is
 * restricted only when every path is. Accessors that cannot be expanded (`domain:`, public, a group
 * that could not be read, workforce identities) count as one each. A user accessor whose own grants
 * are restricted but who also gets in unrestricted through a group becomes unrestricted, naming it.
 */
export function buildPeopleView(input: {
  accessors: Accessor[];
  directory: GroupDirectory;
  organizationDomains: readonly string[];
  workforcePools?: readonly string[];
  project: OwnProject;
}): PeopleView {
  const { directory } = input;
  const live = input.accessors.filter(isLive);
  const byPerson = new Map<string, { member: string; paths: AccessPath[] }>();
  const add = (member: string, paths: AccessPath[]) => {
    const key = memberKey(member);
    const entry = byPerson.get(key) ?? { member, paths: [] };
    entry.paths.push(...paths);
    byPerson.set(key, entry);
  };
  for (const accessor of live) {
    if (isPerson(accessor)) {
      add(accessor.member, pathsOf(accessor));
    }
  }
  for (const accessor of live) {
    const members =
      accessor.kind === 'group'
        ? directory.people.get(memberKey(accessor.member))
        : undefined;
    for (const person of members ?? []) {
      add(person, pathsOf(accessor));
    }
  }
  const wide = live.filter(
    accessor => accessor.kind === 'domain' || accessor.kind === 'public',
  );
  for (const [, entry] of byPerson) {
    for (const accessor of wide) {
      if (contains(accessor, entry.member)) {
        entry.paths.push(...pathsOf(accessor));
      }
    }
  }
  const people: PersonAccess[] = [...byPerson.values()]
    .map(({ member, paths }) => {
      const info = classifyMember(member);
      const unrestricted = paths.find(path => !path.contextRestricted);
      return {
        member,
        kind: info.kind,
        inOrganization: isMemberInOrganization(
          info,
          input.organizationDomains,
          input.project,
          input.workforcePools,
        ),
        paths,
        contextRestricted: unrestricted === undefined,
        ...(unrestricted ? { unrestrictedThrough: unrestricted } : {}),
      };
    })
    .sort((a, b) => memberKey(a.member).localeCompare(memberKey(b.member)));

  const personByKey = new Map(people.map(p => [memberKey(p.member), p]));
  const accessors = input.accessors.map(accessor => {
    const person = isLive(accessor)
      ? personByKey.get(memberKey(accessor.member))
      : undefined;
    if (
      person &&
      accessor.contextRestricted &&
      !person.contextRestricted &&
      person.unrestrictedThrough
    ) {
      return {
        ...accessor,
        contextRestricted: false,
        unrestrictedThrough: person.unrestrictedThrough,
      };
    }
    return accessor;
  });

  const units: Array<{ member: string; restricted: boolean }> = [
    ...people.map(p => ({ member: p.member, restricted: p.contextRestricted })),
    ...live
      .filter(
        accessor =>
          !isPerson(accessor) &&
          !(
            accessor.kind === 'group' &&
            directory.people.has(memberKey(accessor.member))
          ),
      )
      .map(accessor => ({
        member: accessor.member,
        restricted: accessor.contextRestricted,
      })),
  ];
  const uncovered = units.filter(unit => !unit.restricted);
  return {
    people,
    accessors,
    coverage: {
      covered: units.length - uncovered.length,
      total: units.length,
      ratio:
        units.length === 0
          ? 1
          : (units.length - uncovered.length) / units.length,
      uncoveredMembers: uncovered.map(unit => unit.member),
      unit: 'person',
    },
  };
}
