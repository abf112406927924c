import { OrgPolicy } from '../google/types';
import { OrgPolicyFacts, OrgPolicySummary } from '../report/types';
import { isSourceError, Sourced } from './sources';

/** Summarises an effective list-constraint policy (`getEffectivePolicy`). */
export function summarizeOrgPolicy(
  constraint: string,
  policy: Sourced<OrgPolicy> | undefined,
): OrgPolicySummary {
  const empty = {
    constraint,
    enforced: false,
    allowedValues: [],
    deniedValues: [],
    allowAll: false,
    denyAll: false,
    conditional: false,
  };
  if (policy === undefined || isSourceError(policy)) {
    const error = policy === undefined ? 'not fetched' : policy.error;
    return {
      ...empty,
      read: false,
      error,
      summary: `${constraint} could not be read (${error}).`,
    };
  }
  const rules = policy.spec?.rules ?? [];
  const allowedValues = [
    ...new Set(rules.flatMap(rule => rule.values?.allowedValues ?? [])),
  ];
  const deniedValues = [
    ...new Set(rules.flatMap(rule => rule.values?.deniedValues ?? [])),
  ];
  const allowAll = rules.some(rule => rule.allowAll && !rule.condition);
  const denyAll = rules.some(rule => rule.denyAll);
  const conditional = rules.some(rule => rule.condition);
  const enforced =
    !allowAll &&
    (denyAll || allowedValues.length > 0 || deniedValues.length > 0);
  let summary: string;
  if (!enforced) {
    summary = `${constraint} is not enforced: every value is allowed.`;
  } else if (denyAll) {
    summary = `${constraint} denies every value.`;
  } else {
    summary = `${constraint} ${
      allowedValues.length > 0 ? `allows only ${allowedValues.join(', ')}` : ''
    }${allowedValues.length > 0 && deniedValues.length > 0 ? '; ' : ''}${
      deniedValues.length > 0 ? `denies ${deniedValues.join(', ')}` : ''
    }.`;
  }
  if (conditional) {
    summary += ' Some rules are conditional (tags): the values depend on them.';
  }
  return {
    constraint,
    read: true,
    enforced,
    allowedValues,
    deniedValues,
    allowAll,
    denyAll,
    conditional,
    summary,
  };
}

/** The effective `iam.allowedPolicyMemberDomains` and `run.allowedIngress` of the project. */
export function summarizeOrgPolicies(
  input:
    | {
        allowedPolicyMemberDomains?: Sourced<OrgPolicy>;
        allowedIngress?: Sourced<OrgPolicy>;
      }
    | undefined,
): OrgPolicyFacts | undefined {
  if (!input) {
    return undefined;
  }
  return {
    allowedPolicyMemberDomains: summarizeOrgPolicy(
      'iam.allowedPolicyMemberDomains',
      input.allowedPolicyMemberDomains,
    ),
    allowedIngress: summarizeOrgPolicy(
      'run.allowedIngress',
      input.allowedIngress,
    ),
  };
}
