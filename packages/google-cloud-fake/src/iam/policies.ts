import { createHash, randomBytes } from 'node:crypto';
import { parse as parseCel } from '@bufbuild/cel';
import { GoogleApiError } from '../errors';
import { validateMember } from './members';

export interface IamCondition {
  expression: string;
  title?: string;
  description?: string;
  location?: string;
}

export interface IamBinding {
  role: string;
  members: string[];
  condition?: IamCondition;
}

export interface IamPolicy {
  version?: number;
  bindings?: IamBinding[];
  etag?: string;
  auditConfigs?: unknown[];
}

/** The etag Google returns for a policy that was never set. */
export const EMPTY_POLICY_ETAG = 'ACAB';

/** What a resource type accepts; each API configures its own. */
export interface PolicyRules {
  /** Cloud Run service IAM does not take conditions; IAP and Resource Manager do. */
  conditionsAllowed: boolean;
  isRoleSupported(role: string): boolean;
  /**
   * Extra checks on members a write adds (domain restricted sharing, service agents that
   * do not exist yet). Throws a GoogleApiError to refuse the write.
   */
  checkAddedMembers?(members: string[]): void;
}

interface StoredPolicy {
  bindings: IamBinding[];
  etag: string;
}

const rolePattern =
  /^(roles\/[A-Za-z0-9_.]+|(projects|organizations)\/[a-z0-9-]+\/roles\/[A-Za-z0-9_.]+)$/;

/** A new etag in Google's shape: base64 of 8 bytes starting 0x07 0x06 (`BwY…=`). */
function newEtag(): string {
  const bytes = randomBytes(8);
  bytes[0] = 0x07;
  bytes[1] = 0x06;
  return bytes.toString('base64');
}

/** The decoded etag bytes in the C-style escaping Google's conflict message uses. */
function escapeEtag(etag: string): string {
  const bytes = Buffer.from(etag, 'base64');
  let out = '';
  for (const b of bytes) {
    if (b === 0x27 || b === 0x5c) {
      out += `\\${String.fromCharCode(b)}`;
    } else if (b >= 0x20 && b < 0x7f) {
      out += String.fromCharCode(b);
    } else {
      out += `\\${b.toString(8).padStart(3, '0')}`;
    }
  }
  return out;
}

function hasConditions(bindings: IamBinding[]): boolean {
  return bindings.some(b => b.condition);
}

function conditionKey(c?: IamCondition): string {
  return c
    ? JSON.stringify([c.expression, c.title ?? '', c.description ?? ''])
    : '';
}

/** Same role and condition merge into one binding; members are de-duplicated. */
function normalizeBindings(bindings: IamBinding[]): IamBinding[] {
  const merged = new Map<string, IamBinding>();
  for (const b of bindings) {
    const key = `${b.role}\u0000${conditionKey(b.condition)}`;
    const existing = merged.get(key);
    if (existing) {
      for (const m of b.members) {
        if (!existing.members.includes(m)) existing.members.push(m);
      }
    } else {
      merged.set(key, {
        role: b.role,
        members: [...new Set(b.members)],
        ...(b.condition ? { condition: { ...b.condition } } : {}),
      });
    }
  }
  return [...merged.values()].filter(b => b.members.length > 0);
}

function validateCondition(condition: IamCondition, index: number) {
  if (!condition.title) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Condition of bindings[${index}] is missing a title. A condition needs a title.`,
    );
  }
  if (!condition.expression) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Condition of bindings[${index}] has an empty expression.`,
    );
  }
  try {
    parseCel(condition.expression);
  } catch (error) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Condition expression of bindings[${index}] is not valid CEL: ${
        (error as Error).message.split('\n')[0]
      }`,
    );
  }
}

/**
 * IAM policies of every resource in the fake, with Google's semantics: etags, version 3 for
 * conditional bindings, degraded reads below version 3, stale-etag conflicts.
 */
export class IamPolicyStore {
  readonly #policies = new Map<string, StoredPolicy>();

  /** Stores a seeded policy without validation other than normalisation. */
  seed(resource: string, bindings: IamBinding[]) {
    this.#policies.set(resource, {
      bindings: normalizeBindings(bindings),
      etag: newEtag(),
    });
  }

  delete(resource: string) {
    this.#policies.delete(resource);
  }

  /** The current bindings, full fidelity (for the fake's own checks and state dumps). */
  bindingsOf(resource: string): IamBinding[] {
    return this.#policies.get(resource)?.bindings ?? [];
  }

  get(resource: string, requestedPolicyVersion = 0): IamPolicy {
    const stored = this.#policies.get(resource);
    if (!stored) {
      return { etag: EMPTY_POLICY_ETAG };
    }
    const conditional = hasConditions(stored.bindings);
    if (conditional && requestedPolicyVersion < 3) {
      // What IAM does today for old clients: conditional bindings lose their condition
      // and get a role name that cannot be granted back.
      return {
        version: 1,
        etag: stored.etag,
        bindings: stored.bindings.map(b =>
          b.condition
            ? {
                role: `${b.role}_withcond_${createHash('sha256')
                  .update(conditionKey(b.condition))
                  .digest('hex')
                  .slice(0, 20)}`,
                members: [...b.members],
              }
            : { role: b.role, members: [...b.members] },
        ),
      };
    }
    return {
      version: conditional ? 3 : 1,
      etag: stored.etag,
      ...(stored.bindings.length > 0
        ? { bindings: structuredClone(stored.bindings) }
        : {}),
    };
  }

  set(
    resource: string,
    policy: IamPolicy | undefined,
    rules: PolicyRules,
  ): IamPolicy {
    if (!policy || typeof policy !== 'object') {
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        'Request contains an invalid argument: policy is required.',
      );
    }
    const stored = this.#policies.get(resource);
    const currentEtag = stored?.etag ?? EMPTY_POLICY_ETAG;
    if (policy.etag && policy.etag !== currentEtag) {
      throw new GoogleApiError(
        'ABORTED',
        `There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff. The request's ETag '${escapeEtag(
          policy.etag,
        )}' did not match the current policy's ETag '${escapeEtag(
          currentEtag,
        )}'.`,
      );
    }
    const bindings = (policy.bindings ?? []).map((b, index) => {
      if (!b || typeof b.role !== 'string' || !rolePattern.test(b.role)) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `Role ${JSON.stringify(
            b?.role,
          )} in bindings[${index}] is not a valid role name.`,
        );
      }
      if (!rules.isRoleSupported(b.role)) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `Role ${b.role} is not supported for this resource.`,
        );
      }
      if (!Array.isArray(b.members)) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `bindings[${index}].members must be a list of members.`,
        );
      }
      b.members.forEach(validateMember);
      if (b.condition) {
        if (!rules.conditionsAllowed) {
          throw new GoogleApiError(
            'INVALID_ARGUMENT',
            'Conditions are not supported for this resource type.',
          );
        }
        validateCondition(b.condition, index);
      }
      return b;
    });
    const version = policy.version ?? 1;
    if (hasConditions(bindings) && version !== 3) {
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        `Policy version ${version} cannot be used with conditional role bindings. Set version to 3. For more information, please refer to https://cloud.google.com/iam/docs/policies#versions`,
      );
    }
    if (
      policy.etag &&
      stored &&
      hasConditions(stored.bindings) &&
      version < 3
    ) {
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        `Specified policy version (${version}) cannot be less than the existing policy version (3). For more information, please refer to https://cloud.google.com/iam/docs/policies#versions`,
      );
    }
    const before = new Set(stored?.bindings.flatMap(b => b.members) ?? []);
    const added = [
      ...new Set(bindings.flatMap(b => b.members).filter(m => !before.has(m))),
    ];
    if (added.length > 0) {
      rules.checkAddedMembers?.(added);
    }
    this.#policies.set(resource, {
      bindings: normalizeBindings(bindings),
      etag: newEtag(),
    });
    return this.get(resource, 3);
  }

  /** A copy of every stored policy, for reset and state dumps. */
  snapshot(): Map<string, StoredPolicy> {
    return structuredClone(this.#policies);
  }

  restore(snapshot: Map<string, StoredPolicy>) {
    this.#policies.clear();
    for (const [k, v] of structuredClone(snapshot)) this.#policies.set(k, v);
  }

  entries(): Array<[string, IamPolicy]> {
    return [...this.#policies.keys()].map(k => [k, this.get(k, 3)]);
  }
}
