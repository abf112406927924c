import {
  AccessLevel,
  AccessLevelCondition,
  DevicePolicy,
} from '../google/types';
import { lastSegment } from '../google/resourceNames';
import {
  AccessLevelConditionSummary,
  AccessLevelStatus,
  ResolvedAccessLevel,
} from '../report/types';
import { AccessPolicyLevels, isSourceError, Sourced } from './sources';

/** Human-readable device requirements of a device policy. */
export function summarizeDevicePolicy(policy: DevicePolicy): string[] {
  const requirements: string[] = [];
  if (policy.requireScreenlock) {
    requirements.push('screen lock');
  }
  if (policy.allowedEncryptionStatuses?.length) {
    requirements.push(
      `encryption: ${policy.allowedEncryptionStatuses.join(' or ')}`,
    );
  }
  for (const os of policy.osConstraints ?? []) {
    const version = os.minimumVersion ? ` >= ${os.minimumVersion}` : '';
    const verified = os.requireVerifiedChromeOs ? ' (verified)' : '';
    requirements.push(`OS: ${os.osType ?? 'any'}${version}${verified}`);
  }
  if (policy.allowedDeviceManagementLevels?.length) {
    requirements.push(
      `management: ${policy.allowedDeviceManagementLevels.join(' or ')}`,
    );
  }
  if (policy.requireAdminApproval) {
    requirements.push('admin-approved device');
  }
  if (policy.requireCorpOwned) {
    requirements.push('corp-owned device');
  }
  if (requirements.length === 0 && Object.keys(policy).length > 0) {
    requirements.push('device policy');
  }
  return requirements;
}

/** One basic-level condition, summarised with every list present (possibly empty). */
export function summarizeLevelCondition(
  condition: AccessLevelCondition,
): AccessLevelConditionSummary {
  const devicePolicy = condition.devicePolicy
    ? summarizeDevicePolicy(condition.devicePolicy)
    : [];
  return {
    ipSubnetworks: condition.ipSubnetworks ?? [],
    regions: condition.regions ?? [],
    members: condition.members ?? [],
    negate: condition.negate ?? false,
    requiredAccessLevels: condition.requiredAccessLevels ?? [],
    ...(devicePolicy.length > 0 ? { devicePolicy } : {}),
    vpcNetworkSources: condition.vpcNetworkSources?.length ?? 0,
  };
}

function describeLevel(
  level: AccessLevel,
): Pick<
  ResolvedAccessLevel,
  | 'title'
  | 'description'
  | 'kind'
  | 'combiningFunction'
  | 'conditions'
  | 'customExpression'
> {
  const common = {
    ...(level.title !== undefined ? { title: level.title } : {}),
    ...(level.description !== undefined
      ? { description: level.description }
      : {}),
  };
  if (level.custom) {
    return {
      ...common,
      kind: 'custom',
      customExpression: level.custom.expr.expression,
    };
  }
  if (level.basic) {
    return {
      ...common,
      kind: 'basic',
      combiningFunction: level.basic.combiningFunction ?? 'AND',
      conditions: level.basic.conditions.map(summarizeLevelCondition),
    };
  }
  return common;
}

function policyOf(levelName: string): string {
  return levelName.split('/accessLevels/')[0];
}

/**
 * Resolves access-level names referenced by conditions against the organization's access policy
 * (the only one IAP uses) and the scoped policies, following `requiredAccessLevels` transitively.
 *
 * A name in the organization policy is `valid` when the level exists, else `missing`; a name in a
 * scoped policy is `scoped-policy`; a name in no known policy is `missing`, or `unresolved` when
 * a policy list could not be read.
 */
export function resolveAccessLevels(
  referenced: string[],
  organizationPolicy: Sourced<AccessPolicyLevels> | undefined,
  scopedPolicies: Sourced<AccessPolicyLevels[]> | undefined,
): ResolvedAccessLevel[] {
  const organization =
    organizationPolicy && !isSourceError(organizationPolicy)
      ? organizationPolicy
      : undefined;
  const scoped = Array.isArray(scopedPolicies) ? [...scopedPolicies] : [];
  // A policy with scopes is scoped whatever the caller called it.
  if (organization?.policy.scopes?.length) {
    scoped.push(organization);
  }
  const organizationUsable =
    organization && !organization.policy.scopes?.length
      ? organization
      : undefined;
  const allPoliciesKnown =
    organization !== undefined && Array.isArray(scopedPolicies);

  const resolve = (
    name: string,
  ): { status: AccessLevelStatus; level?: AccessLevel } => {
    const policyName = policyOf(name);
    if (organizationUsable?.policy.name === policyName) {
      const level = organizationUsable.levels.find(l => l.name === name);
      return level ? { status: 'valid', level } : { status: 'missing' };
    }
    const scopedPolicy = scoped.find(p => p.policy.name === policyName);
    if (scopedPolicy) {
      return {
        status: 'scoped-policy',
        level: scopedPolicy.levels.find(l => l.name === name),
      };
    }
    return { status: allPoliciesKnown ? 'missing' : 'unresolved' };
  };

  const resolved = new Map<string, ResolvedAccessLevel>();
  const queue: Array<{
    name: string;
    referencedBy: ResolvedAccessLevel['referencedBy'];
  }> = referenced.map(name => ({ name, referencedBy: 'condition' }));
  while (queue.length > 0) {
    const { name, referencedBy } = queue.shift()!;
    if (resolved.has(name)) {
      continue;
    }
    const { status, level } = resolve(name);
    resolved.set(name, {
      name,
      shortName: lastSegment(name),
      status,
      referencedBy,
      ...(level ? describeLevel(level) : {}),
    });
    for (const condition of level?.basic?.conditions ?? []) {
      for (const required of condition.requiredAccessLevels ?? []) {
        queue.push({ name: required, referencedBy: 'required-level' });
      }
    }
  }
  return [...resolved.values()];
}
