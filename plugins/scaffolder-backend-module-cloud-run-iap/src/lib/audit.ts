import type {
  AuditorService,
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';

type JsonObject = NonNullable<
  Parameters<AuditorService['createEvent']>[0]['meta']
>;

/** What every audit event of an access change names. */
export interface AccessChangeAudit extends JsonObject {
  /** `create-iap-service` or `update-iap-access`. */
  action: string;
  /** The user who started the task. */
  actor: string;
  /** The app's catalog entity. */
  entity: string;
  /** The Cloud Run service (`projects/P/locations/R/services/S`). */
  service: string;
  /** Members granted and removed, as asked. */
  members: { add: string[]; remove: string[] };
  taskId: string;
}

/**
 * One audit event per access change (`iap-access-change`, severity high): opened before the
 * first check that can refuse it, closed with the outcome. A refusal is a failed event too.
 */
export class AccessChangeAuditor {
  readonly #auditor: AuditorService;

  constructor(auditor: AuditorService) {
    this.#auditor = auditor;
  }

  /** Records a change that was refused before it started. */
  async refused(audit: AccessChangeAudit, error: unknown): Promise<void> {
    const event = await this.#auditor.createEvent({
      eventId: 'iap-access-change',
      severityLevel: 'high',
      meta: audit,
    });
    await event.fail({
      meta: audit,
      error: error instanceof Error ? error : new Error(String(error)),
    });
  }

  /** Runs `change`, recording its outcome; `change` returns what to add to the event. */
  async record<T extends JsonObject>(
    audit: AccessChangeAudit,
    change: () => Promise<T>,
  ): Promise<T> {
    const event: AuditorServiceEvent = await this.#auditor.createEvent({
      eventId: 'iap-access-change',
      severityLevel: 'high',
      meta: audit,
    });
    let result: T;
    try {
      result = await change();
    } catch (error) {
      await event.fail({
        meta: audit,
        error: error instanceof Error ? error : new Error(String(error)),
      });
      throw error;
    }
    await event.success({ meta: { ...audit, ...result } });
    return result;
  }
}
