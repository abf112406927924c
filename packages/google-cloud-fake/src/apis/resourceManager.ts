import { GoogleApiError, permissionDenied } from '../errors';
import { listResponse, path, RequestContext, Route } from '../http/routes';
import type { Project } from '../world';

const CRM = '//cloudresourcemanager.googleapis.com';
const SEEDED_TIME = '2024-01-15T09:30:00.000Z';

function renderProject(p: Project) {
  return {
    name: `projects/${p.number}`,
    ...(p.parent ? { parent: p.parent } : {}),
    projectId: p.id,
    state: 'ACTIVE',
    displayName: p.displayName,
    createTime: SEEDED_TIME,
    updateTime: SEEDED_TIME,
    etag: `W/"${Buffer.from(p.id).toString('hex').slice(0, 16)}"`,
    ...(Object.keys(p.labels).length > 0 ? { labels: p.labels } : {}),
  };
}

function projectOr403(ctx: RequestContext, permission: string): Project {
  const project = ctx.world.findProject(ctx.params[0]);
  if (!project) {
    throw permissionDenied(
      permission,
      `${CRM}/projects/${ctx.params[0]}`,
      'cloudresourcemanager.googleapis.com',
    );
  }
  return project;
}

/** Resolves `projects/x`, `folders/x` or `organizations/x` for IAM calls. */
function iamTarget(
  ctx: RequestContext,
  kind: 'projects' | 'folders' | 'organizations',
  verb: string,
) {
  const id = ctx.params[0];
  const deny = () =>
    permissionDenied(
      `resourcemanager.${kind}.${verb}`,
      `${CRM}/${kind}/${id}`,
      'cloudresourcemanager.googleapis.com',
    );
  if (kind === 'projects') {
    const project = ctx.world.findProject(id);
    if (!project || !project.iamReadable) throw deny();
    return { key: `projects/${project.number}`, project };
  }
  const node =
    kind === 'folders'
      ? ctx.world.folders.get(id)
      : ctx.world.organizations.get(id);
  if (!node || !node.iamReadable) throw deny();
  return { key: `${kind}/${id}`, project: undefined };
}

/** A small subset of Resource Manager's search syntax: `key:value` terms ANDed, `*` wildcards. */
function matchesQuery(p: Project, query: string): boolean {
  const terms = query.match(/\S+:\S+/g) ?? [];
  return terms.every(term => {
    const [rawKey, ...rest] = term.split(':');
    const value = rest.join(':').replace(/^"|"$/g, '').toLowerCase();
    const key = rawKey.toLowerCase();
    const like = (candidate: string | undefined) => {
      if (candidate === undefined) return false;
      const pattern = new RegExp(
        `^${value
          .split('*')
          .map(v => v.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      return pattern.test(candidate.toLowerCase());
    };
    switch (key) {
      case 'id':
      case 'projectid':
        return like(p.id);
      case 'name':
      case 'displayname':
        return like(p.displayName);
      case 'parent':
        return like(p.parent);
      case 'parent.id':
        return like(p.parent?.split('/')[1]);
      case 'state':
      case 'lifecyclestate':
        return value === 'active';
      case 'projectnumber':
        return like(p.number);
      default:
        if (key.startsWith('labels.')) return like(p.labels[key.slice(7)]);
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          `Unknown field in query: ${rawKey}`,
        );
    }
  });
}

function iamRoutes(kind: 'projects' | 'folders' | 'organizations'): Route[] {
  return [
    {
      httpMethod: 'POST',
      pattern: path(`/v3/${kind}/{}:getIamPolicy`),
      methodId: `cloudresourcemanager.${kind}.getIamPolicy`,
      handle(ctx) {
        const { key } = iamTarget(ctx, kind, 'getIamPolicy');
        return ctx.world.iam.get(
          key,
          Number(ctx.body?.options?.requestedPolicyVersion ?? 0),
        );
      },
    },
    {
      httpMethod: 'POST',
      pattern: path(`/v3/${kind}/{}:setIamPolicy`),
      methodId: `cloudresourcemanager.${kind}.setIamPolicy`,
      write: true,
      handle(ctx) {
        const { key, project } = iamTarget(ctx, kind, 'setIamPolicy');
        return ctx.world.iam.set(key, ctx.body?.policy, {
          conditionsAllowed: true,
          isRoleSupported: () => true,
          checkAddedMembers: members => {
            if (project)
              ctx.world.checkDomainRestrictedSharing(project, members, 'crm');
          },
        });
      },
    },
  ];
}

/** Cloud Resource Manager API v3: projects, folders, organizations and their IAM policies. */
export const resourceManagerRoutes: Route[] = [
  {
    httpMethod: 'GET',
    pattern: path('/v3/projects:search'),
    methodId: 'cloudresourcemanager.projects.search',
    handle(ctx) {
      const query = ctx.query.get('query') ?? '';
      const matches = [...ctx.world.projects.values()].filter(p =>
        matchesQuery(p, query),
      );
      return listResponse('projects', matches, ctx.query, 500, renderProject);
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v3/projects'),
    methodId: 'cloudresourcemanager.projects.list',
    handle(ctx) {
      const parent = ctx.query.get('parent');
      if (!parent) {
        throw new GoogleApiError(
          'INVALID_ARGUMENT',
          'Request is missing required field: parent.',
        );
      }
      const children = [...ctx.world.projects.values()].filter(
        p => p.parent === parent,
      );
      return listResponse('projects', children, ctx.query, 500, renderProject);
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v3/projects/{}'),
    methodId: 'cloudresourcemanager.projects.get',
    handle: ctx =>
      renderProject(projectOr403(ctx, 'resourcemanager.projects.get')),
  },
  {
    httpMethod: 'GET',
    pattern: path('/v3/folders/{}'),
    methodId: 'cloudresourcemanager.folders.get',
    handle(ctx) {
      const folder = ctx.world.folders.get(ctx.params[0]);
      if (!folder) {
        throw permissionDenied(
          'resourcemanager.folders.get',
          `${CRM}/folders/${ctx.params[0]}`,
          'cloudresourcemanager.googleapis.com',
        );
      }
      return {
        name: `folders/${folder.id}`,
        parent: folder.parent,
        displayName: folder.displayName,
        state: 'ACTIVE',
        createTime: SEEDED_TIME,
        updateTime: SEEDED_TIME,
        etag: `W/"${folder.id}"`,
      };
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v3/organizations/{}'),
    methodId: 'cloudresourcemanager.organizations.get',
    handle(ctx) {
      const org = ctx.world.organizations.get(ctx.params[0]);
      if (!org) {
        throw permissionDenied(
          'resourcemanager.organizations.get',
          `${CRM}/organizations/${ctx.params[0]}`,
          'cloudresourcemanager.googleapis.com',
        );
      }
      return {
        name: `organizations/${org.id}`,
        displayName: org.domain,
        directoryCustomerId: org.directoryCustomerId,
        state: 'ACTIVE',
        createTime: SEEDED_TIME,
        updateTime: SEEDED_TIME,
        etag: `W/"${org.id}"`,
      };
    },
  },
  ...iamRoutes('projects'),
  ...iamRoutes('folders'),
  ...iamRoutes('organizations'),
];
