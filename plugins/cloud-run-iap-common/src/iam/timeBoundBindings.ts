import { memberKey } from '../analysis/members';
import { IAP_ACCESSOR_ROLE } from '../google/resourceNames';
import type { IamBinding } from '../google/types';
import {
  accessLevelsExpression,
  BindingLike,
  parseAccessLevelsExpression,
} from './managedBindings';

/**
 * Time-bound grants the portal writes when it approves an access request: one accessor binding
 * per request, `request.time < timestamp("…")`, joined with `&&` to the app's access levels so
 * context-aware access still applies. They are managed bindings: the portal removes them when
 * they expire, and nothing else here edits a binding it did not write.
 */

export const TIME_BOUND_CONDITION_TITLE =
  'Temporary access (managed by Backstage)';

/** What a time-bound binding grants, read back from the binding. */
export interface TimeBoundGrant {
  member: string;
  /** ISO 8601 UTC to the second: `2027-01-31T12:00:00Z`. */
  expiresAt: string;
  /** Access levels the grant also requires (full names, sorted); empty when none. */
  levels: string[];
  /** From the description; absent when someone edited the description. */
  requestId?: string;
  approvedBy?: string;
}

export interface TimeBoundBindingInput {
  member: string;
  expiresAt: string | Date;
  levels?: readonly string[];
  requestId: string;
  approvedBy: string;
}

const SECONDS_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const EXPRESSION =
  /^request\.time < timestamp\("(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"\)(?: && \((.+)\))?$/;
const DESCRIPTION = /^Request (\S+) approved by (.+), until (\S+)$/;

/** `2027-01-31T12:00:00Z`: the instant in UTC, to the second (milliseconds dropped). */
export function timeBoundExpiry(expiresAt: string | Date): string {
  const at =
    typeof expiresAt === 'string' ? new Date(Date.parse(expiresAt)) : expiresAt;
  if (Number.isNaN(at.getTime())) {
    throw new Error(
      `expiresAt: must be a date and time such as 2027-01-31T12:00:00Z (got ${String(
        expiresAt,
      )})`,
    );
  }
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function expressionFor(expiresAt: string, levels: readonly string[]) {
  const time = `request.time < timestamp("${expiresAt}")`;
  return levels.length > 0
    ? `${time} && (${accessLevelsExpression(levels)})`
    : time;
}

/** The binding of one approved request. */
export function timeBoundBinding(input: TimeBoundBindingInput): IamBinding {
  const { member, requestId, approvedBy } = input;
  if (!/^[A-Za-z]+:\S+$/.test(member)) {
    throw new Error(
      `member: must be a member such as user:ada@example.com (got "${member}")`,
    );
  }
  if (!/^\S+$/.test(requestId)) {
    throw new Error(`requestId: must be one word (got "${requestId}")`);
  }
  if (approvedBy.trim() === '' || /[\r\n]/.test(approvedBy)) {
    throw new Error('approvedBy: must be one non-empty line');
  }
  const expiresAt = timeBoundExpiry(input.expiresAt);
  const levels = [...new Set(input.levels ?? [])].sort();
  return {
    role: IAP_ACCESSOR_ROLE,
    members: [member],
    condition: {
      title: TIME_BOUND_CONDITION_TITLE,
      description: `Request ${requestId} approved by ${approvedBy}, until ${expiresAt}`,
      expression: expressionFor(expiresAt, levels),
    },
  };
}

/**
 * The grant of a binding the portal wrote for a request, or undefined when the binding is not
 * one (another role or title, several members, or a condition of another form).
 */
export function parseTimeBoundBinding(
  binding: BindingLike,
): TimeBoundGrant | undefined {
  if (binding.role !== IAP_ACCESSOR_ROLE) return undefined;
  if (binding.condition?.title !== TIME_BOUND_CONDITION_TITLE) return undefined;
  const members = binding.members ?? [];
  if (members.length !== 1) return undefined;
  const match = EXPRESSION.exec(binding.condition.expression ?? '');
  if (!match || !SECONDS_ISO.test(match[1])) return undefined;
  const expiresAt = match[1];
  if (Number.isNaN(Date.parse(expiresAt))) return undefined;
  let levels: string[] = [];
  if (match[2] !== undefined) {
    const parsed = parseAccessLevelsExpression(match[2]);
    if (!parsed) return undefined;
    levels = [...parsed].sort();
  }
  if (binding.condition.expression !== expressionFor(expiresAt, levels)) {
    return undefined;
  }
  const described = DESCRIPTION.exec(binding.condition.description ?? '');
  return {
    member: members[0],
    expiresAt,
    levels,
    ...(described ? { requestId: described[1], approvedBy: described[2] } : {}),
  };
}

/** The time-bound bindings of the portal that gave no access any more at `now` (same objects). */
export function expiredTimeBoundBindings<B extends BindingLike>(
  bindings: readonly B[],
  now: Date,
): B[] {
  return bindings.filter(binding => {
    const grant = parseTimeBoundBinding(binding);
    return grant !== undefined && Date.parse(grant.expiresAt) <= now.getTime();
  });
}

/**
 * Keeps the portal's time-bound grants in line with a change of the managed access: the grants
 * of removed members go, and when the app's access levels change each grant is rewritten to
 * require the new ones (same member, expiry and description), so no temporary grant bypasses
 * the levels. Every other binding comes back as the same object.
 */
export function applyTimeBoundChange<B extends BindingLike>(
  bindings: readonly B[],
  change: { remove: readonly string[]; levels?: readonly string[] },
): Array<B | IamBinding> {
  const removed = new Set(change.remove.map(memberKey));
  const levels =
    change.levels === undefined
      ? undefined
      : [...new Set(change.levels)].sort();
  const out: Array<B | IamBinding> = [];
  for (const binding of bindings) {
    const grant = parseTimeBoundBinding(binding);
    if (!grant) {
      out.push(binding);
      continue;
    }
    if (removed.has(memberKey(grant.member))) continue;
    if (levels === undefined || levels.join(' ') === grant.levels.join(' ')) {
      out.push(binding);
      continue;
    }
    out.push({
      role: IAP_ACCESSOR_ROLE,
      members: [grant.member],
      condition: {
        title: TIME_BOUND_CONDITION_TITLE,
        ...(binding.condition?.description
          ? { description: binding.condition.description }
          : {}),
        expression: expressionFor(grant.expiresAt, levels),
      },
    });
  }
  return out;
}
