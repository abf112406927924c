import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { createTestActionContext } from '../__testUtils__/actionContext';
import { actionServices } from '../__testUtils__/backstageServices';
import {
  exampleClaims,
  exampleEntities,
  exampleInput,
  startExampleFake,
} from '../__testUtils__/exampleWorld';
import { clientFactory } from '../__testUtils__/testWorld';
import { createUpdateIapAccessAction } from './updateIapAccess';
import { examples } from './updateIapAccess.examples';
import { updateIapAccessInputSchema } from './updateIapAccessInput';

describe('the examples of gcp:cloud-run-iap-access:update', () => {
  let fake: GoogleCloudFake;
  beforeAll(async () => {
    fake = await startExampleFake({ existingApps: true });
    // No reset between examples: they run in order, the IAP-on example after the IAP-off one.
  });
  afterAll(() => fake.stop());

  const action = () =>
    createUpdateIapAccessAction({
      clientFor: clientFactory(fake),
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      ...actionServices({ claims: exampleClaims, entities: exampleEntities }),
      progressEveryMs: 20,
      agentPropagation: { attempts: 5, delayMs: 10 },
    });

  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map(e => [e.description, e]))(
    '%s: the input meets the schema and makes the change it describes',
    async (_description, example) => {
      const input = exampleInput(example, action().id);
      const parsed = updateIapAccessInputSchema.parse(input);

      const test = createTestActionContext(input);
      await action().handler(test.ctx);

      expect(test.outputs.changed).toBe(true);
      for (const member of parsed.add) {
        expect(test.outputs.accessors).toContain(member);
      }
      for (const member of parsed.remove) {
        expect(test.outputs.accessors).not.toContain(member);
      }
      expect(test.outputs).toMatchObject({
        ...(parsed.iapEnabled !== undefined
          ? { iapEnabled: parsed.iapEnabled }
          : {}),
        ...(parsed.accessLevels !== undefined
          ? {
              accessLevels: parsed.accessLevels.map(
                id => `accessPolicies/555000000001/accessLevels/${id}`,
              ),
            }
          : {}),
      });
    },
  );
});
