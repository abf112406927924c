import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import { GoogleCloudClient } from './GoogleCloudClient';
import { GoogleApiError } from './errors';

describe('GoogleCloudClient service accounts and secrets, against the fake', () => {
  let fake: GoogleCloudFake;
  const logger = mockServices.logger.mock();
  const client = () =>
    GoogleCloudClient.fromConfig(
      new ConfigReader({ cloudRunIap: { google: { endpoint: fake.url } } }),
      { logger, retry: { baseDelayMs: 5, maxDelayMs: 20, attempts: 4 } },
    );
  const email = 'app-status-board@apps-project.iam.gserviceaccount.com';

  beforeAll(async () => {
    fake = await startGoogleCloudFake({
      seed: {
        projects: [
          {
            id: 'apps-project',
            number: '4242',
            secrets: [
              { id: 'db', labels: { 'backstage-app': 'status-board' } },
            ],
          },
        ],
      },
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('reads a missing account as undefined, creates it once, and reads it back', async () => {
    expect(await client().getServiceAccount('apps-project', email)).toBe(
      undefined,
    );
    const created = await client().createServiceAccount(
      'apps-project',
      'app-status-board',
      { displayName: 'status-board (Backstage app)', description: 'mine' },
    );
    expect(created).toMatchObject({ email, description: 'mine' });
    expect(await client().getServiceAccount('apps-project', email)).toEqual(
      created,
    );
    // Not retried: a second create is Google's 409, for the caller to read and converge.
    const again = await client()
      .createServiceAccount('apps-project', 'app-status-board', {})
      .catch(e => e);
    expect(again).toBeInstanceOf(GoogleApiError);
    expect(again).toMatchObject({ httpStatus: 409 });
    expect(
      fake
        .requests()
        .filter(r => r.methodId === 'iam.projects.serviceAccounts.create')
        .map(r => r.status),
    ).toEqual([200, 409]);
  });

  it('does not retry a create that failed with a 503 (a lost answer may have created it)', async () => {
    fake.faults.add({
      method: 'iam.projects.serviceAccounts.create',
      status: 503,
      count: 1,
    });
    await expect(
      client().createServiceAccount('apps-project', 'app-status-board', {}),
    ).rejects.toMatchObject({ httpStatus: 503 });
    expect(
      fake
        .requests()
        .filter(r => r.methodId === 'iam.projects.serviceAccounts.create'),
    ).toHaveLength(1);
  });

  it("reads a secret's labels, and a missing secret as undefined", async () => {
    expect(
      await client().getSecret('projects/apps-project/secrets/db'),
    ).toMatchObject({
      name: 'projects/4242/secrets/db',
      labels: { 'backstage-app': 'status-board' },
    });
    expect(
      await client().getSecret('projects/apps-project/secrets/missing'),
    ).toBe(undefined);
  });
});
