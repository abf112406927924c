import type { SeedInput } from '@internal-apps/google-cloud-fake';

export const ORG = '123456789012';
const POLICY = '555000000001';

export interface GeneratedApp {
  /** The catalog entity's name. */
  name: string;
  /** `projects/P/locations/R/services/S` */
  service: string;
}

export interface GeneratedWorld {
  seed: SeedInput;
  apps: GeneratedApp[];
  /** `cloudRunIap.projects` for the backend. */
  projects: Array<{ id: string; regions: string[] }>;
}

const pad = (n: number, width = 4) => String(n).padStart(width, '0');

function service(
  id: string,
  region: string,
  projectNumber: string,
  index: number,
) {
  return {
    id,
    region,
    iapEnabled: true,
    labels: { 'managed-by': 'backstage' },
    // Each service names its entity and owner, as the create action writes them.
    annotations: {
      'backstage.io/entity-ref': `component:default/${id}`,
      'backstage.io/owner-group': 'group:default/team-a',
    },
    runPolicy: {
      bindings: [
        {
          role: 'roles/run.invoker',
          members: [
            `serviceAccount:service-${projectNumber}@gcp-sa-iap.iam.gserviceaccount.com`,
          ],
        },
      ],
    },
    iap: {
      policy: {
        version: 3,
        bindings: [
          {
            role: 'roles/iap.httpsResourceAccessor',
            members: [
              `group:team-${index % 10}@example.com`,
              `user:u${index}@example.com`,
            ],
            condition: {
              title: 'Corporate network',
              expression: `"accessPolicies/${POLICY}/accessLevels/corp_network" in request.auth.access_levels`,
            },
          },
          {
            role: 'roles/iap.httpsResourceAccessor',
            members: [`user:lead${index % 7}@example.com`],
          },
        ],
      },
    },
  };
}

/**
 * `services` apps spread evenly over `projects` projects and `regions` regions, under one
 * organisation with one access policy, each app owned by group team-a.
 */
export function generateWorld(options: {
  services: number;
  projects: number;
  regions: number;
}): GeneratedWorld {
  const regionNames = [
    'europe-west2',
    'us-central1',
    'us-east1',
    'europe-west1',
    'asia-northeast1',
  ].slice(0, options.regions);
  const apps: GeneratedApp[] = [];
  const projects = Array.from({ length: options.projects }, (_, p) => {
    const id = `bench-project-${pad(p, 2)}`;
    const number = `2000000${pad(p, 5)}`;
    return {
      id,
      number,
      parent: `organizations/${ORG}`,
      iapServiceAgent: 'provisioned' as const,
      services: [] as ReturnType<typeof service>[],
    };
  });
  for (let s = 0; s < options.services; s++) {
    const project = projects[s % options.projects];
    const region =
      regionNames[Math.floor(s / options.projects) % regionNames.length];
    const id = `app-${pad(s)}`;
    project.services.push(service(id, region, project.number, s));
    apps.push({
      name: id,
      service: `projects/${project.id}/locations/${region}/services/${id}`,
    });
  }
  return {
    apps,
    projects: projects.map(p => ({ id: p.id, regions: regionNames })),
    seed: {
      organizations: [{ id: ORG, domain: 'example.com' }],
      projects,
      accessPolicies: [
        {
          number: POLICY,
          parent: `organizations/${ORG}`,
          title: 'Org policy',
          accessLevels: [
            {
              id: 'corp_network',
              title: 'Corporate network',
              basic: { conditions: [{ ipSubnetworks: ['203.0.113.0/24'] }] },
            },
          ],
        },
      ],
    } as SeedInput,
  };
}
