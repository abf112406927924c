import { GoogleApiError } from '../errors';
import { paginate, path, RequestContext, Route } from '../http/routes';
import type { SeedGroup } from '../seed/schema';
import type { FakeWorld } from '../world';

type Relation = 'DIRECT' | 'INDIRECT' | 'DIRECT_AND_INDIRECT';

function readable(ctx: RequestContext, resource: string) {
  if (!ctx.world.seed.groupsReadable) {
    throw new GoogleApiError(
      'PERMISSION_DENIED',
      `Error(2028): Permission denied for resource ${resource} (or it may not exist).`,
    );
  }
}

/** The group `groups/{id}`, or 403 as Cloud Identity answers for one it will not show. */
function groupById(ctx: RequestContext, id: string) {
  readable(ctx, `groups/${id}`);
  const group = [...ctx.world.groups.values()].find(g => g.id === id);
  if (!group) {
    throw new GoogleApiError(
      'PERMISSION_DENIED',
      `Error(2028): Permission denied for resource groups/${id} (or it may not exist).`,
    );
  }
  return group;
}

function renderGroup(group: SeedGroup & { id: string }) {
  return {
    name: `groups/${group.id}`,
    groupKey: { id: group.email },
    parent: 'customers/C0fake',
    displayName: group.displayName ?? group.email.split('@')[0],
    ...(group.description ? { description: group.description } : {}),
    labels: { 'cloudidentity.googleapis.com/groups.discussion_forum': '' },
  };
}

function relationOf(how: Set<'direct' | 'indirect'>): Relation {
  if (how.size === 2) return 'DIRECT_AND_INDIRECT';
  return how.has('direct') ? 'DIRECT' : 'INDIRECT';
}

/** Every member reachable from a group, with how: its own members, or through nested groups. */
export function transitiveMembers(world: FakeWorld, email: string) {
  const relations = new Map<string, Set<'direct' | 'indirect'>>();
  const visited = new Set<string>([email.toLowerCase()]);
  const walk = (groupEmail: string, direct: boolean) => {
    for (const member of world.groups.get(groupEmail)?.members ?? []) {
      const key = member.toLowerCase();
      const seen = relations.get(key) ?? new Set();
      seen.add(direct ? 'direct' : 'indirect');
      relations.set(key, seen);
      const nested = key.startsWith('group:') ? key.slice(6) : undefined;
      if (nested && !visited.has(nested)) {
        visited.add(nested);
        walk(nested, false);
      }
    }
  };
  walk(email.toLowerCase(), true);
  return [...relations.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([member, how]) => ({
      member,
      relationType: relationOf(how),
    }));
}

function memberResource(world: FakeWorld, member: string) {
  const [kind, email] = [
    member.slice(0, member.indexOf(':')),
    member.slice(member.indexOf(':') + 1),
  ];
  if (kind === 'group') return `groups/${world.groups.get(email)?.id}`;
  let hash = 0;
  for (const c of email) hash = (hash * 31 + c.charCodeAt(0)) % 1e12;
  return `users/1${String(hash).padStart(12, '0')}`;
}

/** `member_key_id == 'x'`, optionally `&& member_key_namespace == 'y'`, as the API documents. */
function memberKeyOf(query: string | null): string {
  const match =
    /^\s*member_key_id\s*==\s*'((?:[^'\\]|\\.)+)'\s*(&&\s*member_key_namespace\s*==\s*'[^']*'\s*)?$/.exec(
      query ?? '',
    );
  if (!match) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Request contains an invalid argument: query must be member_key_id == '<email>' (got ${JSON.stringify(
        query ?? '',
      )}).`,
    );
  }
  return match[1].replace(/\\(.)/g, '$1').toLowerCase();
}

/** Cloud Identity Groups API v1: groups lookup and get, transitive memberships. */
export const cloudIdentityRoutes: Route[] = [
  {
    httpMethod: 'GET',
    pattern: path('/v1/groups:lookup'),
    methodId: 'cloudidentity.groups.lookup',
    handle(ctx) {
      const email = ctx.query.get('groupKey.id');
      if (!email) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          'Request contains an invalid argument: groupKey.id is required.',
        );
      }
      readable(ctx, `groups/${email}`);
      const group = ctx.world.groups.get(email.toLowerCase());
      if (!group) {
        throw new GoogleApiError(
          'PERMISSION_DENIED',
          `Error(2028): Permission denied for resource ${email} (or it may not exist).`,
        );
      }
      return { name: `groups/${group.id}` };
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/groups/{}'),
    methodId: 'cloudidentity.groups.get',
    handle: ctx => renderGroup(groupById(ctx, ctx.params[0])),
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/groups/{}/memberships:searchTransitiveMemberships'),
    methodId: 'cloudidentity.groups.memberships.searchTransitiveMemberships',
    handle(ctx) {
      const group = groupById(ctx, ctx.params[0]);
      const members = transitiveMembers(ctx.world, group.email);
      const { page, nextPageToken } = paginate(members, ctx.query, 200, 500);
      return {
        ...(page.length > 0
          ? {
              memberships: page.map(m => ({
                member: memberResource(ctx.world, m.member),
                preferredMemberKey: [
                  { id: m.member.slice(m.member.indexOf(':') + 1) },
                ],
                roles: [{ role: 'MEMBER' }],
                relationType: m.relationType,
              })),
            }
          : {}),
        ...(nextPageToken ? { nextPageToken } : {}),
      };
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/groups/{}/memberships:checkTransitiveMembership'),
    methodId: 'cloudidentity.groups.memberships.checkTransitiveMembership',
    handle(ctx) {
      const group = groupById(ctx, ctx.params[0]);
      const key = memberKeyOf(ctx.query.get('query'));
      const found = transitiveMembers(ctx.world, group.email).some(
        m => m.member.slice(m.member.indexOf(':') + 1) === key,
      );
      return found ? { hasMembership: true } : {};
    },
  },
];
