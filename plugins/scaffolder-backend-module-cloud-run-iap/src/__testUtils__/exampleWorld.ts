import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import {
  GoogleCloudFake,
  SeedInput,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import yaml from 'yaml';
import { component } from './backstageServices';
import { APPS_NUMBER, cloudRunIapConfig, TEAM, testSeed } from './testWorld';

/*
 * The world the actions' documented examples run in: the test world plus the apps, groups,
 * runtime account and secret the examples name, so that every example runs as written.
 */

const appsAgent = `serviceAccount:service-${APPS_NUMBER}@gcp-sa-iap.iam.gserviceaccount.com`;
export const EXAMPLE_RUNTIME =
  'data-platform-runtime@acme-internal-apps.iam.gserviceaccount.com';

/** The groups the examples record as owners; the initiator belongs to all of them. */
export const exampleClaims = [
  'user:default/guest',
  TEAM,
  'group:default/internal-apps-team',
  'group:default/data-platform',
];

export const exampleEntities = [
  component('access-manager', 'group:default/internal-apps-team'),
  component('data-sharing-api', 'group:default/data-platform'),
  component('uptime-monitor', TEAM),
];

/** The values the examples' `${{ parameters.* }}` expressions stand for. */
export const exampleParameters: Record<string, string> = {
  owner: TEAM,
  serviceName:
    'projects/acme-internal-apps/locations/europe-west2/services/access-manager',
};

export const exampleProjects = cloudRunIapConfig.projects.map(p =>
  p.id === 'acme-internal-apps'
    ? { ...p, serviceAccounts: [EXAMPLE_RUNTIME] }
    : p,
);

type SeededService = NonNullable<
  NonNullable<SeedInput['projects']>[number]['services']
>[number];

const managed = (
  id: string,
  region: string,
  entity: string,
  owner: string,
  accessors: string[],
): SeededService => ({
  id,
  region,
  image: `${region}-docker.pkg.dev/acme-internal-apps/apps/${id}:1.0.0`,
  iapEnabled: true,
  labels: { 'managed-by': 'backstage' },
  annotations: {
    'backstage.io/entity-ref': entity,
    'backstage.io/owner-group': owner,
  },
  runPolicy: {
    bindings: [{ role: 'roles/run.invoker', members: [appsAgent] }],
  },
  iap: {
    policy: {
      version: 3,
      bindings: [
        { role: 'roles/iap.httpsResourceAccessor', members: accessors },
      ],
    },
  },
});

/**
 * Starts the fake for the examples. With `existingApps`, the apps the update examples change
 * exist already, managed by the portal for their entities.
 */
export async function startExampleFake(
  options: { existingApps?: boolean } = {},
): Promise<GoogleCloudFake> {
  const projects = testSeed.projects!.map(project => {
    if (project.id !== 'acme-internal-apps') return project;
    return {
      ...project,
      services: [
        ...(project.services ?? []),
        ...(options.existingApps
          ? [
              managed(
                'access-manager',
                'europe-west2',
                'component:default/access-manager',
                'group:default/internal-apps-team',
                ['user:former-colleague@example.com'],
              ),
              managed(
                'data-sharing-api',
                'europe-west2',
                'component:default/data-sharing-api',
                'group:default/data-platform',
                ['group:data-stewards@example.com'],
              ),
            ]
          : []),
      ],
      serviceAccounts: [
        ...(project.serviceAccounts ?? []),
        { accountId: 'data-platform-runtime', displayName: 'Data platform' },
      ],
      secrets: [...(project.secrets ?? []), { id: 'data-sharing-db' }],
    };
  });
  return startGoogleCloudFake({
    seed: { ...testSeed, projects },
    randomSeed: 7,
  });
}

/** Replaces `${{ parameters.x }}` in every string of a value with the example parameter. */
function render(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{\{\s*parameters\.(\w+)\s*\}\}/g,
      (expression, name: string) => exampleParameters[name] ?? expression,
    );
  }
  if (Array.isArray(value)) return value.map(render);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, render(v)]),
    );
  }
  return value;
}

/** The input of the example's step that uses the action, as YAML parses it, rendered. */
export function exampleInput(
  example: TemplateExample,
  actionId: string,
): Record<string, unknown> {
  const { steps } = yaml.parse(example.example) as {
    steps: Array<{ action: string; input: Record<string, unknown> }>;
  };
  const step = steps.find(s => s.action === actionId);
  if (!step) {
    throw new Error(
      `the example "${example.description}" has no ${actionId} step`,
    );
  }
  return render(step.input) as Record<string, unknown>;
}
