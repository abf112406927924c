import { createHash } from 'node:crypto';
import { GoogleApiError, permissionDenied } from '../errors';
import { path, RequestContext, Route } from '../http/routes';
import { predefinedRoles } from '../iam/predefinedRoles';

function notFound(name: string) {
  return new GoogleApiError(
    'NOT_FOUND',
    `The role named ${name} was not found.`,
  );
}

function customRole(ctx: RequestContext, kind: 'projects' | 'organizations') {
  const [parentId, roleId] = ctx.params;
  const requested = `${kind}/${parentId}/roles/${roleId}`;
  let parent: string | undefined;
  if (kind === 'projects') {
    parent = ctx.world.findProject(parentId)?.id;
  } else if (ctx.world.organizations.has(parentId)) {
    parent = parentId;
  }
  if (!parent) {
    throw permissionDenied(
      'iam.roles.get',
      `//iam.googleapis.com/${requested}`,
    );
  }
  const name = `${kind}/${parent}/roles/${roleId}`;
  const role = ctx.world.customRoles.get(name);
  if (!role) throw notFound(requested);
  return {
    name,
    title: role.title,
    ...(role.description ? { description: role.description } : {}),
    includedPermissions: [...role.includedPermissions],
    stage: role.stage,
    etag: `Bw${createHash('sha256')
      .update(JSON.stringify(role))
      .digest('base64')
      .slice(0, 10)}=`,
    ...(role.deleted ? { deleted: true } : {}),
  };
}

/** IAM API v1: predefined roles and custom roles of projects and organisations. */
export const iamRoleRoutes: Route[] = [
  {
    httpMethod: 'GET',
    pattern: path('/v1/roles/{}'),
    methodId: 'iam.roles.get',
    handle(ctx) {
      const name = `roles/${ctx.params[0]}`;
      const role = predefinedRoles.get(name);
      if (!role) throw notFound(name);
      return structuredClone(role);
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/projects/{}/roles/{}'),
    methodId: 'iam.projects.roles.get',
    handle: ctx => customRole(ctx, 'projects'),
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/organizations/{}/roles/{}'),
    methodId: 'iam.organizations.roles.get',
    handle: ctx => customRole(ctx, 'organizations'),
  },
];
