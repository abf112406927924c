import { createHash } from 'node:crypto';
import { GoogleApiError, permissionDenied } from '../errors';
import { HttpMethod, RequestContext, Route } from '../http/routes';
import { knownRunRegions } from '../run/regions';
import { iapResourceKey } from '../world';

/**
 * `projects/{number}/iap_web[/cloud_run-{region}[/services/{service}]]`, followed by the
 * custom verb. Other IAP resource types (compute, app engine) are not served.
 */
const resourcePattern = (verb: string) =>
  new RegExp(
    `^/v1/projects/([^/:]+)/iap_web(?:/cloud_run-([a-z0-9-]+)(?:/services/([^/:]+))?)?:${verb}$`,
  );

/** Resolves an IAP resource path and checks it the way IAP does. */
function resolveResource(ctx: RequestContext, permission: string) {
  const [projectSegment, region, serviceId] = ctx.params;
  const asGiven = `projects/${projectSegment}/iap_web${
    region ? `/cloud_run-${region}` : ''
  }${serviceId ? `/services/${serviceId}` : ''}`;
  const project = ctx.world.findProject(projectSegment);
  if (!project) {
    throw permissionDenied(
      permission,
      `//iap.googleapis.com/${asGiven}`,
      'iap.googleapis.com',
    );
  }
  if (projectSegment !== project.number) {
    // Cloud Run IAP resources are only addressable by project number (see README).
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Invalid IAP resource name '${asGiven}': identify the project by its number (projects/${project.number}/...), not its ID.`,
    );
  }
  if (region && !knownRunRegions.includes(region)) {
    throw new GoogleApiError(
      'NOT_FOUND',
      `Resource '${asGiven}' was not found.`,
    );
  }
  if (serviceId && !ctx.world.run.find(project, region!, serviceId)) {
    throw new GoogleApiError(
      'NOT_FOUND',
      `Resource '${asGiven}' was not found.`,
    );
  }
  return { project, key: iapResourceKey(project.number, region, serviceId) };
}

function setPath(target: Record<string, any>, path: string[], value: unknown) {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part];
  }
  const leaf = path[path.length - 1];
  if (value === undefined) delete node[leaf];
  else node[leaf] = structuredClone(value);
}

function getPath(source: Record<string, any> | undefined, path: string[]) {
  return path.reduce<any>((node, part) => node?.[part], source);
}

function updateSettings(ctx: RequestContext, key: string) {
  const body = { ...(ctx.body ?? {}) };
  delete body.name;
  const mask = ctx.query.get('updateMask');
  let settings: Record<string, any>;
  if (mask) {
    settings = structuredClone(ctx.world.iapSettings.get(key) ?? {});
    for (const raw of mask
      .split(',')
      .map(m => m.trim())
      .filter(Boolean)) {
      const parts = raw.replace(/^iapSettings\./, '').split('.');
      if (!['accessSettings', 'applicationSettings'].includes(parts[0])) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `Invalid update mask path: ${raw}`,
        );
      }
      setPath(settings, parts, getPath(body, parts));
    }
  } else {
    settings = body;
  }
  const oauth = settings.accessSettings?.oauthSettings;
  if (oauth?.clientSecret) {
    oauth.clientSecretSha256 = createHash('sha256')
      .update(oauth.clientSecret)
      .digest('hex');
    delete oauth.clientSecret;
  }
  ctx.world.iapSettings.set(key, settings);
  return { name: key, ...structuredClone(settings) };
}

const iamRoute = (
  verb: string,
  httpMethod: HttpMethod,
  handle: (ctx: RequestContext, key: string, projectNumber: string) => unknown,
  write = false,
  methodId = `iap.${verb}`,
): Route => ({
  httpMethod,
  pattern: resourcePattern(verb),
  methodId,
  write,
  handle(ctx) {
    const { project, key } = resolveResource(ctx, `iap.web.${verb}`);
    return handle(ctx, key, project.number);
  },
});

/** IAP API v1: IAM policies and settings of `iap_web` resources for Cloud Run. */
export const iapRoutes: Route[] = [
  iamRoute('getIamPolicy', 'POST', (ctx, key) =>
    ctx.world.iam.get(
      key,
      Number(ctx.body?.options?.requestedPolicyVersion ?? 0),
    ),
  ),
  iamRoute(
    'setIamPolicy',
    'POST',
    (ctx, key, projectNumber) => {
      const project = ctx.world.projectsByNumber.get(projectNumber)!;
      return ctx.world.iam.set(key, ctx.body?.policy, {
        conditionsAllowed: true,
        isRoleSupported: role =>
          role.startsWith('roles/iap.') ||
          /^(projects|organizations)\//.test(role),
        checkAddedMembers: members =>
          ctx.world.checkDomainRestrictedSharing(project, members, 'run'),
      });
    },
    true,
  ),
  iamRoute('testIamPermissions', 'POST', ctx => {
    const permissions: string[] = ctx.body?.permissions ?? [];
    return permissions.length > 0 ? { permissions } : {};
  }),
  iamRoute(
    'iapSettings',
    'GET',
    (ctx, key) => ({
      name: key,
      ...structuredClone(ctx.world.iapSettings.get(key) ?? {}),
    }),
    false,
    'iap.getIapSettings',
  ),
  iamRoute(
    'iapSettings',
    'PATCH',
    (ctx, key) => updateSettings(ctx, key),
    true,
    'iap.updateIapSettings',
  ),
  ...(['organizations', 'folders', 'projects'] as const).flatMap(settingsAbove),
];

/** `organizations/{id}`, `folders/{id}`, `projects/{number}`: the levels above `iap_web`. */
function settingsKey(
  ctx: RequestContext,
  kind: 'organizations' | 'folders' | 'projects',
  permission: string,
): string {
  const id = ctx.params[0];
  const resource = `${kind}/${id}`;
  const denied = () =>
    permissionDenied(
      permission,
      `//iap.googleapis.com/${resource}`,
      'iap.googleapis.com',
    );
  if (kind === 'organizations') {
    if (!ctx.world.organizations.has(id)) throw denied();
    return resource;
  }
  if (kind === 'folders') {
    if (!ctx.world.folders.has(id)) throw denied();
    return resource;
  }
  const project = ctx.world.findProject(id);
  if (!project) throw denied();
  if (id !== project.number) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Invalid IAP resource name '${resource}': identify the project by its number (projects/${project.number}), not its ID.`,
    );
  }
  return resource;
}

function settingsAbove(
  kind: 'organizations' | 'folders' | 'projects',
): Route[] {
  const pattern = new RegExp(`^/v1/${kind}/([^/:]+):iapSettings$`);
  return [
    {
      httpMethod: 'GET',
      pattern,
      methodId: 'iap.getIapSettings',
      handle(ctx) {
        const key = settingsKey(ctx, kind, 'iap.web.getSettings');
        return {
          name: key,
          ...structuredClone(ctx.world.iapSettings.get(key) ?? {}),
        };
      },
    },
    {
      httpMethod: 'PATCH',
      pattern,
      methodId: 'iap.updateIapSettings',
      write: true,
      handle: ctx =>
        updateSettings(ctx, settingsKey(ctx, kind, 'iap.web.updateSettings')),
    },
  ];
}
