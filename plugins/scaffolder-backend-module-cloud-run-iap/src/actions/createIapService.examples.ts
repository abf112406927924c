import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const action = 'gcp:cloud-run-iap-service:create';

export const examples: TemplateExample[] = [
  {
    description:
      'Create an internal app behind IAP, owned by a team of the user who runs the task, that two groups may reach from the corporate network (the action creates its runtime account)',
    example: yaml.stringify({
      steps: [
        {
          id: 'cloud-run',
          name: 'Create the Cloud Run service',
          action,
          input: {
            projectId: 'acme-internal-apps',
            region: 'europe-west2',
            serviceId: 'access-manager',
            image:
              'europe-west2-docker.pkg.dev/acme-internal-apps/apps/access-manager:1.4.2',
            entityRef: 'component:default/access-manager',
            owner: 'group:default/internal-apps-team',
            accessors: [
              'group:internal-apps-team@example.com',
              'user:ada@example.com',
            ],
            accessLevels: ['corp_network'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Create a service with settings, plain and Secret Manager environment variables, running as an existing account that config lists for the project (cloudRunIap.projects[].serviceAccounts)',
    example: yaml.stringify({
      steps: [
        {
          id: 'cloud-run',
          name: 'Create the Cloud Run service',
          action,
          input: {
            projectId: 'acme-internal-apps',
            region: 'us-central1',
            serviceId: 'data-sharing-api',
            image:
              'us-central1-docker.pkg.dev/acme-internal-apps/apps/data-sharing-api:2.0.1',
            port: 8000,
            serviceAccount:
              'data-platform-runtime@acme-internal-apps.iam.gserviceaccount.com',
            description: 'FastAPI service that shares curated data sets',
            cpu: '1',
            memory: '1Gi',
            minInstances: 0,
            maxInstances: 4,
            ingress: 'all',
            labels: { team: 'data-platform' },
            env: {
              LOG_LEVEL: 'info',
              DATABASE_PASSWORD: {
                secret: 'projects/acme-internal-apps/secrets/data-sharing-db',
                version: 'latest',
              },
            },
            entityRef: 'component:default/data-sharing-api',
            owner: 'group:default/data-platform',
            accessors: ['group:data-stewards@example.com'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Use the outputs: register the entity with the annotation the action returns',
    example: yaml.stringify({
      steps: [
        {
          id: 'cloud-run',
          name: 'Create the Cloud Run service',
          action,
          input: {
            projectId: 'acme-sandbox',
            region: 'europe-west2',
            serviceId: 'uptime-monitor',
            image:
              'europe-west2-docker.pkg.dev/acme-sandbox/apps/uptime-monitor:0.1.0',
            entityRef: 'component:default/uptime-monitor',
            owner: '${{ parameters.owner }}',
            accessors: ['group:sre@example.com'],
          },
        },
        {
          id: 'template',
          name: 'Write catalog-info.yaml',
          action: 'fetch:template',
          input: {
            url: './skeleton',
            values: {
              cloudRunService: "${{ steps['cloud-run'].output.annotation }}",
              owner: '${{ parameters.owner }}',
              url: "${{ steps['cloud-run'].output.uri }}",
            },
          },
        },
      ],
    }),
  },
];
