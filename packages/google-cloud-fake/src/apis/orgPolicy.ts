import { createHash } from 'node:crypto';
import { GoogleApiError, permissionDenied } from '../errors';
import { RequestContext, Route } from '../http/routes';
import type { SeedOrgPolicy } from '../seed/schema';
import type { FakeWorld } from '../world';

interface ListPolicy {
  allowAll?: boolean;
  denyAll?: boolean;
  allowedValues: string[];
  deniedValues: string[];
}

/** The customer ID Google lists for a domain: the seeded organisation's, or a stable one. */
function customerIdOf(world: FakeWorld, domain: string) {
  const org = [...world.organizations.values()].find(o => o.domain === domain);
  if (org) return org.directoryCustomerId;
  const hash = createHash('sha256').update(domain).digest('hex');
  return `C0${hash.slice(0, 7)}`;
}

function valuesOf(world: FakeWorld, p: SeedOrgPolicy): ListPolicy {
  return {
    allowAll: p.allowAll,
    denyAll: p.denyAll,
    allowedValues: [
      ...(p.allowedValues ?? []),
      ...(p.allowedDomains ?? []).map(d => customerIdOf(world, d)),
    ],
    deniedValues: p.deniedValues ?? [],
  };
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/**
 * The policy in force at a resource, from the organisation down: `reset` goes back to the
 * constraint's default (allow all), `inheritFromParent` merges the values with the parent's
 * (allowAll or denyAll of either side win), otherwise the lower policy replaces the higher one.
 */
export function effectiveListPolicy(
  world: FakeWorld,
  chain: string[],
  constraint: string,
): ListPolicy | undefined {
  let effective: ListPolicy | undefined;
  for (const resource of chain) {
    const p = world.orgPolicies
      .get(resource)
      ?.find(candidate => candidate.constraint === constraint);
    if (!p) continue;
    if (p.reset) {
      effective = undefined;
      continue;
    }
    const own = valuesOf(world, p);
    if (p.inheritFromParent && effective) {
      effective = {
        denyAll: effective.denyAll || own.denyAll,
        allowAll:
          !(effective.denyAll || own.denyAll) &&
          (effective.allowAll || own.allowAll),
        allowedValues: union(effective.allowedValues, own.allowedValues),
        deniedValues: union(effective.deniedValues, own.deniedValues),
      };
    } else {
      effective = own;
    }
  }
  return effective;
}

function getEffectivePolicy(
  kind: 'projects' | 'folders' | 'organizations',
): Route {
  return {
    httpMethod: 'GET',
    pattern: new RegExp(
      `^/v2/${kind}/([^/:]+)/policies/([^/:]+):getEffectivePolicy$`,
    ),
    methodId: `orgpolicy.${kind}.policies.getEffectivePolicy`,
    handle(ctx: RequestContext) {
      const [id, constraintId] = ctx.params;
      const requested = `${kind}/${id}/policies/${constraintId}`;
      const denied = () =>
        permissionDenied(
          'orgpolicy.policy.get',
          requested,
          'orgpolicy.googleapis.com',
        );
      let chain: string[];
      let resource: string;
      if (kind === 'projects') {
        const project = ctx.world.findProject(id);
        if (!project) throw denied();
        resource = `projects/${project.number}`;
        chain = [...ctx.world.ancestorsOf(project)].reverse().concat(resource);
      } else if (kind === 'folders') {
        if (!ctx.world.folders.has(id)) throw denied();
        resource = `folders/${id}`;
        chain = [resource];
        let parent = ctx.world.folders.get(id)?.parent;
        while (parent) {
          chain.unshift(parent);
          parent = parent.startsWith('folders/')
            ? ctx.world.folders.get(parent.slice('folders/'.length))?.parent
            : undefined;
        }
      } else {
        if (!ctx.world.organizations.has(id)) throw denied();
        resource = `organizations/${id}`;
        chain = [resource];
      }
      if (!/^[a-zA-Z]+\.[a-zA-Z]+$/.test(constraintId)) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `Invalid policy name ${requested}: the constraint is service.constraintName, e.g. iam.allowedPolicyMemberDomains.`,
        );
      }
      const p = effectiveListPolicy(
        ctx.world,
        chain,
        `constraints/${constraintId}`,
      );
      let rule: Record<string, unknown>;
      if (p?.denyAll) rule = { denyAll: true };
      else if (!p || p.allowAll) rule = { allowAll: true };
      else {
        rule = {
          values: {
            ...(p.allowedValues.length > 0
              ? { allowedValues: p.allowedValues }
              : {}),
            ...(p.deniedValues.length > 0
              ? { deniedValues: p.deniedValues }
              : {}),
          },
        };
      }
      return {
        name: `${resource}/policies/${constraintId}`,
        spec: { rules: [rule] },
      };
    },
  };
}

/** Org Policy API v2: `getEffectivePolicy` of list constraints on projects, folders, organisations. */
export const orgPolicyRoutes: Route[] = [
  getEffectivePolicy('projects'),
  getEffectivePolicy('folders'),
  getEffectivePolicy('organizations'),
];
