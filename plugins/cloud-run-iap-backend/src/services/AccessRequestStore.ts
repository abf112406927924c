import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  AccessEvent,
  AccessEventKind,
  AccessRequest,
  AccessRequestDuration,
  AccessRequestStatus,
} from './accessRequestTypes';

const migrationsDir = resolvePackagePath(
  '@internal-apps/plugin-cloud-run-iap-backend',
  'migrations',
);

interface RequestRow {
  id: string;
  entity_ref: string;
  service: string;
  requester: string;
  member: string;
  justification: string;
  duration: string;
  status: string;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_comment: string | null;
  expires_at: string | null;
  request_expires_at: string;
}

interface EventRow {
  id: string;
  entity_ref: string;
  service: string;
  kind: string;
  actor: string;
  members: string;
  detail: string | null;
  request_id: string | null;
  at: string;
}

function toRequest(row: RequestRow): AccessRequest {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    service: row.service,
    requester: row.requester,
    member: row.member,
    justification: row.justification,
    duration: row.duration as AccessRequestDuration,
    status: row.status as AccessRequestStatus,
    createdAt: row.created_at,
    ...(row.decided_at ? { decidedAt: row.decided_at } : {}),
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.decision_comment ? { comment: row.decision_comment } : {}),
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    requestExpiresAt: row.request_expires_at,
  };
}

function toEvent(row: EventRow): AccessEvent {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    service: row.service,
    kind: row.kind as AccessEventKind,
    actor: row.actor,
    members: JSON.parse(row.members),
    ...(row.detail ? { detail: row.detail } : {}),
    ...(row.request_id ? { requestId: row.request_id } : {}),
    at: row.at,
  };
}

/** A unique index refused the row (SQLite, PostgreSQL and MySQL spell it differently). */
function isUniqueViolation(error: unknown): boolean {
  const { code } = error as { code?: string };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'ER_DUP_ENTRY'
  );
}

export interface NewAccessRequest {
  entityRef: string;
  service: string;
  requester: string;
  member: string;
  justification: string;
  duration: AccessRequestDuration;
  createdAt: string;
  requestExpiresAt: string;
}

export type NewAccessEvent = Omit<AccessEvent, 'id'>;

/**
 * The `access_requests` and `access_events` tables of the plugin's database
 * (`coreServices.database`: SQLite locally, PostgreSQL in production). Times are ISO 8601 UTC
 * strings, compared as text. Every status change is conditional on the status it leaves, so
 * two replicas deciding the same request cannot both win.
 */
export class AccessRequestStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<AccessRequestStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({ directory: migrationsDir });
    }
    return new AccessRequestStore(db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /**
   * Stores a pending request; a ConflictError when the requester already has a pending request
   * for the app (checked here, and by a partial unique index against concurrent inserts).
   */
  async insertPending(request: NewAccessRequest): Promise<AccessRequest> {
    const row: RequestRow = {
      id: randomUUID(),
      entity_ref: request.entityRef,
      service: request.service,
      requester: request.requester,
      member: request.member,
      justification: request.justification,
      duration: request.duration,
      status: 'pending',
      created_at: request.createdAt,
      decided_at: null,
      decided_by: null,
      decision_comment: null,
      expires_at: null,
      request_expires_at: request.requestExpiresAt,
    };
    const conflict = (existing?: string) =>
      new ConflictError(
        `You already have a pending access request for ${request.entityRef}${
          existing ? ` (${existing})` : ''
        }: wait for its decision, or until it expires, before asking again`,
      );
    try {
      await this.#db.transaction(async tx => {
        const existing = await tx<RequestRow>('access_requests')
          .where({
            entity_ref: request.entityRef,
            requester: request.requester,
            status: 'pending',
          })
          .first('id');
        if (existing) throw conflict(existing.id);
        await tx('access_requests').insert(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict();
      throw error;
    }
    return toRequest(row);
  }

  async get(id: string): Promise<AccessRequest | undefined> {
    const row = await this.#db<RequestRow>('access_requests')
      .where({ id })
      .first();
    return row ? toRequest(row) : undefined;
  }

  /** Newest first. */
  async list(filter: {
    entityRefs?: readonly string[];
    requester?: string;
    status?: AccessRequestStatus;
  }): Promise<AccessRequest[]> {
    const query = this.#db<RequestRow>('access_requests');
    if (filter.entityRefs) query.whereIn('entity_ref', [...filter.entityRefs]);
    if (filter.requester) query.where('requester', filter.requester);
    if (filter.status) query.where('status', filter.status);
    const rows = await query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'seq', order: 'desc' },
    ]);
    return rows.map(toRequest);
  }

  /** The apps with requests in this status (to authorize them in one batch). */
  async entityRefsWithStatus(status: AccessRequestStatus): Promise<string[]> {
    const rows = await this.#db('access_requests')
      .where({ status })
      .distinct('entity_ref');
    return rows.map((r: { entity_ref: string }) => r.entity_ref);
  }

  /**
   * Moves a request from `from` to a new status with the decision's fields; undefined when it
   * is no longer in `from` (someone else decided it first).
   */
  async transition(
    id: string,
    from: AccessRequestStatus,
    to: {
      status: AccessRequestStatus;
      decidedAt?: string | null;
      decidedBy?: string | null;
      comment?: string | null;
      expiresAt?: string | null;
    },
  ): Promise<AccessRequest | undefined> {
    const update: Partial<RequestRow> = { status: to.status };
    if (to.decidedAt !== undefined) update.decided_at = to.decidedAt;
    if (to.decidedBy !== undefined) update.decided_by = to.decidedBy;
    if (to.comment !== undefined) update.decision_comment = to.comment;
    if (to.expiresAt !== undefined) update.expires_at = to.expiresAt;
    const changed = await this.#db('access_requests')
      .where({ id, status: from })
      .update(update);
    return changed === 1 ? this.get(id) : undefined;
  }

  /** Pending requests nobody decided by `now`. */
  async stalePending(now: string): Promise<AccessRequest[]> {
    const rows = await this.#db<RequestRow>('access_requests')
      .where('status', 'pending')
      .andWhere('request_expires_at', '<=', now);
    return rows.map(toRequest);
  }

  /** Approved time-bound requests whose access ended by `now`. */
  async endedApprovals(now: string): Promise<AccessRequest[]> {
    const rows = await this.#db<RequestRow>('access_requests')
      .where('status', 'approved')
      .whereNotNull('expires_at')
      .andWhere('expires_at', '<=', now);
    return rows.map(toRequest);
  }

  async recordEvent(event: NewAccessEvent): Promise<AccessEvent> {
    const row: EventRow = {
      id: randomUUID(),
      entity_ref: event.entityRef,
      service: event.service,
      kind: event.kind,
      actor: event.actor,
      members: JSON.stringify(event.members),
      detail: event.detail ?? null,
      request_id: event.requestId ?? null,
      at: event.at,
    };
    await this.#db('access_events').insert(row);
    return toEvent(row);
  }

  /** An app's history, newest first. */
  async events(
    entityRef: string,
    options: { limit: number },
  ): Promise<AccessEvent[]> {
    const rows = await this.#db<EventRow>('access_events')
      .where('entity_ref', entityRef)
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toEvent);
  }
}
