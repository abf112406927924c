import {
  GroupExpansion,
  IamPolicy,
  IamRole,
  IapSettings,
  ResourcePolicyInput,
  ServiceAccessInput,
  Sourced,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  ResolvedProject,
  iapSettingsResources,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { GoogleAccessData } from './GoogleAccessData';

/** A role carrying one of these lets its members in through IAP, or call the service. */
const ACCESS_PERMISSIONS = [
  'iap.webServiceVersions.accessViaIAP',
  'run.routes.invoke',
];

/** Bounds on what one service's report expands, whatever its policies name. */
export const MAX_ROLES_PER_SERVICE = 100;
export const MAX_GROUPS_PER_SERVICE = 50;

/** The policies a service's access comes from, as the report read them. */
export interface ServicePolicies {
  runPolicy: Sourced<IamPolicy>;
  iapPolicies: Array<Sourced<IamPolicy>>;
  resourcePolicies: ResourcePolicyInput[];
}

type WhoCanGetInInputs = Pick<
  ServiceAccessInput,
  'roles' | 'groups' | 'iapSettingsByLevel' | 'orgPolicies' | 'now'
>;

function bindingsOf(policies: ServicePolicies) {
  const readable = [
    policies.runPolicy,
    ...policies.iapPolicies,
    ...policies.resourcePolicies.map(p => p.policy ?? { error: 'unread' }),
  ].filter((p): p is IamPolicy => !('error' in p));
  return readable.flatMap(p => p.bindings ?? []);
}

function grantsAccess(
  role: string,
  roles: Record<string, Sourced<IamRole>>,
): boolean {
  const definition = roles[role];
  if (!definition || 'error' in definition) return true;
  return (definition.includedPermissions ?? []).some(p =>
    ACCESS_PERMISSIONS.includes(p),
  );
}

/**
 * Reads what decides who can really get in beyond the IAM policies: the definitions of every
 * role the policies name, the people behind each group that holds an access or invoke role,
 * IAP settings at every level, and the project's effective org policies. Role definitions come
 * first, so that groups holding only unrelated roles (say, a viewer group on the organisation)
 * are not expanded.
 */
export async function loadWhoCanGetInInputs(
  data: GoogleAccessData,
  target: {
    project: ResolvedProject;
    region: string;
    serviceId: string;
    serviceSettings: Sourced<IapSettings>;
  },
  policies: ServicePolicies,
  signal: AbortSignal,
): Promise<WhoCanGetInInputs> {
  const bindings = bindingsOf(policies);
  const { project } = target;
  const settingsLevels = iapSettingsResources(
    project,
    target.region,
    target.serviceId,
  );
  const roleNames = [...new Set(bindings.map(b => b.role ?? ''))]
    .filter(Boolean)
    .slice(0, MAX_ROLES_PER_SERVICE);

  const [
    roleList,
    iapSettingsByLevel,
    allowedPolicyMemberDomains,
    allowedIngress,
  ] = await Promise.all([
    Promise.all(roleNames.map(name => data.role(name, { signal }))),
    Promise.all(
      settingsLevels.map(async ({ level, resource }) => ({
        level,
        resource,
        settings:
          level === 'service'
            ? target.serviceSettings
            : await data.iapSettings(resource, { signal }),
      })),
    ),
    data.effectiveOrgPolicy(
      project.projectId,
      'iam.allowedPolicyMemberDomains',
      { signal },
    ),
    data.effectiveOrgPolicy(project.projectId, 'run.allowedIngress', {
      signal,
    }),
  ]);
  const roles: Record<string, Sourced<IamRole>> = {};
  roleNames.forEach((name, i) => {
    const role = roleList[i];
    if (role) roles[name] = role;
  });

  const groupEmails = [
    ...new Set(
      bindings
        .filter(b => grantsAccess(b.role ?? '', roles))
        .flatMap(b => b.members ?? [])
        .filter(m => m.toLowerCase().startsWith('group:'))
        .map(m => m.slice('group:'.length).toLowerCase()),
    ),
  ].slice(0, MAX_GROUPS_PER_SERVICE);
  const expansions = await Promise.all(
    groupEmails.map(email => data.groupExpansion(email, { signal })),
  );
  const groups: Record<string, Sourced<GroupExpansion>> = {};
  groupEmails.forEach((email, i) => {
    groups[email] = expansions[i];
  });
  const firstError = expansions.find(
    (e): e is { error: string } => 'error' in e,
  );
  const noneReadable =
    expansions.length > 0 && expansions.every(e => 'error' in e);

  return {
    roles,
    groups: noneReadable && firstError ? firstError : groups,
    iapSettingsByLevel,
    orgPolicies: { allowedPolicyMemberDomains, allowedIngress },
    now: new Date().toISOString(),
  };
}
