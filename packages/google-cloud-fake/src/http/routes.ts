import type { FakeWorld } from '../world';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestContext {
  params: string[];
  query: URLSearchParams;
  body: any;
  world: FakeWorld;
  /** Resolves when the client went away; long polls stop waiting then. */
  signal: AbortSignal;
}

export interface Route {
  httpMethod: HttpMethod;
  /** Matched against the raw path: segments may contain `:` (`…/services/x:getIamPolicy`). */
  pattern: RegExp;
  /** The discovery method id, e.g. `run.projects.locations.services.get`; faults match on it. */
  methodId: string;
  /** Methods that change state; `/__fake/requests` marks them so tests can assert "no writes". */
  write?: boolean;
  handle(ctx: RequestContext): unknown | Promise<unknown>;
}

const SEGMENT = '([^/:]+)';

/** Turns `/v2/projects/{}/locations/{}/services` into an anchored RegExp with one group per `{}`. */
export function path(template: string): RegExp {
  const escaped = template
    .split('{}')
    .map(part => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join(SEGMENT);
  return new RegExp(`^${escaped}$`);
}

/** Page of a list, with Google's opaque `nextPageToken`. */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  defaultPageSize: number,
  maxPageSize = 1000,
): { page: T[]; nextPageToken?: string } {
  const requested = Number(query.get('pageSize') ?? 0);
  const pageSize = Math.min(
    requested > 0 ? requested : defaultPageSize,
    maxPageSize,
  );
  const token = query.get('pageToken');
  let offset = 0;
  if (token) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8'));
    offset = Number.isInteger(decoded) && decoded >= 0 ? decoded : 0;
  }
  const page = items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return next < items.length
    ? { page, nextPageToken: Buffer.from(String(next)).toString('base64url') }
    : { page };
}

/** A list answer in Google's shape: the field and `nextPageToken` are left out when empty. */
export function listResponse<T, R>(
  field: string,
  items: T[],
  query: URLSearchParams,
  defaultPageSize: number,
  render: (item: T) => R,
): Record<string, unknown> {
  const { page, nextPageToken } = paginate(items, query, defaultPageSize);
  return {
    ...(page.length > 0 ? { [field]: page.map(render) } : {}),
    ...(nextPageToken ? { nextPageToken } : {}),
  };
}
