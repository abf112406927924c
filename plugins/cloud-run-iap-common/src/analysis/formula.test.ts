import {
  evaluateFormula,
  Formula,
  toLevelDnf,
  triAnd,
  triNot,
  triOr,
} from './formula';

const level = (name: string, negated = false): Formula => ({
  kind: 'level',
  name,
  negated,
});
const other: Formula = {
  kind: 'other',
  text: 'request.time < x',
  attributes: ['request.time'],
  negated: false,
};

describe('toLevelDnf', () => {
  it('distributes and minimises', () => {
    expect(
      toLevelDnf({
        kind: 'and',
        args: [
          { kind: 'or', args: [level('b'), level('a')] },
          { kind: 'or', args: [level('a'), level('c')] },
        ],
      }),
    ).toEqual([['a'], ['b', 'c']]);
  });

  it('treats negated levels and other tests as needing no level', () => {
    expect(
      toLevelDnf({ kind: 'or', args: [level('a'), level('b', true)] }),
    ).toEqual([[]]);
    expect(toLevelDnf({ kind: 'and', args: [level('a'), other] })).toEqual([
      ['a'],
    ]);
  });

  it('handles constants', () => {
    expect(toLevelDnf({ kind: 'const', value: false })).toEqual([]);
    expect(
      toLevelDnf({
        kind: 'and',
        args: [level('a'), { kind: 'const', value: false }],
      }),
    ).toEqual([]);
  });
});

describe('Kleene logic', () => {
  it('combines unknowns', () => {
    expect(triAnd([true, 'unknown'])).toBe('unknown');
    expect(triAnd([false, 'unknown'])).toBe(false);
    expect(triOr([true, 'unknown'])).toBe(true);
    expect(triOr([false, 'unknown'])).toBe('unknown');
    expect(triNot('unknown')).toBe('unknown');
    expect(triAnd([])).toBe(true);
    expect(triOr([])).toBe(false);
  });

  it('evaluates formulas', () => {
    const formula: Formula = {
      kind: 'or',
      args: [level('a', true), { kind: 'and', args: [level('b'), other] }],
    };
    const evaluate = (a: boolean, b: boolean) =>
      evaluateFormula(formula, {
        level: n => (n === 'a' ? a : b),
        other: () => 'unknown',
      });
    expect(evaluate(false, false)).toBe(true);
    expect(evaluate(true, false)).toBe(false);
    expect(evaluate(true, true)).toBe('unknown');
  });
});
