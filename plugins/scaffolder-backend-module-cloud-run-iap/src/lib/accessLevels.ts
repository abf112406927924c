import { InputError } from '@backstage/errors';
import type { AccessPolicy } from '@internal-apps/plugin-cloud-run-iap-common';
import type { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';
import { googleFailure } from './googleErrors';

/** The organisation's access policy (the one without scopes) and the scoped ones. */
export function splitAccessPolicies(policies: readonly AccessPolicy[]) {
  const isScoped = (p: AccessPolicy) => (p.scopes ?? []).length > 0;
  return {
    organizationPolicy: policies.find(p => !isScoped(p)),
    scopedPolicies: policies.filter(isScoped),
  };
}

const levelId = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/**
 * Resolves access level ids or full names to full names in the organisation's access policy.
 * Refuses levels that do not exist there or that belong to a scoped policy (IAP ignores
 * those), listing the valid ones.
 */
export async function resolveAccessLevels(
  client: GoogleCloudClient,
  organizationId: string | undefined,
  requested: readonly string[],
  field: string,
  options: { signal?: AbortSignal } = {},
): Promise<string[]> {
  if (requested.length === 0) return [];
  if (!organizationId) {
    throw new InputError(
      `${field} cannot be used: the project is not in an organisation, and access levels live in an organisation's access policy`,
    );
  }
  let policies: AccessPolicy[];
  try {
    policies = await client.listAccessPolicies(organizationId, options);
  } catch (error) {
    throw googleFailure(
      `Listing the access policies of organizations/${organizationId}`,
      error,
    );
  }
  const { organizationPolicy, scopedPolicies } = splitAccessPolicies(policies);
  if (!organizationPolicy) {
    throw new InputError(
      `${field} cannot be used: organizations/${organizationId} has no organisation-level access policy`,
    );
  }
  const [valid, ...scopedLevels] = await Promise.all(
    [organizationPolicy, ...scopedPolicies].map(async policy => {
      try {
        return (await client.listAccessLevels(policy.name!, options)).map(
          level => level.name!,
        );
      } catch (error) {
        throw googleFailure(
          `Listing the access levels of ${policy.name}`,
          error,
        );
      }
    }),
  );
  const scoped = scopedLevels.flat();
  const validList = valid.map(levelId).sort().join(', ') || 'none';
  const problems: string[] = [];
  const resolved = requested.map((level, i) => {
    const match = level.includes('/')
      ? valid.find(name => name === level)
      : valid.find(name => levelId(name) === level);
    if (match) return match;
    const fromScoped = level.includes('/')
      ? scoped.find(name => name === level)
      : scoped.find(name => levelId(name) === level);
    problems.push(
      fromScoped
        ? `${field}[${i}] ${JSON.stringify(
            level,
          )} comes from a scoped access policy (${fromScoped.slice(
            0,
            fromScoped.indexOf('/accessLevels/'),
          )}), which IAP ignores; valid levels of ${
            organizationPolicy.name
          }: ${validList}`
        : `${field}[${i}] ${JSON.stringify(level)} does not exist in ${
            organizationPolicy.name
          }; valid levels: ${validList}`,
    );
    return '';
  });
  if (problems.length > 0) throw new InputError(problems.join('; '));
  return [...new Set(resolved)].sort();
}
