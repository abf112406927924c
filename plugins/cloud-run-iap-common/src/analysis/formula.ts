/*
 * A condition as a boolean formula in negation normal form: negation only on
 * leaves. Leaves are access-level tests, other attribute tests and constants.
 */

/** A boolean formula over access-level tests, in negation normal form. */
export type Formula =
  | { kind: 'const'; value: boolean }
  | {
      kind: 'level';
      name: string;
      negated: boolean;
      /** The negation comes from a `?:` else branch, not from the author. */
      guard?: boolean;
    }
  | {
      kind: 'other';
      text: string;
      attributes: string[];
      negated: boolean;
      /** `request.time OP timestamp("at")`, normalised with `request.time` on the left. */
      timeBound?: TimeBound;
    }
  | { kind: 'and' | 'or'; args: Formula[] };

/** A comparison of `request.time` with a timestamp literal. */
export interface TimeBound {
  op: '<' | '<=' | '>' | '>=';
  /** The literal as written (RFC 3339). */
  at: string;
}

/**
 * Alternatives of access-level sets: the formula can only be true if every level of one set is
 * held. `[]` means never true; a set `[]` inside means a branch that needs no access level.
 */
export type LevelDnf = string[][];

/** Raised when a formula has too many alternatives to analyse. */
export class FormulaTooComplexError extends Error {}

const MAX_ALTERNATIVES = 256;

function isSubset(small: string[], large: string[]): boolean {
  return small.every(item => large.includes(item));
}

/** Drops duplicate sets and sets that contain another set (absorption), and sorts the result. */
function minimize(dnf: LevelDnf): LevelDnf {
  const unique = new Map<string, string[]>();
  for (const set of dnf) {
    const sorted = [...new Set(set)].sort();
    unique.set(sorted.join('\n'), sorted);
  }
  const sets = [...unique.values()];
  return sets
    .filter(
      set =>
        !sets.some(other => other.length < set.length && isSubset(other, set)),
    )
    .sort(
      (a, b) => a.length - b.length || a.join('\n').localeCompare(b.join('\n')),
    );
}

/**
 * The access-level sets that can make the formula true. Negated level tests and other tests are
 * taken as possibly true without any level, so the result over-approximates what satisfies the
 * formula: a level in every set is truly required.
 */
export function toLevelDnf(formula: Formula): LevelDnf {
  switch (formula.kind) {
    case 'const':
      return formula.value ? [[]] : [];
    case 'level':
      return formula.negated ? [[]] : [[formula.name]];
    case 'other':
      return [[]];
    case 'or': {
      const sets = minimize(formula.args.flatMap(toLevelDnf));
      if (sets.length > MAX_ALTERNATIVES) {
        throw new FormulaTooComplexError('too many alternatives');
      }
      return sets;
    }
    case 'and':
    default:
      return formula.args.map(toLevelDnf).reduce(
        (product, factor) => {
          if (product.length * factor.length > MAX_ALTERNATIVES) {
            throw new FormulaTooComplexError('too many alternatives');
          }
          return minimize(
            product.flatMap(left => factor.map(right => [...left, ...right])),
          );
        },
        [[]] as LevelDnf,
      );
  }
}

/** Whether every way of making the DNF true needs at least one access level. */
export function dnfRequiresLevels(dnf: LevelDnf): boolean {
  return dnf.length > 0 && dnf.every(set => set.length > 0);
}

function someNode(formula: Formula, test: (f: Formula) => boolean): boolean {
  if (test(formula)) {
    return true;
  }
  return (
    (formula.kind === 'and' || formula.kind === 'or') &&
    formula.args.some(arg => someNode(arg, test))
  );
}

/** Whether the author negated an access-level test. */
export function hasNegatedLevel(formula: Formula): boolean {
  return someNode(formula, f => f.kind === 'level' && f.negated && !f.guard);
}

/** Whether some disjunction has a branch requiring a level next to a branch that needs none. */
export function hasWeakeningDisjunction(formula: Formula): boolean {
  return someNode(formula, f => {
    if (f.kind !== 'or') {
      return false;
    }
    const branches = f.args.map(toLevelDnf);
    return (
      branches.some(dnfRequiresLevels) &&
      branches.some(dnf => dnf.some(set => set.length === 0))
    );
  });
}

/** Every access-level name tested in the formula. */
export function formulaLevels(formula: Formula): string[] {
  switch (formula.kind) {
    case 'level':
      return [formula.name];
    case 'and':
    case 'or':
      return [...new Set(formula.args.flatMap(formulaLevels))];
    default:
      return [];
  }
}

/** A three-valued truth value (Kleene logic). */
export type Tri = boolean | 'unknown';

/** Kleene negation. */
export function triNot(value: Tri): Tri {
  return value === 'unknown' ? 'unknown' : !value;
}

/** Kleene conjunction: false wins, then unknown. */
export function triAnd(values: Tri[]): Tri {
  if (values.includes(false)) {
    return false;
  }
  return values.includes('unknown') ? 'unknown' : true;
}

/** Kleene disjunction: true wins, then unknown. */
export function triOr(values: Tri[]): Tri {
  if (values.includes(true)) {
    return true;
  }
  return values.includes('unknown') ? 'unknown' : false;
}

/** Evaluates the formula in Kleene logic given the values of its leaves. */
export function evaluateFormula(
  formula: Formula,
  leaves: {
    level: (name: string) => Tri;
    other: (text: string) => Tri;
  },
): Tri {
  switch (formula.kind) {
    case 'const':
      return formula.value;
    case 'level': {
      const value = leaves.level(formula.name);
      return formula.negated ? triNot(value) : value;
    }
    case 'other': {
      const value = leaves.other(formula.text);
      return formula.negated ? triNot(value) : value;
    }
    case 'and':
      return triAnd(formula.args.map(arg => evaluateFormula(arg, leaves)));
    case 'or':
    default:
      return triOr(formula.args.map(arg => evaluateFormula(arg, leaves)));
  }
}

function timeLeaves(formula: Formula): Array<{ bound: TimeBound }> {
  switch (formula.kind) {
    case 'other':
      return formula.timeBound ? [{ bound: formula.timeBound }] : [];
    case 'and':
    case 'or':
      return formula.args.flatMap(timeLeaves);
    default:
      return [];
  }
}

function compareTime(time: number, bound: TimeBound): boolean {
  const at = Date.parse(bound.at);
  switch (bound.op) {
    case '<':
      return time < at;
    case '<=':
      return time <= at;
    case '>':
      return time > at;
    case '>=':
    default:
      return time >= at;
  }
}

/** The formula's value at a request time, every other leaf unknown. */
export function evaluateAtTime(formula: Formula, time: number): Tri {
  const walk = (f: Formula): Tri => {
    switch (f.kind) {
      case 'const':
        return f.value;
      case 'level':
        return 'unknown';
      case 'other': {
        if (!f.timeBound) {
          return 'unknown';
        }
        const value = compareTime(time, f.timeBound);
        return f.negated ? !value : value;
      }
      case 'and':
        return triAnd(f.args.map(walk));
      case 'or':
      default:
        return triOr(f.args.map(walk));
    }
  };
  return walk(formula);
}

/**
 * The time literal from which the formula is false whatever else holds: the latest
 * `request.time` bound, when the formula is certainly false just after it.
 */
export function formulaExpiry(formula: Formula): string | undefined {
  const bounds = timeLeaves(formula).map(leaf => leaf.bound);
  if (bounds.length === 0) {
    return undefined;
  }
  const latest = bounds.reduce((a, b) =>
    Date.parse(b.at) > Date.parse(a.at) ? b : a,
  );
  return evaluateAtTime(formula, Date.parse(latest.at) + 1) === false
    ? latest.at
    : undefined;
}
