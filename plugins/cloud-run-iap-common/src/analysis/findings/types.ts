import {
  Accessor,
  Finding,
  Grant,
  ServiceAccessReport,
} from '../../report/types';

/** Everything in a service report except the findings, from which the findings are derived. */
export type ServiceAccessFacts = Omit<ServiceAccessReport, 'findings'>;

/** Context the findings need beyond the report. */
export interface FindingOptions {
  /** The portal manages the service (it was created with IAP on), which makes IAP_DISABLED critical. */
  managed: boolean;
  /** Outside principals are allowed by configuration: EXTERNAL_ACCESSOR becomes info. */
  allowExternalMembers?: boolean;
  /** `accessPolicies/{number}` of the organization policy, for suggested commands. */
  organizationPolicyName?: string;
  /** Names of the organization policy's access levels, to suggest one in commands. */
  organizationLevelNames?: string[];
}

/** A rule: zero or one finding. */
export type FindingRule = (
  facts: ServiceAccessFacts,
  options: FindingOptions,
) => Finding | undefined;

/** One grant of one accessor. */
export interface AccessorGrant {
  accessor: Accessor;
  grant: Grant;
}

/** Every (accessor, grant) pair matching the predicate; expired grants are left out unless asked for. */
export function accessorGrants(
  facts: ServiceAccessFacts,
  predicate: (accessor: Accessor, grant: Grant) => boolean,
  includeExpired = false,
): AccessorGrant[] {
  return facts.accessors.flatMap(accessor =>
    accessor.grants
      .filter(
        grant =>
          (includeExpired || !grant.expired) && predicate(accessor, grant),
      )
      .map(grant => ({ accessor, grant })),
  );
}

/** Distinct members of the pairs, in order. */
export function membersOf(pairs: AccessorGrant[]): string[] {
  return [...new Set(pairs.map(pair => pair.accessor.member))];
}

/** A readable list: `a, b, c and 2 more`. */
export function listOf(items: string[], max = 5): string {
  if (items.length <= max) {
    return items.join(', ');
  }
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Joins distinct commands, one per line. */
export function commands(lines: string[]): string {
  return [...new Set(lines)].join('\n');
}
