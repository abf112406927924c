import { GoogleApiError } from '../errors';
import { listResponse, path, RequestContext, Route } from '../http/routes';
import type { AccessPolicyRecord } from '../world';

function renderPolicy(ap: AccessPolicyRecord) {
  return {
    name: `accessPolicies/${ap.number}`,
    parent: ap.parent,
    title: ap.title,
    ...(ap.scopes.length > 0 ? { scopes: ap.scopes } : {}),
    etag: ap.etag,
  };
}

function accessPolicy(ctx: RequestContext): AccessPolicyRecord {
  const ap = ctx.world.accessPolicies.get(ctx.params[0]);
  if (!ap) {
    throw new GoogleApiError(
      'NOT_FOUND',
      `AccessPolicy "accessPolicies/${ctx.params[0]}" not found.`,
    );
  }
  return ap;
}

/** Access Context Manager API v1: access policies, access levels and service perimeters (read). */
export const accessContextManagerRoutes: Route[] = [
  {
    httpMethod: 'GET',
    pattern: path('/v1/accessPolicies'),
    methodId: 'accesscontextmanager.accessPolicies.list',
    handle(ctx) {
      const parent = ctx.query.get('parent');
      if (!parent) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          'Request is missing required field: parent (organizations/{organization_id}).',
        );
      }
      if (!/^organizations\/[0-9]+$/.test(parent)) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `Invalid parent '${parent}': must be organizations/{organization_id}.`,
        );
      }
      const policies = [...ctx.world.accessPolicies.values()].filter(
        ap => ap.parent === parent,
      );
      return listResponse(
        'accessPolicies',
        policies,
        ctx.query,
        100,
        renderPolicy,
      );
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/accessPolicies/{}'),
    methodId: 'accesscontextmanager.accessPolicies.get',
    handle: ctx => renderPolicy(accessPolicy(ctx)),
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/accessPolicies/{}/accessLevels'),
    methodId: 'accesscontextmanager.accessPolicies.accessLevels.list',
    handle(ctx) {
      const levels = [...accessPolicy(ctx).levels.values()];
      return listResponse('accessLevels', levels, ctx.query, 100, l =>
        structuredClone(l),
      );
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/accessPolicies/{}/accessLevels/{}'),
    methodId: 'accesscontextmanager.accessPolicies.accessLevels.get',
    handle(ctx) {
      const level = accessPolicy(ctx).levels.get(ctx.params[1]);
      if (!level) {
        throw new GoogleApiError(
          'NOT_FOUND',
          `AccessLevel "accessPolicies/${ctx.params[0]}/accessLevels/${ctx.params[1]}" not found.`,
        );
      }
      return structuredClone(level);
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/accessPolicies/{}/servicePerimeters'),
    methodId: 'accesscontextmanager.accessPolicies.servicePerimeters.list',
    handle(ctx) {
      const perimeters = [...accessPolicy(ctx).perimeters.values()];
      return listResponse('servicePerimeters', perimeters, ctx.query, 100, p =>
        structuredClone(p),
      );
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1/accessPolicies/{}/servicePerimeters/{}'),
    methodId: 'accesscontextmanager.accessPolicies.servicePerimeters.get',
    handle(ctx) {
      const perimeter = accessPolicy(ctx).perimeters.get(ctx.params[1]);
      if (!perimeter) {
        throw new GoogleApiError(
          'NOT_FOUND',
          `ServicePerimeter "accessPolicies/${ctx.params[0]}/servicePerimeters/${ctx.params[1]}" not found.`,
        );
      }
      return structuredClone(perimeter);
    },
  },
];
