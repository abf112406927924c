import { GoogleApiError, permissionDenied } from '../errors';
import { path, Route } from '../http/routes';
import type { Project } from '../world';

const SEEDED_TIME = '2024-01-15T09:30:00.000000Z';

/** A secret's metadata as the fake keeps it (no versions or payloads: the portal reads none). */
export interface StoredSecret {
  projectNumber: string;
  id: string;
  labels: Record<string, string>;
}

/** The secrets of every project, keyed by `projects/{number}/secrets/{id}`. */
export class SecretStore {
  readonly #secrets = new Map<string, StoredSecret>();

  clear() {
    this.#secrets.clear();
  }

  add(
    project: Project,
    secret: { id: string; labels?: Record<string, string> },
  ) {
    const stored: StoredSecret = {
      projectNumber: project.number,
      id: secret.id,
      labels: { ...(secret.labels ?? {}) },
    };
    this.#secrets.set(
      `projects/${project.number}/secrets/${secret.id}`,
      stored,
    );
  }

  find(project: Project, id: string): StoredSecret | undefined {
    return this.#secrets.get(`projects/${project.number}/secrets/${id}`);
  }

  dump() {
    return [...this.#secrets.values()].map(renderSecret);
  }
}

/** The Secret Manager v1 Secret resource: Google names it by project number. */
export function renderSecret(s: StoredSecret) {
  const name = `projects/${s.projectNumber}/secrets/${s.id}`;
  return {
    name,
    replication: { automatic: {} },
    createTime: SEEDED_TIME,
    ...(Object.keys(s.labels).length > 0 ? { labels: s.labels } : {}),
    etag: `"${Buffer.from(name).toString('hex').slice(-14)}"`,
  };
}

/** Secret Manager API v1: a secret's metadata (`projects.secrets.get`). */
export const secretManagerRoutes: Route[] = [
  {
    httpMethod: 'GET',
    pattern: path('/v1/projects/{}/secrets/{}'),
    methodId: 'secretmanager.projects.secrets.get',
    handle(ctx) {
      const [projectSegment, id] = ctx.params;
      const project = ctx.world.findProject(projectSegment);
      if (!project) {
        throw permissionDenied(
          'secretmanager.secrets.get',
          `projects/${projectSegment}/secrets/${id}`,
          'secretmanager.googleapis.com',
        );
      }
      const secret = ctx.world.secrets.find(project, id);
      if (!secret) {
        throw new GoogleApiError(
          'NOT_FOUND',
          `Secret [projects/${project.number}/secrets/${id}] not found.`,
        );
      }
      return renderSecret(secret);
    },
  },
];
