import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AccessRequest } from './accessRequestTypes';

/** The notifications topic of everything about access requests. */
export const ACCESS_REQUEST_TOPIC = 'cloud-run-iap-access-request';
/** The topic of grants the expiry task removed. */
export const ACCESS_EXPIRY_TOPIC = 'cloud-run-iap-access-expiry';

const DURATION_TEXT: Record<string, string> = {
  P1D: '1 day',
  P7D: '7 days',
  P30D: '30 days',
  permanent: 'permanent',
};

/** `/catalog/<namespace>/<kind>/<name>/access?request=<id>`: the request on the app's page. */
export function requestLink(request: Pick<AccessRequest, 'entityRef' | 'id'>) {
  const { kind, namespace, name } = parseEntityRef(request.entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLowerCase(),
  )}/${encodeURIComponent(name)}/access?request=${encodeURIComponent(
    request.id,
  )}`;
}

function serviceId(service: string) {
  return service.slice(service.lastIndexOf('/') + 1);
}

/**
 * Backstage notifications (the notifications backend stores them and signals the browser) for
 * the owners of an app and for requesters. A notification that cannot be sent is logged: the
 * request, decision or expiry it tells of has happened all the same.
 */
export class AccessNotifier {
  readonly #notifications: NotificationService;
  readonly #logger: LoggerService;

  static create(options: {
    notifications: NotificationService;
    logger: LoggerService;
  }) {
    return new AccessNotifier(options.notifications, options.logger);
  }

  private constructor(
    notifications: NotificationService,
    logger: LoggerService,
  ) {
    this.#notifications = notifications;
    this.#logger = logger;
  }

  /** To the app's owner (a group: its members), leaving out the requester. */
  async requestCreated(request: AccessRequest, owner: string | undefined) {
    if (!owner) {
      this.#logger.warn(
        `Access request ${request.id} for ${request.entityRef}: the entity has no spec.owner, so nobody was notified`,
      );
      return;
    }
    await this.#send(`request ${request.id}`, {
      recipients: {
        type: 'entity',
        entityRef: owner,
        excludeEntityRef: request.requester,
      },
      payload: {
        title: `Access request: ${request.member} asks for ${
          DURATION_TEXT[request.duration]
        } access to ${serviceId(request.service)}`,
        description: `${request.requester} asks for ${
          DURATION_TEXT[request.duration]
        } access to ${request.service} (${request.entityRef}): "${
          request.justification
        }". Approve or deny it on the app's page.`,
        link: requestLink(request),
        topic: ACCESS_REQUEST_TOPIC,
        severity: 'normal',
      },
    });
  }

  /** To the requester. */
  async requestDecided(request: AccessRequest) {
    const approved = request.status === 'approved';
    let until = '';
    if (request.expiresAt) until = ` until ${request.expiresAt}`;
    else if (approved) until = ' with no end date';
    await this.#send(`decision on ${request.id}`, {
      recipients: { type: 'entity', entityRef: request.requester },
      payload: {
        title: `Your access request for ${serviceId(request.service)} was ${
          approved ? 'approved' : 'denied'
        }`,
        description: `${request.decidedBy} ${
          approved ? 'approved' : 'denied'
        } your request for access to ${request.service}${until}.${
          request.comment ? ` Comment: "${request.comment}"` : ''
        }`,
        link: requestLink(request),
        topic: ACCESS_REQUEST_TOPIC,
        severity: approved ? 'normal' : 'low',
      },
    });
  }

  /** To the requester: nobody decided in time. */
  async requestExpired(request: AccessRequest) {
    await this.#send(`expiry of ${request.id}`, {
      recipients: { type: 'entity', entityRef: request.requester },
      payload: {
        title: `Your access request for ${serviceId(
          request.service,
        )} expired undecided`,
        description: `Nobody decided your request for access to ${request.service} by ${request.requestExpiresAt}. You may ask again.`,
        link: requestLink(request),
        topic: ACCESS_REQUEST_TOPIC,
        severity: 'low',
      },
    });
  }

  /** To the app's owner: the expiry task removed temporary grants. */
  async grantsRemoved(
    entityRef: string,
    owner: string | undefined,
    service: string,
    removed: Array<{ member: string; expiresAt: string }>,
  ) {
    if (!owner || removed.length === 0) return;
    const { kind, namespace, name } = parseEntityRef(entityRef);
    await this.#send(`expiry on ${service}`, {
      recipients: { type: 'entity', entityRef: owner },
      payload: {
        title: `Temporary access to ${serviceId(service)} ended for ${
          removed.length === 1 ? removed[0].member : `${removed.length} members`
        }`,
        description: `The portal removed the expired temporary grants of ${removed
          .map(r => `${r.member} (until ${r.expiresAt})`)
          .join(', ')} from ${service} (${entityRef}).`,
        link: `/catalog/${namespace}/${kind.toLowerCase()}/${name}/access`,
        topic: ACCESS_EXPIRY_TOPIC,
        severity: 'low',
      },
    });
  }

  async #send(
    what: string,
    options: Parameters<NotificationService['send']>[0],
  ) {
    try {
      await this.#notifications.send(options);
    } catch (error) {
      this.#logger.warn(
        `Could not send the notification of ${what}: ${
          (error as Error).message
        }`,
      );
    }
  }
}
