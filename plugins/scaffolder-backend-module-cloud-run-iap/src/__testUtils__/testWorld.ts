import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  GoogleCloudFake,
  SeedInput,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';

/** The group that owns the seeded apps, and one the test initiator belongs to. */
export const TEAM = 'group:default/team-a';
export const SHARED_RUNTIME =
  'shared-runtime@acme-sandbox.iam.gserviceaccount.com';

export const ORG = '123456789012';
export const APPS_NUMBER = '100000000001';
export const SANDBOX_NUMBER = '100000000002';
export const ORG_POLICY = 'accessPolicies/555000000001';
export const SCOPED_POLICY = 'accessPolicies/555000000002';
export const ACCESSOR = 'roles/iap.httpsResourceAccessor';
export const appsAgent = `serviceAccount:service-${APPS_NUMBER}@gcp-sa-iap.iam.gserviceaccount.com`;
export const sandboxAgent = `serviceAccount:service-${SANDBOX_NUMBER}@gcp-sa-iap.iam.gserviceaccount.com`;

/** A hand-made condition on a binding the actions do not manage. */
export const handMadeCondition = {
  title: 'Corporate network until 2030',
  description: 'kept by the security team',
  expression: `"${ORG_POLICY}/accessLevels/corp_network" in request.auth.access_levels && request.time < timestamp("2030-01-01T00:00:00Z")`,
};

/**
 * A small world: organisation example.com with domain restricted sharing, a project with the
 * IAP agent (and a managed service with hand-made bindings, a foreign one and one of another
 * entity), a sandbox whose agent is absent and propagates late, an organisation access policy
 * and a scoped one.
 */
export const testSeed: SeedInput = {
  organizations: [
    {
      id: ORG,
      domain: 'example.com',
      orgPolicies: [
        {
          constraint: 'constraints/iam.allowedPolicyMemberDomains',
          allowedDomains: ['example.com', 'partner.org'],
        },
      ],
    },
  ],
  projects: [
    {
      id: 'acme-internal-apps',
      number: APPS_NUMBER,
      parent: `organizations/${ORG}`,
      iapServiceAgent: 'provisioned',
      services: [
        {
          id: 'team-app',
          region: 'europe-west2',
          image:
            'europe-west2-docker.pkg.dev/acme-internal-apps/apps/team-app:1.0.0',
          iapEnabled: true,
          labels: { 'managed-by': 'backstage' },
          annotations: {
            'backstage.io/entity-ref': 'component:default/team-app',
            'backstage.io/owner-group': TEAM,
          },
          runPolicy: {
            bindings: [
              { role: 'roles/run.invoker', members: [appsAgent] },
              {
                role: 'roles/run.developer',
                members: ['group:devs@example.com'],
              },
            ],
          },
          iap: {
            policy: {
              version: 3,
              bindings: [
                {
                  role: ACCESSOR,
                  members: ['group:auditors@example.com'],
                  condition: handMadeCondition,
                },
                { role: ACCESSOR, members: ['user:owner@example.com'] },
                {
                  role: 'roles/iap.admin',
                  members: ['group:security@example.com'],
                },
              ],
            },
          },
        },
        {
          id: 'foreign-app',
          region: 'europe-west2',
          iapEnabled: true,
        },
        {
          id: 'other-entity-app',
          region: 'europe-west2',
          iapEnabled: true,
          labels: { 'managed-by': 'backstage' },
          annotations: {
            'backstage.io/entity-ref': 'component:default/someone-else',
            'backstage.io/owner-group': 'group:default/someone-elses-team',
          },
        },
        {
          id: 'unowned-app',
          region: 'europe-west2',
          iapEnabled: true,
          labels: { 'managed-by': 'backstage' },
          annotations: {
            'backstage.io/entity-ref': 'component:default/unowned-app',
          },
        },
        {
          id: 'open-invoker-app',
          region: 'europe-west2',
          iapEnabled: true,
          labels: { 'managed-by': 'backstage' },
          annotations: {
            'backstage.io/entity-ref': 'component:default/open-invoker-app',
            'backstage.io/owner-group': TEAM,
          },
          runPolicy: {
            bindings: [
              { role: 'roles/run.invoker', members: [appsAgent] },
              { role: 'roles/run.servicesInvoker', members: ['allUsers'] },
            ],
          },
        },
        {
          id: 'no-check-app',
          region: 'europe-west2',
          iapEnabled: true,
          invokerIamDisabled: true,
          labels: { 'managed-by': 'backstage' },
          annotations: {
            'backstage.io/entity-ref': 'component:default/no-check-app',
            'backstage.io/owner-group': TEAM,
          },
          runPolicy: {
            bindings: [{ role: 'roles/run.invoker', members: [appsAgent] }],
          },
        },
      ],
      serviceAccounts: [
        { accountId: 'backstage', displayName: "The portal's own identity" },
      ],
      secrets: [{ id: 'team-app-db', labels: { 'backstage-app': 'team-app' } }],
    },
    {
      id: 'acme-sandbox',
      number: SANDBOX_NUMBER,
      parent: `organizations/${ORG}`,
      iapServiceAgent: 'absent',
      iapAgentPropagationFailures: 1,
      serviceAccounts: [
        { accountId: 'shared-runtime', displayName: 'Shared runtime' },
        { accountId: 'other-app', displayName: "Another app's identity" },
        // Has the id the action would derive for service taken-app, but was made by hand.
        { accountId: 'app-taken-app', displayName: 'Hand-made' },
      ],
      secrets: [
        { id: 'uptime-db', labels: { 'backstage-app': 'uptime-monitor' } },
        { id: 'unlabelled-db' },
        { id: 'other-app-db', labels: { 'backstage-app': 'other-app' } },
      ],
    },
  ],
  accessPolicies: [
    {
      number: '555000000001',
      parent: `organizations/${ORG}`,
      title: 'Organisation policy',
      accessLevels: [
        {
          id: 'corp_network',
          title: 'Corporate network',
          basic: { conditions: [{ ipSubnetworks: ['203.0.113.0/24'] }] },
        },
        {
          id: 'uk_only',
          title: 'United Kingdom',
          basic: { conditions: [{ regions: ['GB'] }] },
        },
      ],
    },
    {
      number: '555000000002',
      parent: `organizations/${ORG}`,
      title: 'Team policy',
      scopes: [`projects/${APPS_NUMBER}`],
      accessLevels: [
        {
          id: 'team_vpn',
          title: 'Team VPN',
          basic: { conditions: [{ ipSubnetworks: ['198.51.100.0/24'] }] },
        },
      ],
    },
  ],
  runtime: { operationDelayMs: 60, failingImages: ['broken'] },
};

export const cloudRunIapConfig = {
  organization: {
    domains: ['example.com'],
    allowExternalMembers: false,
    workforcePools: ['staff'],
  },
  projects: [
    { id: 'acme-internal-apps', regions: ['europe-west2', 'us-central1'] },
    {
      id: 'acme-sandbox',
      regions: ['europe-west2'],
      serviceAccounts: [SHARED_RUNTIME],
    },
  ],
  concurrency: 8,
};

export async function startTestFake(): Promise<GoogleCloudFake> {
  return startGoogleCloudFake({ seed: testSeed, randomSeed: 7 });
}

/** A client factory for the actions, pointed at the fake, with quick retries. */
export function clientFactory(
  fake: GoogleCloudFake,
  extra: {
    credentials?: string;
    allowExternalMembers?: boolean;
    allowedRegistries?: string[];
    requireAppLabel?: boolean;
    projects?: Array<{
      id: string;
      regions: string[];
      serviceAccounts?: string[];
    }>;
  } = {},
) {
  const config = new ConfigReader({
    cloudRunIap: {
      ...cloudRunIapConfig,
      ...(extra.projects ? { projects: extra.projects } : {}),
      organization: {
        ...cloudRunIapConfig.organization,
        allowExternalMembers: extra.allowExternalMembers ?? false,
      },
      ...(extra.allowedRegistries
        ? { images: { allowedRegistries: extra.allowedRegistries } }
        : {}),
      ...(extra.requireAppLabel !== undefined
        ? { secrets: { requireAppLabel: extra.requireAppLabel } }
        : {}),
      google: {
        endpoint: fake.url,
        ...(extra.credentials ? { credentials: extra.credentials } : {}),
      },
    },
  });
  return (logger: LoggerService) =>
    GoogleCloudClient.fromConfig(config, {
      logger,
      retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 40 },
    });
}

/** Requests that changed something (a `validateOnly` call changes nothing). */
export function realWrites(fake: GoogleCloudFake) {
  return fake
    .requests()
    .filter(
      r => r.write && !r.query.includes('validateOnly=true') && r.status < 400,
    );
}

/** Every request the fake flags as a write, attempted or not, validateOnly included. */
export function attemptedWrites(fake: GoogleCloudFake) {
  return fake.requests().filter(r => r.write);
}

/** The parts of the world the actions change, without ids, times and etags that differ per run. */
export function comparableState(fake: GoogleCloudFake, projectId: string) {
  const state = fake.state() as any;
  const services = (state.services as any[])
    .filter(s => s.name.startsWith(`projects/${projectId}/`))
    .map(s => ({
      name: s.name,
      iapEnabled: s.iapEnabled,
      ingress: s.ingress,
      labels: s.labels,
      annotations: s.annotations,
      description: s.description,
      template: {
        serviceAccount: s.template?.serviceAccount,
        scaling: s.template?.scaling,
        containers: s.template?.containers?.map((c: any) => ({
          image: c.image,
          ports: c.ports,
          env: c.env,
          resources: c.resources,
        })),
      },
    }));
  const policies = Object.fromEntries(
    Object.entries(state.iamPolicies as Record<string, any>).map(([key, p]) => [
      key,
      { version: p.version, bindings: p.bindings },
    ]),
  );
  return { services, policies };
}
