import type { MemberPolicy } from '@internal-apps/plugin-cloud-run-iap-common';
import type { CloudRunIapConfig } from '../config';

/**
 * Who may be granted access, from `cloudRunIap`: the organisation's domains and workforce pools,
 * whether others are allowed, and the projects whose service accounts are the organisation's
 * own. The rules themselves are `-common`'s grantable-member rules.
 */
export function memberPolicyOf(config: CloudRunIapConfig): MemberPolicy {
  return {
    domains: config.organization.domains,
    allowExternalMembers: config.organization.allowExternalMembers,
    workforcePools: config.organization.workforcePools,
    ownProjectIds: config.projects.map(p => p.id),
  };
}
