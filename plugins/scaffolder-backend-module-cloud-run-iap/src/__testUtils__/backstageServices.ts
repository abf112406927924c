import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TEAM } from './testWorld';

/** One audit event as an auditor received it, with its outcome once closed. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta?: unknown;
  outcome?: 'succeeded' | 'failed';
  outcomeMeta?: unknown;
  error?: string;
}

/** An AuditorService that keeps every event it is given, for assertions. */
export class RecordingAuditor implements AuditorService {
  readonly events: RecordedAuditEvent[] = [];

  async createEvent(options: AuditorServiceCreateEventOptions) {
    const event: RecordedAuditEvent = {
      eventId: options.eventId,
      severityLevel: options.severityLevel,
      meta: options.meta,
    };
    this.events.push(event);
    return {
      success: async (o?: { meta?: unknown }) => {
        event.outcome = 'succeeded';
        event.outcomeMeta = o?.meta;
      },
      fail: async (o: { meta?: unknown; error: Error }) => {
        event.outcome = 'failed';
        event.outcomeMeta = o.meta;
        event.error = o.error.message;
      },
    };
  }
}

export function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/** The catalog the action tests read: the seeded apps, owned as the services record. */
export const catalogEntities = [
  component('team-app', TEAM),
  component('uptime-monitor', 'team-a'),
  component('new-app', TEAM),
  component('open-invoker-app', TEAM),
  component('no-check-app', TEAM),
  component('unowned-app', TEAM),
];

/** The Backstage services the actions take, for a guest in group team-a. */
export function actionServices(
  options: {
    claims?: string[];
    entities?: Entity[];
  } = {},
) {
  return {
    userInfo: mockServices.userInfo({
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: options.claims ?? ['user:default/guest', TEAM],
    }),
    catalog: catalogServiceMock({
      entities: options.entities ?? catalogEntities,
    }),
    auditor: new RecordingAuditor(),
  };
}
