import { IamPolicy } from '../google/types';
import { IAP_ACCESSOR_ROLE } from '../google/resourceNames';
import {
  Accessor,
  AccessLevelStatus,
  ConditionAnalysis,
  Grant,
  GrantLevel,
} from '../report/types';
import { analyzeCondition, UNCONDITIONAL } from './conditions';
import {
  classifyMember,
  isMemberInOrganization,
  memberKey,
  OwnProject,
} from './members';

/*
 * Which roles let a principal through IAP: only roles carrying
 * `iap.webServiceVersions.accessViaIAP`. Among predefined roles that is
 * `roles/iap.httpsResourceAccessor` alone; the basic roles (owner, editor,
 * viewer) do not include it, so project owners are not accessors unless also
 * granted the accessor role. Custom roles can carry it: the caller passes
 * them as `extraAccessorRoles` after expanding role permissions.
 */

/** An IAM policy on the service or one of its ancestors. */
export interface GrantSource {
  level: GrantLevel;
  resource: string;
  policy: IamPolicy;
}

/** What the accessors are built from. */
export interface AccessorsInput {
  sources: GrantSource[];
  organizationDomains: readonly string[];
  /** Workforce pools whose identities are inside the organization (`cloudRunIap.organization.workforcePools`). */
  workforcePools?: readonly string[];
  project: OwnProject;
  /** Status of each access level a condition may reference; absent names count as not valid. */
  levelStatus: ReadonlyMap<string, AccessLevelStatus>;
  /** Custom roles known to include `iap.webServiceVersions.accessViaIAP`. */
  extraAccessorRoles?: readonly string[];
  /** Memoised condition analysis; defaults to {@link analyzeCondition}. */
  analyze?: (expression: string) => ConditionAnalysis;
  /** Whether a role lets its members through IAP (e.g. from a {@link RoleCatalog}); defaults to the accessor role and `extraAccessorRoles`. */
  grantsAccess?: (role: string) => boolean;
  /** Valid levels whose conditions always hold: a grant relying on them is not context-restricted. */
  levelsRestrictingNothing?: ReadonlySet<string>;
  /** The time of the analysis (ms since the epoch), for time-bound grants; defaults to now. */
  now?: number;
}

const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Whether a grant is context-restricted: its condition is understood, requires access levels, and
 * every level that can satisfy it is a valid organization-level access level.
 */
export function isContextRestricted(
  analysis: ConditionAnalysis,
  levelStatus: ReadonlyMap<string, AccessLevelStatus>,
  levelsRestrictingNothing: ReadonlySet<string> = new Set(),
): boolean {
  return (
    analysis.understood &&
    analysis.requiresAccessLevels &&
    analysis.requiredLevelSets.every(
      set =>
        set.every(level => levelStatus.get(level) === 'valid') &&
        !set.every(level => levelsRestrictingNothing.has(level)),
    )
  );
}

/** Every access-level name referenced by the conditions of accessor-role bindings in the sources. */
export function referencedAccessLevels(
  sources: GrantSource[],
  extraAccessorRoles: readonly string[] = [],
  analyze: (expression: string) => ConditionAnalysis = analyzeCondition,
  grantsAccess?: (role: string) => boolean,
): string[] {
  const roles = new Set([IAP_ACCESSOR_ROLE, ...extraAccessorRoles]);
  const accessRole = grantsAccess ?? ((role: string) => roles.has(role));
  const names = sources.flatMap(source =>
    (source.policy.bindings ?? [])
      .filter(binding => accessRole(binding.role) && binding.condition)
      .flatMap(
        binding => analyze(binding.condition!.expression).referencedLevels,
      ),
  );
  return [...new Set(names)];
}

function timeFacts(
  expiresAt: string | undefined,
  now: number,
): Pick<Grant, 'expiresAt' | 'expired' | 'expiresSoon'> {
  if (!expiresAt) {
    return {};
  }
  const at = Date.parse(expiresAt);
  if (now >= at) {
    return { expiresAt, expired: true };
  }
  return at - now <= EXPIRY_WARNING_MS
    ? { expiresAt, expiresSoon: true }
    : { expiresAt };
}

/**
 * Builds the accessors of a service from the IAP policies (service, region, project `iap_web`)
 * and ordinary IAM (project, folder, organization): one accessor per member, with every grant.
 * Accessors are sorted by member; grants keep the order of the sources.
 */
export function buildAccessors(input: AccessorsInput): Accessor[] {
  const roles = new Set([
    IAP_ACCESSOR_ROLE,
    ...(input.extraAccessorRoles ?? []),
  ]);
  const accessRole = input.grantsAccess ?? ((role: string) => roles.has(role));
  const analyze = input.analyze ?? analyzeCondition;
  const now = input.now ?? Date.now();
  const nothing = input.levelsRestrictingNothing ?? new Set<string>();
  const byMember = new Map<string, { member: string; grants: Grant[] }>();

  for (const source of input.sources) {
    for (const binding of source.policy.bindings ?? []) {
      if (!accessRole(binding.role)) {
        continue;
      }
      const conditionAnalysis = binding.condition
        ? analyze(binding.condition.expression)
        : UNCONDITIONAL;
      const grant: Grant = {
        level: source.level,
        resource: source.resource,
        role: binding.role,
        ...(binding.condition
          ? {
              condition: {
                expression: binding.condition.expression,
                ...(binding.condition.title !== undefined
                  ? { title: binding.condition.title }
                  : {}),
              },
            }
          : {}),
        conditionAnalysis,
        contextRestricted: isContextRestricted(
          conditionAnalysis,
          input.levelStatus,
          nothing,
        ),
        ...timeFacts(conditionAnalysis.expiresAt, now),
      };
      const restrictingNothing = conditionAnalysis.referencedLevels.filter(
        level => nothing.has(level),
      );
      if (restrictingNothing.length > 0) {
        grant.levelsRestrictingNothing = restrictingNothing;
      }
      for (const member of binding.members ?? []) {
        const key = memberKey(member);
        const entry = byMember.get(key) ?? { member, grants: [] };
        entry.grants.push(grant);
        byMember.set(key, entry);
      }
    }
  }

  return [...byMember.values()]
    .map(({ member, grants }) => {
      const info = classifyMember(member);
      return {
        member,
        kind: info.kind,
        displayName: info.displayName,
        inOrganization: isMemberInOrganization(
          info,
          input.organizationDomains,
          input.project,
          input.workforcePools,
        ),
        ...(info.deleted ? { deleted: true } : {}),
        grants,
        contextRestricted: grants
          .filter(grant => !grant.expired)
          .every(grant => grant.contextRestricted),
        ...(grants.every(grant => grant.expired) ? { expired: true } : {}),
      };
    })
    .sort((a, b) => memberKey(a.member).localeCompare(memberKey(b.member)));
}
