import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { createTestActionContext } from '../__testUtils__/actionContext';
import { actionServices } from '../__testUtils__/backstageServices';
import {
  exampleClaims,
  exampleEntities,
  exampleInput,
  exampleProjects,
  startExampleFake,
} from '../__testUtils__/exampleWorld';
import { clientFactory } from '../__testUtils__/testWorld';
import { createCreateIapServiceAction } from './createIapService';
import { examples } from './createIapService.examples';
import { createIapServiceInputSchema } from './createIapServiceInput';

describe('the examples of gcp:cloud-run-iap-service:create', () => {
  let fake: GoogleCloudFake;
  beforeAll(async () => {
    fake = await startExampleFake();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const action = () =>
    createCreateIapServiceAction({
      clientFor: clientFactory(fake, { projects: exampleProjects }),
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      ...actionServices({ claims: exampleClaims, entities: exampleEntities }),
      progressEveryMs: 20,
      agentPropagation: { attempts: 5, delayMs: 10 },
    });

  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map(e => [e.description, e]))(
    '%s: the input meets the schema and creates the app it describes',
    async (_description, example) => {
      const input = exampleInput(example, action().id);
      expect(createIapServiceInputSchema.safeParse(input)).toMatchObject({
        success: true,
      });

      const test = createTestActionContext(input);
      await action().handler(test.ctx);

      const service = (fake.state() as any).services.find(
        (s: any) => s.name === test.outputs.serviceName,
      );
      expect(test.outputs.serviceName).toBe(
        `projects/${input.projectId}/locations/${input.region}/services/${input.serviceId}`,
      );
      expect(service).toMatchObject({
        iapEnabled: true,
        annotations: expect.objectContaining({
          'backstage.io/entity-ref': input.entityRef,
          'backstage.io/owner-group': input.owner,
        }),
      });
      expect(service.template.containers[0].image).toBe(input.image);
    },
  );
});
