import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const action = 'gcp:cloud-run-iap-access:update';

export const examples: TemplateExample[] = [
  {
    description: 'Grant a group access and revoke a user, by service name',
    example: yaml.stringify({
      steps: [
        {
          id: 'access',
          name: 'Change who can reach the app',
          action,
          input: {
            serviceName:
              'projects/acme-internal-apps/locations/europe-west2/services/access-manager',
            add: ['group:auditors@example.com'],
            remove: ['user:former-colleague@example.com'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Require the corporate network or the UK for every managed accessor',
    example: yaml.stringify({
      steps: [
        {
          id: 'access',
          name: 'Require access levels',
          action,
          input: {
            projectId: 'acme-internal-apps',
            region: 'europe-west2',
            serviceId: 'data-sharing-api',
            entityRef: 'component:default/data-sharing-api',
            accessLevels: ['corp_network', 'uk_only'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Turn IAP off; refused when that would make the app public (invoker check disabled, or allUsers/allAuthenticatedUsers holding an invoker role)',
    example: yaml.stringify({
      steps: [
        {
          id: 'access',
          name: 'Turn IAP off',
          action,
          input: {
            serviceName:
              'projects/acme-internal-apps/locations/europe-west2/services/access-manager',
            iapEnabled: false,
          },
        },
      ],
    }),
  },
  {
    description: 'Turn IAP back on (also making the IAP agent the invoker)',
    example: yaml.stringify({
      steps: [
        {
          id: 'access',
          name: 'Turn IAP on',
          action,
          input: {
            serviceName: '${{ parameters.serviceName }}',
            iapEnabled: true,
          },
        },
      ],
    }),
  },
];
