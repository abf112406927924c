import { ConditionAnalysis } from '../report/types';
import { lastSegment } from '../google/resourceNames';
import {
  attributeUse,
  callsFunction,
  isPathOrHost,
  literalLevelTests,
  parseConditionFormula,
  readsAccessLevels,
} from './celFormula';
import {
  dnfRequiresLevels,
  formulaExpiry,
  FormulaTooComplexError,
  hasNegatedLevel,
  hasWeakeningDisjunction,
  LevelDnf,
  toLevelDnf,
} from './formula';

/** The analysis of a grant without condition: unconditional access. */
export const UNCONDITIONAL: ConditionAnalysis = Object.freeze({
  understood: true,
  requiresAccessLevels: false,
  requiredLevelSets: [],
  referencedLevels: [],
  usesNegation: false,
  usesOr: false,
  orWeakensRestriction: false,
  usesPathOrHost: false,
  otherAttributes: [],
  summary: 'Unconditional: no access level is required',
}) as ConditionAnalysis;

function describeLevelSets(sets: LevelDnf): string {
  return sets
    .map(set => set.map(lastSegment).join(' and '))
    .join(sets.length > 1 ? ', or ' : '');
}

type CelExpr = NonNullable<
  ReturnType<typeof parseConditionFormula>['parsed']
>['expr'];

function attributeFacts(expr: CelExpr | undefined) {
  if (!expr) {
    return { usesPathOrHost: false, otherAttributes: [] as string[] };
  }
  const attributes = [...attributeUse(expr).attributes].filter(
    path => !readsAccessLevels(path),
  );
  return {
    usesPathOrHost: attributes.some(isPathOrHost),
    otherAttributes: [
      ...new Set(attributes.filter(path => !isPathOrHost(path))),
    ].sort(),
  };
}

/**
 * Decides, from the CEL AST, whether an IAM condition requires at least one access level.
 *
 * A condition requires levels when every way of making it true includes a positive
 * `"accessPolicies/N/accessLevels/L" in request.auth.access_levels` test: a conjunction with one
 * such conjunct, a disjunction whose every branch has one. Negated level tests, `||` branches
 * without a level, `request.path`/`request.host` and other attributes are reported. Anything not
 * certainly understood (non-literal levels, other uses of `request.auth.access_levels`, unknown
 * variables, parse errors) yields `understood: false` and never counts as requiring levels.
 */
export function analyzeCondition(expression: string): ConditionAnalysis {
  const parsed = parseConditionFormula(expression);
  const facts = attributeFacts(parsed.parsed?.expr);
  const referencedLevels = [...new Set(literalLevelTests(parsed.parsed))];
  const usesOr = callsFunction(parsed.parsed, '_||_');
  const notUnderstood = (reason: string, parseError?: string) => ({
    understood: false,
    requiresAccessLevels: false,
    requiredLevelSets: [],
    referencedLevels,
    usesNegation: false,
    usesOr,
    orWeakensRestriction: false,
    ...facts,
    ...(parseError ? { parseError } : {}),
    summary: `Not understood (${reason}); not counted as restricted by an access level`,
  });
  if (!parsed.ok) {
    return notUnderstood(parsed.reason, parsed.parseError);
  }
  let dnf: LevelDnf;
  try {
    dnf = toLevelDnf(parsed.formula);
  } catch (error) {
    if (error instanceof FormulaTooComplexError) {
      return notUnderstood('the expression has too many alternatives');
    }
    throw error;
  }
  const requiresAccessLevels = dnfRequiresLevels(dnf);
  const usesNegation = hasNegatedLevel(parsed.formula);
  const orWeakensRestriction = hasWeakeningDisjunction(parsed.formula);

  let summary: string;
  if (requiresAccessLevels) {
    summary = `Requires access level ${describeLevelSets(dnf)}`;
  } else if (dnf.length === 0) {
    summary = 'Never true: the condition cannot be satisfied';
  } else if (usesNegation) {
    summary =
      'Not restricted: an access-level test is negated, so requests without any level match';
  } else if (orWeakensRestriction) {
    summary =
      'Not restricted: an `||` branch matches requests without an access level';
  } else {
    summary = 'No access level is required';
  }
  if (requiresAccessLevels && usesNegation) {
    summary += '; also negates an access-level test';
  }
  if (facts.usesPathOrHost) {
    summary +=
      '; tests request.path/request.host, which URL encoding can bypass';
  }
  const expiresAt = formulaExpiry(parsed.formula);
  if (expiresAt) {
    summary += `; expires ${expiresAt}`;
  }
  const others = facts.otherAttributes.filter(
    attribute => !(expiresAt && attribute === 'request.time'),
  );
  if (others.length > 0) {
    summary += `; also depends on ${others.join(', ')}`;
  }
  return {
    understood: true,
    requiresAccessLevels,
    requiredLevelSets: requiresAccessLevels ? dnf : [],
    referencedLevels,
    usesNegation,
    usesOr,
    orWeakensRestriction,
    ...facts,
    ...(expiresAt ? { expiresAt } : {}),
    summary,
  };
}
