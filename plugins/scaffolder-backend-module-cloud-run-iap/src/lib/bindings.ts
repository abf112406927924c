import {
  IAP_ACCESSOR_ROLE,
  isPublicMember,
  RUN_INVOKER_ROLE,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { IamBinding } from '@internal-apps/plugin-cloud-run-iap-node';

/**
 * Pure changes of IAM bindings. The actions manage exactly one accessor binding per service:
 * the `roles/iap.httpsResourceAccessor` binding whose condition carries
 * {@link MANAGED_CONDITION_TITLE} when access levels are required, or the unconditional
 * binding of that role when none are. Every other binding is returned as it came.
 */

export const MANAGED_CONDITION_TITLE = 'Access levels (managed by Backstage)';

const LEVEL_TEST =
  /^"(accessPolicies\/\d+\/accessLevels\/[A-Za-z][A-Za-z0-9_]*)" in request\.auth\.access_levels$/;

/** Emails and domains compare case-insensitively; principal URIs do not. */
export function memberKey(member: string): string {
  return /^(user|group|serviceAccount|domain):/.test(member)
    ? member.toLowerCase()
    : member;
}

function uniqueMembers(members: readonly string[]): string[] {
  const seen = new Set<string>();
  return members.filter(m => {
    const key = memberKey(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function without(members: readonly string[], remove: readonly string[]) {
  const gone = new Set(remove.map(memberKey));
  return members.filter(m => !gone.has(memberKey(m)));
}

export function includesMember(members: readonly string[], member: string) {
  const key = memberKey(member);
  return members.some(m => memberKey(m) === key);
}

/** `"accessPolicies/N/accessLevels/A" in request.auth.access_levels || …`, levels sorted. */
export function accessLevelsExpression(levels: readonly string[]): string {
  return [...new Set(levels)]
    .sort()
    .map(level => `"${level}" in request.auth.access_levels`)
    .join(' || ');
}

/** The levels of an expression this module wrote, or undefined when it has another form. */
export function parseAccessLevelsExpression(
  expression: string,
): string[] | undefined {
  const levels: string[] = [];
  for (const term of expression.split(' || ')) {
    const match = LEVEL_TEST.exec(term.trim());
    if (!match) return undefined;
    levels.push(match[1]);
  }
  return accessLevelsExpression(levels) === expression ? levels : undefined;
}

export function accessLevelsCondition(levels: readonly string[]) {
  const sorted = [...new Set(levels)].sort();
  return {
    title: MANAGED_CONDITION_TITLE,
    description: `Requires one of these access levels: ${sorted
      .map(l => l.slice(l.lastIndexOf('/') + 1))
      .join(', ')}`,
    expression: accessLevelsExpression(sorted),
  };
}

const isAccessorBinding = (b: IamBinding) => b.role === IAP_ACCESSOR_ROLE;
const isManagedConditional = (b: IamBinding) =>
  isAccessorBinding(b) && b.condition?.title === MANAGED_CONDITION_TITLE;
const isUnconditionalAccessor = (b: IamBinding) =>
  isAccessorBinding(b) && !b.condition;

/** Who the managed binding grants, and the access levels it requires (full names, sorted). */
export interface ManagedAccess {
  members: string[];
  levels: string[];
}

/**
 * Reads the managed accessor binding. Throws when a binding with the managed title was edited
 * outside the portal, or two of them disagree, so the action never guesses.
 */
export function readManagedAccess(
  bindings: readonly IamBinding[],
): ManagedAccess {
  const titled = bindings.filter(isManagedConditional);
  if (titled.length === 0) {
    return {
      members: uniqueMembers(
        bindings.filter(isUnconditionalAccessor).flatMap(b => b.members ?? []),
      ),
      levels: [],
    };
  }
  const levelSets = titled.map(b =>
    parseAccessLevelsExpression(b.condition?.expression ?? ''),
  );
  if (levelSets.some(set => set === undefined)) {
    throw new Error(
      `The IAP binding titled "${MANAGED_CONDITION_TITLE}" was edited outside the portal (its condition is not an OR of access levels); fix or remove it before changing access from here`,
    );
  }
  const expressions = new Set(levelSets.map(set => set!.join(' ')));
  if (expressions.size > 1) {
    throw new Error(
      `Several IAP bindings are titled "${MANAGED_CONDITION_TITLE}" with different access levels; keep one before changing access from here`,
    );
  }
  return {
    members: uniqueMembers(titled.flatMap(b => b.members ?? [])),
    levels: [...levelSets[0]!].sort(),
  };
}

/** A change of the managed accessor binding. `levels` undefined keeps the current ones. */
export interface AccessChange {
  add: readonly string[];
  remove: readonly string[];
  levels?: readonly string[];
}

function sameBinding(a: IamBinding, b: IamBinding) {
  return (
    a.role === b.role &&
    JSON.stringify(a.members ?? []) === JSON.stringify(b.members ?? []) &&
    (a.condition?.expression ?? '') === (b.condition?.expression ?? '') &&
    (a.condition?.title ?? '') === (b.condition?.title ?? '') &&
    (a.condition?.description ?? '') === (b.condition?.description ?? '')
  );
}

/**
 * Applies a change to a policy's bindings. The wanted managed binding takes the place of the
 * first binding it replaces; bindings it does not manage come back as the same objects in the
 * same order. A managed binding that ends up as it was is returned untouched, so an unchanged
 * policy compares equal and is not written.
 *
 * With levels, the managed binding is the titled one (created from the unconditional one when
 * there is none yet, so no unconditional grant is left to bypass the levels). Without levels,
 * it is the unconditional binding, which absorbs the titled one when the levels are cleared.
 */
export function applyAccessChange(
  bindings: readonly IamBinding[],
  change: AccessChange,
): IamBinding[] {
  const current = readManagedAccess(bindings);
  const levels = [...new Set(change.levels ?? current.levels)].sort();
  const hasTitled = bindings.some(isManagedConditional);
  const replaced: (b: IamBinding) => boolean =
    levels.length === 0
      ? b => isManagedConditional(b) || isUnconditionalAccessor(b)
      : b => (hasTitled ? isManagedConditional(b) : isUnconditionalAccessor(b));
  const startingMembers =
    levels.length === 0
      ? bindings.filter(isUnconditionalAccessor).flatMap(b => b.members ?? [])
      : [];
  const members = without(
    uniqueMembers([...startingMembers, ...current.members, ...change.add]),
    change.remove,
  );
  const wanted: IamBinding =
    levels.length === 0
      ? { role: IAP_ACCESSOR_ROLE, members }
      : {
          role: IAP_ACCESSOR_ROLE,
          members,
          condition: accessLevelsCondition(levels),
        };

  const out: IamBinding[] = [];
  let placed = false;
  for (const binding of bindings) {
    if (!replaced(binding)) {
      out.push(binding);
    } else if (!placed) {
      out.push(sameBinding(binding, wanted) ? binding : wanted);
      placed = true;
    }
  }
  if (!placed && members.length > 0) out.push(wanted);
  return out;
}

/**
 * Grants `roles/run.invoker` to the IAP service agent and drops public members from that
 * role: with IAP on, the agent must be the way in and nothing may bypass it.
 */
export function withIapAgentInvoker(
  bindings: readonly IamBinding[],
  agent: string,
): IamBinding[] {
  let placed = false;
  const out: IamBinding[] = [];
  for (const binding of bindings) {
    if (binding.role !== RUN_INVOKER_ROLE || binding.condition) {
      out.push(binding);
      continue;
    }
    const members = binding.members ?? [];
    let next = members.filter(m => !isPublicMember(m));
    if (!placed && !includesMember(next, agent)) next = [...next, agent];
    placed = true;
    const unchanged =
      next.length === members.length && next.every((m, i) => m === members[i]);
    out.push(unchanged ? binding : { ...binding, members: next });
  }
  if (!placed) out.push({ role: RUN_INVOKER_ROLE, members: [agent] });
  return out;
}

/** Public members holding `roles/run.invoker`. */
export function publicInvokers(bindings: readonly IamBinding[]): string[] {
  return bindings
    .filter(b => b.role === RUN_INVOKER_ROLE)
    .flatMap(b => b.members ?? [])
    .filter(isPublicMember);
}

export function hasInvoker(bindings: readonly IamBinding[], member: string) {
  return bindings.some(
    b =>
      b.role === RUN_INVOKER_ROLE &&
      !b.condition &&
      includesMember(b.members ?? [], member),
  );
}

/**
 * Accessor grants outside the managed binding that name any of `members`, described for a
 * log line (`user:x@example.com (condition "Corporate network only")`).
 */
export function unmanagedAccessorGrants(
  bindings: readonly IamBinding[],
  members: readonly string[],
): string[] {
  const managedIsUnconditional = !bindings.some(isManagedConditional);
  const found: string[] = [];
  for (const binding of bindings) {
    if (!isAccessorBinding(binding) || isManagedConditional(binding)) continue;
    if (isUnconditionalAccessor(binding) && managedIsUnconditional) continue;
    for (const member of members) {
      if (includesMember(binding.members ?? [], member)) {
        found.push(
          `${member} (${
            binding.condition
              ? `condition "${binding.condition.title ?? 'untitled'}"`
              : 'unconditional'
          })`,
        );
      }
    }
  }
  return found;
}
