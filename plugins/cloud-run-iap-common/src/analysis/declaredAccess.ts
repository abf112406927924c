import { describeGrant, howToChange } from '../iam/accessChangePlan';
import {
  MANAGED_CONDITION_TITLE,
  parseAccessLevelsExpression,
} from '../iam/managedBindings';
import { TIME_BOUND_CONDITION_TITLE } from '../iam/timeBoundBindings';
import { IAP_ACCESSOR_ROLE } from '../google/resourceNames';
import {
  grantableMemberProblem,
  isPublicMember,
  MemberPolicy,
  memberSyntaxProblem,
} from '../members/grantableMembers';
import type {
  AccessDrift,
  DeclaredAccessProblem,
  Finding,
  Grant,
  ServiceAccessReport,
  UndeclaredGrant,
} from '../report/types';
import { sortFindings } from './findings/computeFindings';
import {
  accessDriftFinding,
  declaredAccessRejectedFinding,
} from './findings/declaredAccessRules';
import { removeGrantCommand } from './gcloud';
import { memberKey } from './members';
import { AccessPolicyLevels, isSourceError, Sourced } from './sources';

/*
 * The access an entity declares in its catalog-info.yaml, and how it differs from what the
 * service grants. The declaration is the GitOps record: access is changed in a pull request and
 * the drift shows until an owner applies it through the change API.
 */

/** Comma-separated IAM members the entity's app should be granted. */
export const IAP_ACCESSORS_ANNOTATION = 'google.com/iap-accessors';
/** Comma-separated access levels (short names or full names) the managed grant should require. */
export const IAP_ACCESS_LEVELS_ANNOTATION = 'google.com/iap-access-levels';

/** A parsed declaration: what the portal may apply, and the entries it will not. */
export interface DeclaredAccess {
  /** Grantable declared members; absent when the entity has no accessors annotation. */
  members?: string[];
  /**
   * Declared levels resolved to full names, sorted; absent when the entity has no levels
   * annotation, or when one of its levels is rejected (applying the rest would drop it).
   */
  accessLevels?: string[];
  /** Members that are well-formed but not grantable (public, external): declared, never applied. */
  refusedMembers: string[];
  rejected: DeclaredAccessProblem[];
}

/** The organisation's access policy and the scoped ones, as the report's analysis reads them. */
export interface DeclaredLevelsContext {
  organizationPolicy?: Sourced<AccessPolicyLevels>;
  scopedPolicies?: Sourced<AccessPolicyLevels[]>;
}

const SHORT_LEVEL = /^[A-Za-z][A-Za-z0-9_]*$/;
const FULL_LEVEL = /^accessPolicies\/\d+\/accessLevels\/[A-Za-z][A-Za-z0-9_]*$/;

function entries(value: string): string[] {
  return value
    .split(',')
    .map(entry => entry.trim())
    .filter(entry => entry.length > 0);
}

function parseMembers(value: string, policy: MemberPolicy) {
  const members: string[] = [];
  const refusedMembers: string[] = [];
  const rejected: DeclaredAccessProblem[] = [];
  const seen = new Set<string>();
  entries(value).forEach((member, i) => {
    const field = `${IAP_ACCESSORS_ANNOTATION}[${i}]`;
    const syntax = member.startsWith('deleted:')
      ? 'names a deleted principal'
      : memberSyntaxProblem(member);
    if (syntax) {
      rejected.push({ field, value: member, kind: 'invalid', problem: syntax });
      return;
    }
    if (seen.has(memberKey(member))) return;
    seen.add(memberKey(member));
    const problem = grantableMemberProblem(member, policy);
    if (problem) {
      refusedMembers.push(member);
      rejected.push({
        field,
        value: member,
        kind: isPublicMember(member) ? 'public' : 'external',
        problem,
      });
      return;
    }
    members.push(member);
  });
  return { members, refusedMembers, rejected };
}

const levelId = (name: string) => name.slice(name.lastIndexOf('/') + 1);

function resolveLevel(
  level: string,
  context: DeclaredLevelsContext,
): { name: string } | { problem: string } {
  if (!SHORT_LEVEL.test(level) && !FULL_LEVEL.test(level)) {
    return {
      problem: `must be an access level's name (e.g. corp_network) or full name accessPolicies/NUMBER/accessLevels/NAME (got ${JSON.stringify(
        level,
      )})`,
    };
  }
  const organization = context.organizationPolicy;
  if (!organization || isSourceError(organization)) {
    if (FULL_LEVEL.test(level)) return { name: level };
    return {
      problem: `cannot be resolved: the organisation's access policy could not be read${
        organization ? ` (${organization.error})` : ''
      }; write the full name accessPolicies/NUMBER/accessLevels/${level}`,
    };
  }
  const valid = organization.levels.map(l => l.name);
  const matches = (name: string) =>
    FULL_LEVEL.test(level) ? name === level : levelId(name) === level;
  const found = valid.find(matches);
  if (found) return { name: found };
  const scoped = (
    Array.isArray(context.scopedPolicies) ? context.scopedPolicies : []
  )
    .flatMap(policy => policy.levels.map(l => l.name))
    .find(matches);
  const validList = valid.map(levelId).sort().join(', ') || 'none';
  return {
    problem: scoped
      ? `comes from a scoped access policy (${scoped.slice(
          0,
          scoped.indexOf('/accessLevels/'),
        )}), which IAP ignores; valid levels of ${
          organization.policy.name
        }: ${validList}`
      : `does not exist in ${organization.policy.name}; valid levels: ${validList}`,
  };
}

function parseLevels(value: string, context: DeclaredLevelsContext) {
  const rejected: DeclaredAccessProblem[] = [];
  const levels = new Set<string>();
  entries(value).forEach((level, i) => {
    const resolved = resolveLevel(level, context);
    if ('name' in resolved) {
      levels.add(resolved.name);
    } else {
      rejected.push({
        field: `${IAP_ACCESS_LEVELS_ANNOTATION}[${i}]`,
        value: level,
        kind: 'access-level',
        problem: resolved.problem,
      });
    }
  });
  return { levels: [...levels].sort(), rejected };
}

/**
 * Parses the declaration of an entity's annotations, or undefined when it declares nothing.
 * Members follow the rules of the actions (`grantableMemberProblem`); levels resolve against
 * the organisation's access policy, the only one IAP evaluates. Bad entries are rejected with
 * the rule they break, never thrown.
 */
export function parseDeclaredAccess(
  annotations: Readonly<Record<string, string>> | undefined,
  policy: MemberPolicy,
  levels: DeclaredLevelsContext,
): DeclaredAccess | undefined {
  const membersValue = annotations?.[IAP_ACCESSORS_ANNOTATION];
  const levelsValue = annotations?.[IAP_ACCESS_LEVELS_ANNOTATION];
  if (membersValue === undefined && levelsValue === undefined) {
    return undefined;
  }
  const members =
    membersValue === undefined ? undefined : parseMembers(membersValue, policy);
  const declaredLevels =
    levelsValue === undefined ? undefined : parseLevels(levelsValue, levels);
  return {
    ...(members ? { members: members.members } : {}),
    ...(declaredLevels && declaredLevels.rejected.length === 0
      ? { accessLevels: declaredLevels.levels }
      : {}),
    refusedMembers: members?.refusedMembers ?? [],
    rejected: [
      ...(members?.rejected ?? []),
      ...(declaredLevels?.rejected ?? []),
    ],
  };
}

const isTimeBound = (grant: Grant) =>
  grant.condition?.title === TIME_BOUND_CONDITION_TITLE;

function isServiceAccessorGrant(grant: Grant) {
  return grant.level === 'service' && grant.role === IAP_ACCESSOR_ROLE;
}

/** The managed binding's levels, and which grants of the report are that binding. */
function managedBindingOf(report: ServiceAccessReport) {
  const grants = report.accessors.flatMap(accessor => accessor.grants);
  const titled = grants.find(
    grant =>
      isServiceAccessorGrant(grant) &&
      grant.condition?.title === MANAGED_CONDITION_TITLE,
  );
  const levels = titled
    ? parseAccessLevelsExpression(titled.condition!.expression)
    : [];
  const isManaged = (grant: Grant) =>
    isServiceAccessorGrant(grant) &&
    (titled
      ? grant.condition?.title === MANAGED_CONDITION_TITLE &&
        grant.condition.expression === titled.condition!.expression
      : !grant.condition);
  return { levels: levels ? [...levels].sort() : undefined, isManaged };
}

const sameLevels = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((level, i) => level === b[i]);

/**
 * Compares a declaration with the service's live grants: members granted (by the managed
 * binding or any other grant, saying which) and not declared, declared members without a
 * grant, and declared levels that differ from the managed binding's. Time-bound grants of
 * approved access requests are temporary by design and left out.
 */
export function declaredAccessDrift(
  declared: DeclaredAccess,
  report: ServiceAccessReport,
): AccessDrift {
  const managed = managedBindingOf(report);
  const live = report.accessors
    .filter(accessor => !accessor.deleted && !accessor.expired)
    .map(accessor => ({
      member: accessor.member,
      grants: accessor.grants.filter(
        grant => !grant.expired && !isTimeBound(grant),
      ),
    }))
    .filter(accessor => accessor.grants.length > 0);

  const grantedNotDeclared: AccessDrift['grantedNotDeclared'] = [];
  const declaredNotGranted: string[] = [];
  if (declared.members) {
    const declaredKeys = new Set(
      [...declared.members, ...declared.refusedMembers].map(memberKey),
    );
    for (const accessor of live) {
      if (declaredKeys.has(memberKey(accessor.member))) continue;
      grantedNotDeclared.push({
        member: accessor.member,
        grants: accessor.grants.map((grant): UndeclaredGrant => {
          if (managed.isManaged(grant)) {
            return { kind: 'managed', grant: describeGrant(grant) };
          }
          return {
            kind: grant.level === 'service' ? 'hand-made' : 'inherited',
            grant: describeGrant(grant),
            howToChange: howToChange(report, grant, accessor.member),
            command: removeGrantCommand(report.ref, grant, accessor.member),
          };
        }),
      });
    }
    const grantedKeys = new Set(live.map(a => memberKey(a.member)));
    declaredNotGranted.push(
      ...declared.members.filter(m => !grantedKeys.has(memberKey(m))),
    );
  }

  const levelsDiffer =
    declared.accessLevels !== undefined &&
    managed.levels !== undefined &&
    !sameLevels(declared.accessLevels, managed.levels);
  return {
    declared: {
      ...(declared.members ? { members: declared.members } : {}),
      ...(declared.accessLevels ? { accessLevels: declared.accessLevels } : {}),
    },
    grantedNotDeclared,
    declaredNotGranted,
    ...(levelsDiffer
      ? {
          accessLevels: {
            declared: declared.accessLevels!,
            granted: managed.levels!,
          },
        }
      : {}),
    rejected: declared.rejected,
  };
}

/** The body of `POST .../access/changes` that applies the declared state, without service and dryRun. */
export interface DeclaredAccessChange {
  add: string[];
  remove: string[];
  accessLevels?: string[];
}

/**
 * The change of the managed binding that applies the declared state: add the declared members
 * without a grant, remove the managed members that are not declared, set the declared levels.
 * Grants the portal does not manage are never in it. Undefined when there is nothing to apply.
 */
export function declaredAccessChange(
  drift: AccessDrift,
): DeclaredAccessChange | undefined {
  const remove = drift.grantedNotDeclared
    .filter(entry => entry.grants.some(grant => grant.kind === 'managed'))
    .map(entry => entry.member);
  const change: DeclaredAccessChange = {
    add: [...drift.declaredNotGranted],
    remove,
    ...(drift.accessLevels
      ? { accessLevels: drift.accessLevels.declared }
      : {}),
  };
  return change.add.length > 0 ||
    change.remove.length > 0 ||
    change.accessLevels !== undefined
    ? change
    : undefined;
}

/**
 * The report with the entity's declaration compared (`declaredAccess`) and its findings
 * (ACCESS_DRIFT, DECLARED_ACCESS_REJECTED) among the others, most severe first.
 */
export function withDeclaredAccess(
  report: ServiceAccessReport,
  declared: DeclaredAccess | undefined,
): ServiceAccessReport {
  if (!declared) return report;
  const drift = declaredAccessDrift(declared, report);
  const added = [
    accessDriftFinding(drift),
    declaredAccessRejectedFinding(drift),
  ].filter((finding): finding is Finding => finding !== undefined);
  return {
    ...report,
    declaredAccess: drift,
    findings: sortFindings([...report.findings, ...added]),
  };
}
