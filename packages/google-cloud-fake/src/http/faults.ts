import { faultSchema, FaultRule } from '../seed/schema';
import { canonicalCodeForHttpStatus, GoogleApiError } from '../errors';

export interface ActiveFault extends FaultRule {
  id: string;
  /** How many requests it has hit so far. */
  hits: number;
}

export interface FaultDecision {
  fault?: ActiveFault;
  latencyMs: number;
  error?: GoogleApiError;
}

/** mulberry32: a small seeded PRNG so probabilistic faults are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/**
 * Fault and latency rules: each matches by discovery method id (glob, e.g.
 * `run.projects.locations.services.*`), by path (a regular expression) and by HTTP method,
 * and fires for a number of requests, with a probability, or always.
 */
export class FaultInjector {
  #rules: ActiveFault[] = [];
  #random: () => number;
  #nextId = 1;

  constructor(randomSeed = 42) {
    this.#random = prng(randomSeed);
  }

  /** Validates and adds a rule; returns it with its id. */
  add(input: unknown): ActiveFault {
    const parsed = faultSchema.safeParse(input);
    if (!parsed.success) {
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        `Invalid fault: ${parsed.error.issues
          .map(i => `${i.path.join('.') || '(fault)'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    if (parsed.data.path) {
      try {
        RegExp(parsed.data.path);
      } catch (error) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `Invalid fault: path is not a regular expression (${
            (error as Error).message
          })`,
        );
      }
    }
    const fault: ActiveFault = {
      ...parsed.data,
      id: parsed.data.id ?? `fault-${this.#nextId++}`,
      hits: 0,
    };
    this.#rules = this.#rules.filter(r => r.id !== fault.id).concat(fault);
    return fault;
  }

  list(): ActiveFault[] {
    return this.#rules.map(r => ({ ...r }));
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter(r => r.id !== id);
    return this.#rules.length < before;
  }

  clear() {
    this.#rules = [];
  }

  /** Which fault (if any) applies to this request; consumes counts and draws probabilities. */
  decide(httpMethod: string, path: string, methodId: string): FaultDecision {
    let latencyMs = 0;
    for (const rule of this.#rules) {
      if (rule.httpMethod && rule.httpMethod !== httpMethod) continue;
      if (rule.method && !globToRegExp(rule.method).test(methodId)) continue;
      if (rule.path && !new RegExp(rule.path).test(path)) continue;
      if (rule.count !== undefined && rule.hits >= rule.count) continue;
      if (rule.probability !== undefined && this.#random() >= rule.probability)
        continue;
      rule.hits += 1;
      latencyMs += rule.latencyMs ?? 0;
      if (rule.status !== undefined) {
        const error = new GoogleApiError(
          canonicalCodeForHttpStatus(rule.status),
          rule.message,
          [],
          rule.status,
        );
        return { fault: rule, latencyMs, error };
      }
    }
    return { latencyMs };
  }
}
