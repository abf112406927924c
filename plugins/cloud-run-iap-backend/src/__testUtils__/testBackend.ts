import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AuditorService,
  AuditorServiceEvent,
  AuditorServiceCreateEventOptions,
  BackstageCredentials,
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import catalogBackend from '@backstage/plugin-catalog-backend';
import {
  cloudRunIapAccessLevelsReadPermission,
  cloudRunIapAccessManagePermission,
  cloudRunIapAccessReadPermission,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { cloudRunIapPlugin } from '../plugin';

/** `catalogEntityReadPermission` of `@backstage/plugin-catalog-common/alpha`. */
const CATALOG_ENTITY_READ = 'catalog.entity.read';

/** May read the catalog and every app's access. */
export const LEAD = 'user:default/lead';
/** Cannot see entities labelled `secret` in the catalog. */
export const OUTSIDER = 'user:default/outsider';
/** Sees every entity but is denied `cloud-run-iap.access.read`. */
export const NO_ACCESS = 'user:default/no-access';
/** Denied `cloud-run-iap.access-levels.read`. */
export const NO_LEVELS = 'user:default/no-levels';
/** Sees every entity but is denied `cloud-run-iap.access.read` and `cloud-run-iap.access.manage`. */
export const REQUESTER = 'user:default/requester';

/** Permissions each test user is denied (besides the catalog rules of OUTSIDER). */
const DENIED: Record<string, string[]> = {
  [NO_ACCESS]: [cloudRunIapAccessReadPermission.name],
  [NO_LEVELS]: [cloudRunIapAccessLevelsReadPermission.name],
  [REQUESTER]: [
    cloudRunIapAccessReadPermission.name,
    cloudRunIapAccessManagePermission.name,
  ],
};

/** The projects every test backend is configured for. */
export const TEST_PROJECTS = [
  {
    id: 'acme-internal-apps',
    regions: ['europe-west2', 'us-central1', 'us-east1'],
  },
  { id: 'acme-legacy-apps', regions: ['europe-west1'] },
  { id: 'acme-sandbox', regions: ['europe-west2'] },
];

function userOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
}

/**
 * A permission policy for the tests, answering like the permission backend would: catalog reads
 * are conditional for OUTSIDER (the real catalog applies the condition), and NO_ACCESS is denied
 * the plugin's read permission.
 */
const testPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory(): PermissionsService {
    return {
      async authorize(requests, { credentials }) {
        const user = userOf(credentials);
        return requests.map(request => ({
          result: (DENIED[user ?? ''] ?? []).includes(request.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        }));
      },
      async authorizeConditional(queries, { credentials }) {
        const user = userOf(credentials);
        return queries.map(query =>
          query.permission.name === CATALOG_ENTITY_READ && user === OUTSIDER
            ? {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: {
                  not: {
                    rule: 'HAS_LABEL',
                    resourceType: 'catalog-entity',
                    params: { label: 'secret' },
                  },
                },
              }
            : { result: AuthorizeResult.ALLOW },
        ) as any;
      },
    };
  },
});

export interface TestEntity {
  name: string;
  annotation?: string;
  /** Annotations besides `google.com/cloud-run-service`, e.g. the declared access. */
  annotations?: Record<string, string>;
  owner?: string;
  labels?: Record<string, string>;
  /** `spec.system` (the catalog makes it a partOf relation). */
  system?: string;
}

/** A catalog User entity (`user:default/<name>`), with `spec.profile.email` when given. */
export interface TestUser {
  name: string;
  email?: string;
  /** Groups (`team-a`, `team-b`) the user is a member of. */
  memberOf?: string[];
}

function entitiesYaml(entities: TestEntity[], users: TestUser[] = []): string {
  const docs = [
    ...users.map(
      u => `apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ${u.name} }
spec: { profile: ${JSON.stringify(
        u.email ? { email: u.email } : {},
      )}, memberOf: ${JSON.stringify(u.memberOf ?? [])} }`,
    ),
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }`,
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-b }
spec: { type: team, children: [] }`,
    ...entities.map(
      e => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${e.name}
  labels: ${JSON.stringify(e.labels ?? {})}
  annotations: ${JSON.stringify({
    ...e.annotations,
    ...(e.annotation ? { 'google.com/cloud-run-service': e.annotation } : {}),
  })}
spec: { type: service, lifecycle: production, owner: ${
        e.owner ?? 'group:default/team-a'
      }${e.system ? `, system: ${e.system}` : ''} }`,
    ),
  ];
  return docs.join('\n---\n');
}

/** One audit event as the plugin reported it: how it was created and how it ended. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta?: unknown;
  outcome?: 'success' | 'fail';
  outcomeMeta?: unknown;
  error?: string;
}

/**
 * The auditor of every plugin in the test backend, recording its events (a plain factory rather
 * than `mockServices.auditor.mock`, whose jest functions do not exist in the bench).
 */
function recordingAuditor(events: RecordedAuditEvent[]) {
  const auditor: AuditorService = {
    async createEvent(
      options: AuditorServiceCreateEventOptions,
    ): Promise<AuditorServiceEvent> {
      const event: RecordedAuditEvent = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta,
      };
      events.push(event);
      return {
        async success(result) {
          event.outcome = 'success';
          event.outcomeMeta = result?.meta;
        },
        async fail(result) {
          event.outcome = 'fail';
          event.outcomeMeta = result.meta;
          event.error = String(result.error?.message ?? result.error);
        },
      };
    },
  };
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => auditor,
  });
}

export interface PluginTestBackend {
  backend: TestBackend;
  baseUrl: string;
  /** The audit events of every plugin, oldest first. */
  auditEvents(): RecordedAuditEvent[];
  stop(): Promise<void>;
  /** GET/POST as a user (a mock user token); `null` sends no credentials. */
  request(
    method: 'GET' | 'POST',
    urlPath: string,
    options?: { user?: string | null; body?: unknown },
  ): Promise<Response>;
}

/**
 * The real plugin and the real catalog (reading the given entities from a file), with the
 * plugin pointed at the fake's URL.
 */
export async function startPluginTestBackend(options: {
  fakeUrl: string;
  entities: TestEntity[];
  /** User entities in the catalog besides the components and the two groups. */
  users?: TestUser[];
  cacheTtlSeconds?: number;
  /** `cloudRunIap.links` */
  links?: Array<{ service: string; entityRef: string }>;
  /** Other `cloudRunIap` keys (`report`, `review`, `projects`...), over the defaults here. */
  cloudRunIap?: Record<string, unknown>;
  /** More plugins and service factories (a scheduler or clock of the test's own...). */
  features?: Parameters<typeof startTestBackend>[0]['features'];
}): Promise<PluginTestBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-run-iap-'));
  const file = path.join(dir, 'entities.yaml');
  fs.writeFileSync(file, entitiesYaml(options.entities, options.users));
  const events: RecordedAuditEvent[] = [];

  const backend = await startTestBackend({
    features: [
      cloudRunIapPlugin,
      catalogBackend,
      testPermissions,
      recordingAuditor(events),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          // The notifications backend resolves notification links against it.
          app: { baseUrl: 'http://localhost:3000' },
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'User'] }],
            locations: [{ type: 'file', target: file }],
          },
          cloudRunIap: {
            google: { endpoint: options.fakeUrl },
            organization: { domains: ['example.com'] },
            projects: TEST_PROJECTS,
            links: options.links ?? [],
            cache: { ttl: { seconds: options.cacheTtlSeconds ?? 60 } },
            concurrency: 16,
            ...options.cloudRunIap,
          },
        },
      }),
    ],
  });
  const baseUrl = `http://127.0.0.1:${backend.server.port()}`;

  const request: PluginTestBackend['request'] = (
    method,
    urlPath,
    opts = {},
  ) => {
    const user = opts.user === undefined ? LEAD : opts.user;
    const headers: Record<string, string> = {
      Authorization:
        user === null
          ? mockCredentials.none.header()
          : mockCredentials.user.header(user),
    };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    let body: string | undefined;
    if (typeof opts.body === 'string') body = opts.body;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    return fetch(`${baseUrl}${urlPath}`, { method, headers, body });
  };

  // The catalog reads the file in the background; wait until every entity is served.
  const expected = options.entities.length + (options.users?.length ?? 0);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-query?filter=kind=component&filter=kind=user&limit=500`,
      { headers: { Authorization: mockCredentials.service.header() } },
    );
    const body = (await res.json()) as { items?: unknown[] };
    if ((body.items?.length ?? 0) >= expected) break;
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog served ${body.items?.length} of ${expected} entities`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }

  return {
    backend,
    baseUrl,
    request,
    auditEvents: () => [...events],
    async stop() {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
