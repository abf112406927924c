import { SeedInput } from '../seed/schema';

/** A small world for contract tests: one org, one project with the IAP agent, one service. */
export const contractSeed: SeedInput = {
  organizations: [{ id: '111', domain: 'example.com' }],
  projects: [
    {
      id: 'test-project',
      number: '42',
      parent: 'organizations/111',
      iapServiceAgent: 'provisioned',
      services: [
        {
          id: 'existing',
          region: 'europe-west2',
          iapEnabled: true,
          runPolicy: {
            bindings: [
              {
                role: 'roles/run.invoker',
                members: ['user:owner@example.com'],
              },
            ],
          },
        },
      ],
    },
  ],
  runtime: { operationDelayMs: 150, failingImages: ['broken-image'] },
};
