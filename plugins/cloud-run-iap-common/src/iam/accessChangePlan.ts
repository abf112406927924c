import { memberKey } from '../analysis/members';
import { removeGrantCommand } from '../analysis/gcloud';
import { IAP_ACCESSOR_ROLE } from '../google/resourceNames';
import type { IamBinding } from '../google/types';
import type { Grant, ServiceAccessReport } from '../report/types';
import {
  AccessChange,
  includesMember,
  MANAGED_CONDITION_TITLE,
  parseAccessLevelsExpression,
  readManagedAccess,
  applyAccessChange,
} from './managedBindings';
import {
  applyTimeBoundChange,
  parseTimeBoundBinding,
} from './timeBoundBindings';

/*
 * What an owner's change of a service's access does to its IAP policy, before it is written:
 * the bindings after, who is added and removed, and the grants the portal does not manage (shown
 * with where to change them, never edited).
 */

/** A change of a service's managed access, planned against the policy it was read with. */
export interface PlannedAccessChange {
  /** The policy's bindings after the change (bindings without members left out, as IAM drops them). */
  bindings: IamBinding[];
  /** Members the managed binding grants now and did not before. */
  added: string[];
  /** Members whose managed grants (the managed binding, time-bound grants) go. */
  removed: string[];
  /** The access levels of the managed binding (full names, sorted). */
  accessLevels: { before: string[]; after: string[] };
}

/** A grant the portal does not manage, with how to change it where it lives. */
export interface UnmanagedGrant {
  member: string;
  /** What grants it: role, where, condition. */
  grant: string;
  howToChange: string;
}

function uniqueByKey(members: readonly string[]): string[] {
  const seen = new Set<string>();
  return members.filter(member => {
    const key = memberKey(member);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Plans the change on `bindings` (the service's IAP policy): the managed binding takes the
 * additions, removals and access levels; the portal's time-bound grants of removed members go
 * and follow new access levels. Throws the ManagedBindingError of the managed binding when it
 * was edited outside the portal.
 */
export function planAccessChange(
  bindings: readonly IamBinding[],
  change: AccessChange,
): PlannedAccessChange {
  const before = readManagedAccess(bindings);
  const timeBound = bindings.flatMap(b => {
    const grant = parseTimeBoundBinding(b);
    return grant ? [grant.member] : [];
  });
  const after = applyTimeBoundChange(applyAccessChange(bindings, change), {
    remove: change.remove,
    levels: change.levels,
  }).filter(b => (b.members ?? []).length > 0);
  const managedAfter = readManagedAccess(after);
  return {
    bindings: after,
    added: uniqueByKey(
      change.add.filter(m => !includesMember(before.members, m)),
    ),
    removed: uniqueByKey(
      change.remove.filter(
        m => includesMember(before.members, m) || includesMember(timeBound, m),
      ),
    ),
    accessLevels: { before: before.levels, after: managedAfter.levels },
  };
}

/** Whether a service-level accessor grant of the report is one of the portal's managed bindings. */
function isManagedGrant(grant: Grant, bindings: readonly IamBinding[]) {
  if (grant.level !== 'service' || grant.role !== IAP_ACCESSOR_ROLE) {
    return false;
  }
  const condition = grant.condition;
  if (!condition) {
    return !bindings.some(
      b =>
        b.role === IAP_ACCESSOR_ROLE &&
        b.condition?.title === MANAGED_CONDITION_TITLE,
    );
  }
  if (condition.title === MANAGED_CONDITION_TITLE) {
    return parseAccessLevelsExpression(condition.expression) !== undefined;
  }
  return (
    parseTimeBoundBinding({
      role: grant.role,
      members: ['user:x@example.com'],
      condition,
    }) !== undefined
  );
}

const WHERE: Record<Grant['level'], string> = {
  service: 'on the service',
  region: 'on every Cloud Run app of the region',
  'project-iap': 'on every IAP app of the project',
  project: 'on the project',
  folder: 'on a folder above the project',
  organization: 'on the organization',
};

/** One grant as a reader sees it: role, where, condition. */
export function describeGrant(grant: Grant): string {
  const where =
    grant.level === 'service'
      ? WHERE.service
      : `${WHERE[grant.level]} (${grant.resource})`;
  const condition = grant.condition
    ? `, condition "${grant.condition.title ?? grant.condition.expression}"`
    : '';
  return `${grant.role} ${where}${condition}`;
}

/** Where and how to change a grant the portal does not manage, with the gcloud command. */
export function howToChange(
  report: ServiceAccessReport,
  grant: Grant,
  member: string,
): string {
  const command = removeGrantCommand(report.ref, grant, member);
  return grant.level === 'service'
    ? `Made by hand outside the portal: change it in the Google Cloud console (Security > Identity-Aware Proxy) or with gcloud, e.g. ${command}`
    : `Inherited from ${grant.resource}: change it there (whoever administers it), e.g. ${command}`;
}

/**
 * The grants that let members in which the portal does not manage: hand-made bindings on the
 * service and grants inherited from above it, from the report's accessors.
 */
export function unmanagedGrantsOf(
  report: ServiceAccessReport,
  bindings: readonly IamBinding[],
): UnmanagedGrant[] {
  return report.accessors.flatMap(accessor =>
    accessor.grants
      .filter(grant => !isManagedGrant(grant, bindings))
      .map(grant => ({
        member: accessor.member,
        grant: describeGrant(grant),
        howToChange: howToChange(report, grant, accessor.member),
      })),
  );
}

/**
 * The rule each member to remove breaks, keyed by field (`remove[1]`): only members the portal
 * manages can be removed here; a member granted otherwise is told how to change that grant.
 */
export function removalProblems(
  bindings: readonly IamBinding[],
  remove: readonly string[],
  unmanaged: readonly UnmanagedGrant[],
  service: string,
): Array<[string, string]> {
  const managed = readManagedAccess(bindings).members;
  const timeBound = bindings.flatMap(b => {
    const grant = parseTimeBoundBinding(b);
    return grant ? [grant.member] : [];
  });
  const problems: Array<[string, string]> = [];
  remove.forEach((member, i) => {
    if (includesMember(managed, member) || includesMember(timeBound, member)) {
      return;
    }
    const held = unmanaged.filter(
      g => memberKey(g.member) === memberKey(member),
    );
    problems.push([
      `remove[${i}]`,
      held.length > 0
        ? `${member} is not granted by the portal's managed binding of ${service}, so it cannot be removed here: ${held
            .map(g => `${g.grant}. ${g.howToChange}`)
            .join('; ')}`
        : `${member} has no grant on ${service} that the portal manages (nothing to remove)`,
    ]);
  });
  return problems;
}
