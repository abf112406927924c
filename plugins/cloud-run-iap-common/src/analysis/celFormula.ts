import { parse, unparse } from '@bufbuild/cel';
import { Formula, TimeBound } from './formula';

/*
 * Turns an IAM condition (CEL) into a {@link Formula} by walking the AST of
 * the real CEL parser. Only shapes whose meaning is certain are accepted;
 * everything else raises UnsupportedConditionError so that nothing is guessed.
 */

type ParsedCel = ReturnType<typeof parse>;
type CelExpr = ParsedCel['expr'];

/** The attribute holding the access levels a request satisfies. */
export const ACCESS_LEVELS_ATTRIBUTE = 'request.auth.access_levels';

/** Roots of the attributes IAM conditions can test. */
const ATTRIBUTE_ROOTS = new Set(['request', 'resource', 'api', 'destination']);

/** Raised for a condition part whose meaning cannot be determined with certainty. */
export class UnsupportedConditionError extends Error {}

/** The dotted path of a selection chain on an identifier (`request.auth.access_levels`). */
function selectPath(expr: CelExpr | undefined): string | undefined {
  const kind = expr?.exprKind;
  if (kind?.case === 'identExpr') {
    return kind.value.name;
  }
  if (kind?.case === 'selectExpr') {
    const base = selectPath(kind.value.operand);
    return base === undefined ? undefined : `${base}.${kind.value.field}`;
  }
  return undefined;
}

function stringConstant(expr: CelExpr): string | undefined {
  const kind = expr.exprKind;
  return kind.case === 'constExpr' &&
    kind.value.constantKind.case === 'stringValue'
    ? kind.value.constantKind.value
    : undefined;
}

function boolConstant(expr: CelExpr): boolean | undefined {
  const kind = expr.exprKind;
  return kind.case === 'constExpr' &&
    kind.value.constantKind.case === 'boolValue'
    ? kind.value.constantKind.value
    : undefined;
}

/** The attributes and free variables an expression reads. */
export interface AttributeUse {
  attributes: Set<string>;
  unknownVariables: Set<string>;
}

function collectAttributes(
  expr: CelExpr | undefined,
  bound: ReadonlySet<string>,
  use: AttributeUse,
): void {
  const kind = expr?.exprKind;
  if (!kind) {
    return;
  }
  switch (kind.case) {
    case 'identExpr':
    case 'selectExpr': {
      const path = selectPath(expr);
      if (path !== undefined) {
        const root = path.split('.')[0];
        if (bound.has(root)) {
          return;
        }
        if (ATTRIBUTE_ROOTS.has(root)) {
          use.attributes.add(path);
        } else {
          use.unknownVariables.add(root);
        }
        return;
      }
      if (kind.case === 'selectExpr') {
        collectAttributes(kind.value.operand, bound, use);
      }
      return;
    }
    case 'callExpr':
      collectAttributes(kind.value.target, bound, use);
      kind.value.args.forEach(arg => collectAttributes(arg, bound, use));
      return;
    case 'listExpr':
      kind.value.elements.forEach(element =>
        collectAttributes(element, bound, use),
      );
      return;
    case 'structExpr':
      kind.value.entries.forEach(entry => {
        if (entry.keyKind.case === 'mapKey') {
          collectAttributes(entry.keyKind.value, bound, use);
        }
        collectAttributes(entry.value, bound, use);
      });
      return;
    case 'comprehensionExpr': {
      const comprehension = kind.value;
      collectAttributes(comprehension.iterRange, bound, use);
      collectAttributes(comprehension.accuInit, bound, use);
      const inner = new Set([
        ...bound,
        comprehension.iterVar,
        comprehension.iterVar2,
        comprehension.accuVar,
      ]);
      collectAttributes(comprehension.loopCondition, inner, use);
      collectAttributes(comprehension.loopStep, inner, use);
      collectAttributes(comprehension.result, inner, use);
      return;
    }
    default:
      return;
  }
}

/** The attributes and free variables the expression reads. */
export function attributeUse(expr: CelExpr): AttributeUse {
  const use: AttributeUse = {
    attributes: new Set(),
    unknownVariables: new Set(),
  };
  collectAttributes(expr, new Set(), use);
  return use;
}

/** Whether reading `path` reads the access levels (the attribute itself, a part of it, or an ancestor). */
export function readsAccessLevels(path: string): boolean {
  return (
    path === ACCESS_LEVELS_ATTRIBUTE ||
    path.startsWith(`${ACCESS_LEVELS_ATTRIBUTE}.`) ||
    ACCESS_LEVELS_ATTRIBUTE.startsWith(`${path}.`)
  );
}

/** Whether the attribute is `request.path` or `request.host` (or something under them). */
export function isPathOrHost(path: string): boolean {
  const [root, field] = path.split('.');
  return root === 'request' && (field === 'path' || field === 'host');
}

/** Macro calls as written (`x.exists(...)`, `has(...)`) by the id of their expansion. */
type MacroCalls = Readonly<Record<string, CelExpr>>;

/**
 * Every sub-expression of the AST as written in the source: a macro is visited as the call the
 * author wrote, not as the comprehension it expands to (whose internals contain `||` and `&&`).
 */
function subExpressions(
  expr: CelExpr | undefined,
  macroCalls: MacroCalls,
): CelExpr[] {
  const node = expr && (macroCalls[expr.id.toString()] ?? expr);
  const kind = node?.exprKind;
  if (!node || !kind) {
    return [];
  }
  let children: Array<CelExpr | undefined>;
  switch (kind.case) {
    case 'callExpr':
      children = [kind.value.target, ...kind.value.args];
      break;
    case 'selectExpr':
      children = [kind.value.operand];
      break;
    case 'listExpr':
      children = kind.value.elements;
      break;
    case 'structExpr':
      children = kind.value.entries.flatMap(entry => [
        entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined,
        entry.value,
      ]);
      break;
    case 'comprehensionExpr':
      children = [
        kind.value.iterRange,
        kind.value.accuInit,
        kind.value.loopCondition,
        kind.value.loopStep,
        kind.value.result,
      ];
      break;
    default:
      children = [];
  }
  return [
    node,
    ...children.flatMap(child => subExpressions(child, macroCalls)),
  ];
}

function sourceSubExpressions(parsed: ParsedCel | undefined): CelExpr[] {
  return parsed
    ? subExpressions(parsed.expr, parsed.sourceInfo?.macroCalls ?? {})
    : [];
}

/** Every `"<level>" in request.auth.access_levels` test with a literal level, anywhere in the AST. */
export function literalLevelTests(parsed: ParsedCel | undefined): string[] {
  return sourceSubExpressions(parsed).flatMap(node => {
    const kind = node.exprKind;
    if (
      kind.case !== 'callExpr' ||
      kind.value.function !== '@in' ||
      selectPath(kind.value.args[1]) !== ACCESS_LEVELS_ATTRIBUTE
    ) {
      return [];
    }
    const level = stringConstant(kind.value.args[0]);
    return level === undefined ? [] : [level];
  });
}

/** Whether the AST calls the (operator) function, e.g. `_||_`. */
export function callsFunction(
  parsed: ParsedCel | undefined,
  fn: string,
): boolean {
  return sourceSubExpressions(parsed).some(
    node =>
      node.exprKind.case === 'callExpr' && node.exprKind.value.function === fn,
  );
}

const COMPARISONS: Record<string, TimeBound['op']> = {
  '_<_': '<',
  '_<=_': '<=',
  '_>_': '>',
  '_>=_': '>=',
};

const FLIPPED: Record<TimeBound['op'], TimeBound['op']> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

function timestampLiteral(expr: CelExpr): string | undefined {
  const kind = expr.exprKind;
  if (
    kind.case !== 'callExpr' ||
    kind.value.target ||
    kind.value.function !== 'timestamp' ||
    kind.value.args.length !== 1
  ) {
    return undefined;
  }
  const at = stringConstant(kind.value.args[0]);
  return at !== undefined && !Number.isNaN(Date.parse(at)) ? at : undefined;
}

/** `request.time < timestamp("…")` (either side, any comparison) as a bound on the request time. */
function requestTimeBound(expr: CelExpr): TimeBound | undefined {
  const kind = expr.exprKind;
  if (kind.case !== 'callExpr' || kind.value.target) {
    return undefined;
  }
  const op = COMPARISONS[kind.value.function];
  const [left, right] = kind.value.args;
  if (!op || kind.value.args.length !== 2) {
    return undefined;
  }
  if (selectPath(left) === 'request.time') {
    const at = timestampLiteral(right);
    return at ? { op, at } : undefined;
  }
  if (selectPath(right) === 'request.time') {
    const at = timestampLiteral(left);
    return at ? { op: FLIPPED[op], at } : undefined;
  }
  return undefined;
}

class FormulaBuilder {
  constructor(private readonly parsed: ParsedCel) {}

  /**
   * @param negated - whether an odd number of negations encloses `expr`
   * @param guard - whether `expr` is the negated test of a `?:` guarding its else branch, which is
   *   not a negation the author wrote
   */
  build(expr: CelExpr, negated: boolean, guard = false): Formula {
    const kind = expr.exprKind;
    const constant = boolConstant(expr);
    if (constant !== undefined) {
      return { kind: 'const', value: constant !== negated };
    }
    if (kind.case === 'callExpr' && !kind.value.target) {
      const formula = this.buildCall(
        kind.value.function,
        kind.value.args,
        negated,
        guard,
      );
      if (formula) {
        return formula;
      }
    }
    return this.buildLeaf(expr, negated);
  }

  private buildCall(
    fn: string,
    args: CelExpr[],
    negated: boolean,
    guard: boolean,
  ): Formula | undefined {
    switch (fn) {
      case '_&&_':
      case '_||_': {
        // De Morgan: a negated conjunction is a disjunction of negations.
        const isAnd = (fn === '_&&_') !== negated;
        return {
          kind: isAnd ? 'and' : 'or',
          args: args.map(arg => this.build(arg, negated, guard)),
        };
      }
      case '!_':
        return this.build(args[0], !negated, guard);
      case '_?_:_': {
        const [test, whenTrue, whenFalse] = args;
        return {
          kind: 'or',
          args: [
            {
              kind: 'and',
              args: [this.build(test, false), this.build(whenTrue, negated)],
            },
            {
              kind: 'and',
              args: [
                this.build(test, true, true),
                this.build(whenFalse, negated),
              ],
            },
          ],
        };
      }
      case '_==_':
      case '_!=_': {
        // `x == true`, `x != false` are x; `x == false`, `x != true` are !x.
        const constantSide = args.findIndex(
          arg => boolConstant(arg) !== undefined,
        );
        if (constantSide === -1) {
          return undefined;
        }
        const keepsPolarity =
          (fn === '_==_') === boolConstant(args[constantSide]);
        return this.build(
          args[1 - constantSide],
          keepsPolarity ? negated : !negated,
          guard,
        );
      }
      case '@in': {
        if (selectPath(args[1]) !== ACCESS_LEVELS_ATTRIBUTE) {
          return undefined;
        }
        const name = stringConstant(args[0]);
        if (name === undefined) {
          throw new UnsupportedConditionError(
            `the access level in \`${this.text(
              args[0],
            )} in ${ACCESS_LEVELS_ATTRIBUTE}\` is not a string literal`,
          );
        }
        return negated && guard
          ? { kind: 'level', name, negated, guard }
          : { kind: 'level', name, negated };
      }
      default:
        return undefined;
    }
  }

  private buildLeaf(expr: CelExpr, negated: boolean): Formula {
    const text = this.text(expr);
    const use = attributeUse(expr);
    if (use.unknownVariables.size > 0) {
      throw new UnsupportedConditionError(
        `\`${text}\` reads unknown variable(s) ${[...use.unknownVariables]
          .sort()
          .join(', ')}`,
      );
    }
    const attributes = [...use.attributes].sort();
    if (attributes.some(readsAccessLevels)) {
      throw new UnsupportedConditionError(
        `\`${text}\` reads ${ACCESS_LEVELS_ATTRIBUTE} other than as "<level>" in ${ACCESS_LEVELS_ATTRIBUTE}`,
      );
    }
    if (attributes.length === 0) {
      throw new UnsupportedConditionError(
        `\`${text}\` reads no request attribute and is not a boolean literal`,
      );
    }
    const timeBound = requestTimeBound(expr);
    return {
      kind: 'other',
      text,
      attributes,
      negated,
      ...(timeBound ? { timeBound } : {}),
    };
  }

  private text(expr: CelExpr): string {
    return unparse({ ...this.parsed, expr });
  }
}

/** The outcome of reading a condition expression. */
export type ConditionParse =
  | { ok: true; parsed: ParsedCel; formula: Formula }
  | { ok: false; parsed?: ParsedCel; parseError?: string; reason: string };

/** Parses a CEL condition and converts it to a formula, without throwing. */
export function parseConditionFormula(expression: string): ConditionParse {
  if (expression.trim() === '') {
    return { ok: false, reason: 'the expression is empty' };
  }
  let parsed: ParsedCel;
  try {
    // The parser rejects a trailing `// comment` not followed by a newline; whitespace is
    // insignificant in CEL, so a newline is appended.
    parsed = parse(`${expression}\n`);
  } catch (error) {
    const parseError = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      parseError,
      reason: `the expression does not parse: ${parseError}`,
    };
  }
  try {
    return {
      ok: true,
      parsed,
      formula: new FormulaBuilder(parsed).build(parsed.expr, false),
    };
  } catch (error) {
    if (error instanceof UnsupportedConditionError) {
      return { ok: false, parsed, reason: error.message };
    }
    throw error;
  }
}
