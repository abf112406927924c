import { memberKey } from '../analysis/members';
import { IAP_ACCESSOR_ROLE, RUN_INVOKER_ROLE } from '../google/resourceNames';
import type { IamBinding } from '../google/types';
import { isPublicMember } from '../members/grantableMembers';

/**
 * Pure changes of IAM bindings. The portal manages exactly one accessor binding per service:
 * the `roles/iap.httpsResourceAccessor` binding whose condition carries
 * {@link MANAGED_CONDITION_TITLE} when access levels are required, or the unconditional
 * binding of that role when none are. Every other binding is returned as it came.
 */

export const MANAGED_CONDITION_TITLE = 'Access levels (managed by Backstage)';

/**
 * A binding as googleapis answers it (fields may be null) or as the analysis types hold it:
 * the functions here read both and give back the bindings they do not manage untouched.
 */
export interface BindingLike {
  role?: string | null;
  members?: string[] | null;
  condition?: {
    expression?: string | null;
    title?: string | null;
    description?: string | null;
  } | null;
}

/** The managed binding was edited outside the portal: nothing is changed until someone fixes it. */
export class ManagedBindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManagedBindingError';
  }
}

const LEVEL_TEST =
  /^"(accessPolicies\/\d+\/accessLevels\/[A-Za-z][A-Za-z0-9_]*)" in request\.auth\.access_levels$/;

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

/** The levels of an expression the portal wrote, or undefined when it has another form. */
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

const isAccessorBinding = (b: BindingLike) => b.role === IAP_ACCESSOR_ROLE;
const isManagedConditional = (b: BindingLike) =>
  isAccessorBinding(b) && b.condition?.title === MANAGED_CONDITION_TITLE;
const isUnconditionalAccessor = (b: BindingLike) =>
  isAccessorBinding(b) && !b.condition;

/** Who the managed binding grants, and the access levels it requires (full names, sorted). */
export interface ManagedAccess {
  members: string[];
  levels: string[];
}

/**
 * Reads the managed accessor binding. Throws a {@link ManagedBindingError} when a binding with
 * the managed title was edited outside the portal, or two of them disagree, so nothing guesses.
 */
export function readManagedAccess(
  bindings: readonly BindingLike[],
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
    throw new ManagedBindingError(
      `The IAP binding titled "${MANAGED_CONDITION_TITLE}" was edited outside the portal (its condition is not an OR of access levels); fix or remove it before changing access from here`,
    );
  }
  const expressions = new Set(levelSets.map(set => set!.join(' ')));
  if (expressions.size > 1) {
    throw new ManagedBindingError(
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

function sameBinding(a: BindingLike, b: BindingLike) {
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
export function applyAccessChange<B extends BindingLike>(
  bindings: readonly B[],
  change: AccessChange,
): Array<B | IamBinding> {
  const current = readManagedAccess(bindings);
  const levels = [...new Set(change.levels ?? current.levels)].sort();
  const hasTitled = bindings.some(isManagedConditional);
  const replaced: (b: BindingLike) => boolean =
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

  const out: Array<B | IamBinding> = [];
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
export function withIapAgentInvoker<B extends BindingLike>(
  bindings: readonly B[],
  agent: string,
): Array<B | IamBinding> {
  let placed = false;
  const out: Array<B | IamBinding> = [];
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
export function publicInvokers(bindings: readonly BindingLike[]): string[] {
  return bindings
    .filter(b => b.role === RUN_INVOKER_ROLE)
    .flatMap(b => b.members ?? [])
    .filter(isPublicMember);
}

export function hasInvoker(bindings: readonly BindingLike[], member: string) {
  return bindings.some(
    b =>
      b.role === RUN_INVOKER_ROLE &&
      !b.condition &&
      includesMember(b.members ?? [], member),
  );
}

/** A member's accessor grant in a service's IAP policy that the managed binding is not. */
export interface UnmanagedAccessorGrant {
  member: string;
  /** `unconditional` or `condition "<title>"`. */
  grant: string;
  /** The condition's title, when the grant has one. */
  conditionTitle?: string;
}

/**
 * The accessor grants of the policy outside the managed binding, one per member and binding,
 * in policy order. `members` narrows them to those members.
 */
export function unmanagedAccessorBindings(
  bindings: readonly BindingLike[],
  members?: readonly string[],
): UnmanagedAccessorGrant[] {
  const managedIsUnconditional = !bindings.some(isManagedConditional);
  const found: UnmanagedAccessorGrant[] = [];
  for (const binding of bindings) {
    if (!isAccessorBinding(binding) || isManagedConditional(binding)) continue;
    if (isUnconditionalAccessor(binding) && managedIsUnconditional) continue;
    const granted = binding.members ?? [];
    const named = members
      ? members.filter(member => includesMember(granted, member))
      : granted;
    for (const member of named) {
      const title = binding.condition?.title ?? undefined;
      found.push({
        member,
        grant: binding.condition
          ? `condition "${title ?? 'untitled'}"`
          : 'unconditional',
        ...(binding.condition ? { conditionTitle: title ?? 'untitled' } : {}),
      });
    }
  }
  return found;
}

/**
 * Accessor grants outside the managed binding that name any of `members`, described for a
 * log line (`user:x@example.com (condition "Corporate network only")`).
 */
export function unmanagedAccessorGrants(
  bindings: readonly BindingLike[],
  members: readonly string[],
): string[] {
  return unmanagedAccessorBindings(bindings, members).map(
    ({ member, grant }) => `${member} (${grant})`,
  );
}
