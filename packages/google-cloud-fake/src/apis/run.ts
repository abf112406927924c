import { GoogleApiError, permissionDenied } from '../errors';
import { listResponse, path, RequestContext, Route } from '../http/routes';
import { knownRunRegions } from '../run/regions';
import type { FakeWorld, Project } from '../world';

const RUN = 'run.projects.locations';
const ANY_LOCATION = '-';

function projectFor(
  ctx: RequestContext,
  permission: string,
  resource: string,
): Project {
  const project = ctx.world.findProject(ctx.params[0]);
  if (!project) {
    throw permissionDenied(
      permission,
      `//run.googleapis.com/${resource}`,
      'run.googleapis.com',
    );
  }
  return project;
}

function checkRegion(region: string) {
  if (!knownRunRegions.includes(region)) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Location '${region}' is not a valid location. Use ListLocations to list valid locations.`,
    );
  }
}

function serviceContext(ctx: RequestContext, permission: string) {
  const [projectSegment, region, serviceId] = ctx.params;
  const resource = `projects/${projectSegment}/locations/${region}/services/${serviceId}`;
  const project = projectFor(ctx, permission, resource);
  checkRegion(region);
  return { project, projectSegment, region, serviceId, resource };
}

function existingService(ctx: RequestContext, permission: string) {
  const c = serviceContext(ctx, permission);
  const stored = ctx.world.run.find(c.project, c.region, c.serviceId);
  if (!stored)
    throw ctx.world.run.notFound(c.projectSegment, c.region, c.serviceId);
  return { ...c, stored };
}

function operationResult(ctx: RequestContext, result: unknown) {
  const op = result as { doneAt?: number };
  return op.doneAt !== undefined
    ? ctx.world.run.renderOperation(result as never)
    : result;
}

function runPolicyRules(world: FakeWorld, project: Project) {
  return {
    conditionsAllowed: false,
    isRoleSupported: (role: string) =>
      role.startsWith('roles/run.') ||
      ['roles/owner', 'roles/editor', 'roles/viewer'].includes(role) ||
      /^(projects|organizations)\//.test(role),
    checkAddedMembers(members: string[]) {
      world.checkDomainRestrictedSharing(project, members, 'run');
      world.checkIapServiceAgent(project, members);
    },
  };
}

const SERVICES = `/v2/projects/{}/locations/{}/services`;
const SERVICE = `${SERVICES}/{}`;
const OPERATIONS = `/v2/projects/{}/locations/{}/operations`;

/** Cloud Run Admin API v2: services, their IAM policies and long-running operations. */
export const runRoutes: Route[] = [
  {
    httpMethod: 'POST',
    pattern: path(SERVICES),
    methodId: `${RUN}.services.create`,
    write: true,
    handle(ctx) {
      const [projectSegment, region] = ctx.params;
      const project = projectFor(
        ctx,
        'run.services.create',
        `projects/${projectSegment}/locations/${region}`,
      );
      checkRegion(region);
      const serviceId =
        ctx.query.get('serviceId') ?? `service-${Date.now().toString(36)}`;
      return operationResult(
        ctx,
        ctx.world.run.create(
          project,
          projectSegment,
          region,
          serviceId,
          ctx.body ?? {},
          ctx.query.get('validateOnly') === 'true',
        ),
      );
    },
  },
  {
    httpMethod: 'GET',
    pattern: path(SERVICES),
    methodId: `${RUN}.services.list`,
    handle(ctx) {
      const [projectSegment, region] = ctx.params;
      const project = projectFor(
        ctx,
        'run.services.list',
        `projects/${projectSegment}/locations/${region}`,
      );
      // `locations/-` lists every region of the project, as Google does for a wildcard parent.
      if (region !== ANY_LOCATION) {
        checkRegion(region);
        return listResponse(
          'services',
          ctx.world.run.list(project, region),
          ctx.query,
          100,
          s => ctx.world.run.render(s, projectSegment),
        );
      }
      const { services, unreachable } = ctx.world.run.listAllRegions(project);
      return {
        ...listResponse('services', services, ctx.query, 100, s =>
          ctx.world.run.render(s, projectSegment),
        ),
        ...(unreachable.length > 0
          ? {
              unreachable: unreachable.map(
                r => `projects/${projectSegment}/locations/${r}`,
              ),
            }
          : {}),
      };
    },
  },
  {
    httpMethod: 'GET',
    pattern: path(SERVICE),
    methodId: `${RUN}.services.get`,
    handle(ctx) {
      const { stored, projectSegment } = existingService(
        ctx,
        'run.services.get',
      );
      return ctx.world.run.render(stored, projectSegment);
    },
  },
  {
    httpMethod: 'PATCH',
    pattern: path(SERVICE),
    methodId: `${RUN}.services.patch`,
    write: true,
    handle(ctx) {
      const c = serviceContext(ctx, 'run.services.update');
      const mask = ctx.query.get('updateMask');
      return operationResult(
        ctx,
        ctx.world.run.update(
          c.project,
          c.projectSegment,
          c.region,
          c.serviceId,
          ctx.body ?? {},
          {
            updateMask: mask
              ? mask
                  .split(',')
                  .map(m => m.trim())
                  .filter(Boolean)
              : undefined,
            allowMissing: ctx.query.get('allowMissing') === 'true',
            validateOnly: ctx.query.get('validateOnly') === 'true',
          },
        ),
      );
    },
  },
  {
    httpMethod: 'DELETE',
    pattern: path(SERVICE),
    methodId: `${RUN}.services.delete`,
    write: true,
    handle(ctx) {
      const c = serviceContext(ctx, 'run.services.delete');
      return operationResult(
        ctx,
        ctx.world.run.delete(
          c.project,
          c.projectSegment,
          c.region,
          c.serviceId,
          {
            etag: ctx.query.get('etag') ?? undefined,
            validateOnly: ctx.query.get('validateOnly') === 'true',
          },
        ),
      );
    },
  },
  {
    httpMethod: 'GET',
    pattern: path(`${SERVICE}:getIamPolicy`),
    methodId: `${RUN}.services.getIamPolicy`,
    handle(ctx) {
      const { project, region, serviceId } = existingService(
        ctx,
        'run.services.getIamPolicy',
      );
      return ctx.world.iam.get(
        ctx.world.run.iamKey(project, region, serviceId),
        Number(ctx.query.get('options.requestedPolicyVersion') ?? 0),
      );
    },
  },
  {
    httpMethod: 'POST',
    pattern: path(`${SERVICE}:setIamPolicy`),
    methodId: `${RUN}.services.setIamPolicy`,
    write: true,
    handle(ctx) {
      const { project, region, serviceId } = existingService(
        ctx,
        'run.services.setIamPolicy',
      );
      return ctx.world.iam.set(
        ctx.world.run.iamKey(project, region, serviceId),
        ctx.body?.policy,
        runPolicyRules(ctx.world, project),
      );
    },
  },
  {
    httpMethod: 'POST',
    pattern: path(`${SERVICE}:testIamPermissions`),
    methodId: `${RUN}.services.testIamPermissions`,
    handle(ctx) {
      existingService(ctx, 'run.services.get');
      const permissions: string[] = ctx.body?.permissions ?? [];
      return permissions.length > 0 ? { permissions } : {};
    },
  },
  {
    httpMethod: 'GET',
    pattern: path(`${OPERATIONS}/{}`),
    methodId: `${RUN}.operations.get`,
    handle(ctx) {
      const [p, region, id] = ctx.params;
      const name = `projects/${p}/locations/${region}/operations/${id}`;
      const op = ctx.world.run.operation(name);
      if (!op)
        throw new GoogleApiError('NOT_FOUND', `Operation ${name} not found.`);
      return op;
    },
  },
  {
    httpMethod: 'POST',
    pattern: path(`${OPERATIONS}/{}:wait`),
    methodId: `${RUN}.operations.wait`,
    async handle(ctx) {
      const [p, region, id] = ctx.params;
      const name = `projects/${p}/locations/${region}/operations/${id}`;
      const op = ctx.world.run.findOperation(name);
      if (!op)
        throw new GoogleApiError('NOT_FOUND', `Operation ${name} not found.`);
      const timeout = /^(\d+(?:\.\d+)?)s$/.exec(ctx.body?.timeout ?? '');
      const waitMs = Math.min(
        timeout ? Number(timeout[1]) * 1000 : 60_000,
        Math.max(0, op.doneAt - ctx.world.now()),
      );
      if (waitMs > 0) {
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, waitMs);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return ctx.world.run.renderOperation(op);
    },
  },
  {
    httpMethod: 'GET',
    pattern: path(OPERATIONS),
    methodId: `${RUN}.operations.list`,
    handle(ctx) {
      const [projectSegment, region] = ctx.params;
      const project = projectFor(
        ctx,
        'run.operations.list',
        `projects/${projectSegment}/locations/${region}`,
      );
      const ops = ctx.world.run.operations(project, region);
      return listResponse('operations', ops, ctx.query, 100, op =>
        ctx.world.run.renderOperation(op),
      );
    },
  },
];
