import { Accessor, CoverageSummary } from '../report/types';

/**
 * Context-aware access coverage: accessors whose every grant is context-restricted, out of all
 * accessors. Deleted principals cannot sign in and accessors whose every grant expired have no
 * access: both are left out.
 *
 * With no accessor the ratio is 1: nobody is admitted without an access level (vacuously true),
 * so no coverage finding is raised for a service nobody can reach.
 */
export function summarizeCoverage(accessors: Accessor[]): CoverageSummary {
  const counted = accessors.filter(
    accessor => !accessor.deleted && !accessor.expired,
  );
  const uncovered = counted.filter(accessor => !accessor.contextRestricted);
  const covered = counted.length - uncovered.length;
  return {
    covered,
    total: counted.length,
    ratio: counted.length === 0 ? 1 : covered / counted.length,
    uncoveredMembers: uncovered.map(accessor => accessor.member),
    unit: 'accessor',
  };
}
