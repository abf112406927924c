import { GoogleCloudFake, startGoogleCloudFake } from '../server';
import { googleClients, googleError } from '../__testUtils__/googleClients';
import { contractSeed } from '../__testUtils__/seeds';

describe('IAM API v1 service accounts through googleapis', () => {
  let fake: GoogleCloudFake;
  let clients: ReturnType<typeof googleClients>;
  const accounts = () => clients.iam.projects.serviceAccounts;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({
      seed: {
        ...contractSeed,
        projects: [
          {
            ...contractSeed.projects![0],
            serviceAccounts: [
              { accountId: 'seeded-runtime', displayName: 'Seeded runtime' },
            ],
          },
        ],
      },
    });
    clients = googleClients(fake.url);
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('creates an account and reads it back by email, by unique id and through projects/-', async () => {
    const { data: created } = await accounts().create({
      name: 'projects/test-project',
      requestBody: {
        accountId: 'status-board',
        serviceAccount: {
          displayName: 'status-board (Backstage)',
          description: 'Runtime identity of status-board',
        },
      },
    });
    const email = 'status-board@test-project.iam.gserviceaccount.com';
    expect(created).toEqual({
      name: `projects/test-project/serviceAccounts/${email}`,
      projectId: 'test-project',
      uniqueId: expect.stringMatching(/^1\d{20}$/),
      email,
      displayName: 'status-board (Backstage)',
      description: 'Runtime identity of status-board',
      etag: expect.any(String),
      oauth2ClientId: created.uniqueId,
    });
    expect(fake.requests().at(-1)).toMatchObject({
      httpMethod: 'POST',
      path: '/v1/projects/test-project/serviceAccounts',
      methodId: 'iam.projects.serviceAccounts.create',
      write: true,
    });
    for (const name of [
      `projects/test-project/serviceAccounts/${email}`,
      `projects/test-project/serviceAccounts/${created.uniqueId}`,
      `projects/-/serviceAccounts/${email}`,
    ]) {
      expect((await accounts().get({ name })).data).toEqual(created);
    }
    expect(fake.requests().at(-1)?.write).toBe(false);
  });

  it('answers 409 ALREADY_EXISTS for an account id that is taken, and keeps the first one', async () => {
    const error = await googleError(
      accounts().create({
        name: 'projects/test-project',
        requestBody: {
          accountId: 'seeded-runtime',
          serviceAccount: { displayName: 'Impostor' },
        },
      }),
    );
    expect(error).toMatchObject({
      httpStatus: 409,
      status: 'ALREADY_EXISTS',
      message:
        'Service account seeded-runtime already exists within project projects/test-project.',
    });
    const { data } = await accounts().get({
      name: 'projects/test-project/serviceAccounts/seeded-runtime@test-project.iam.gserviceaccount.com',
    });
    expect(data.displayName).toBe('Seeded runtime');
  });

  it.each(['short', 'Upper-case1', 'ends-with-hyphen-', `a${'b'.repeat(30)}`])(
    'refuses the account id %s with 400 INVALID_ARGUMENT',
    async accountId => {
      const error = await googleError(
        accounts().create({
          name: 'projects/test-project',
          requestBody: { accountId },
        }),
      );
      expect(error).toMatchObject({
        httpStatus: 400,
        status: 'INVALID_ARGUMENT',
        message: expect.stringContaining(`Invalid account ID '${accountId}'`),
      });
    },
  );

  it('refuses a display name over 100 bytes', async () => {
    const error = await googleError(
      accounts().create({
        name: 'projects/test-project',
        requestBody: {
          accountId: 'long-name',
          serviceAccount: { displayName: 'x'.repeat(101) },
        },
      }),
    );
    expect(error).toMatchObject({
      httpStatus: 400,
      status: 'INVALID_ARGUMENT',
    });
  });

  it('answers 404 for an unknown account, 403 through projects/- and in an unknown project', async () => {
    const email = 'nobody@test-project.iam.gserviceaccount.com';
    expect(
      await googleError(
        accounts().get({
          name: `projects/test-project/serviceAccounts/${email}`,
        }),
      ),
    ).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
    expect(
      await googleError(
        accounts().get({ name: `projects/-/serviceAccounts/${email}` }),
      ),
    ).toMatchObject({ httpStatus: 403, status: 'PERMISSION_DENIED' });
    expect(
      await googleError(
        accounts().create({
          name: 'projects/not-a-project',
          requestBody: { accountId: 'status-board' },
        }),
      ),
    ).toMatchObject({
      httpStatus: 403,
      message: expect.stringContaining("'iam.serviceAccounts.create'"),
    });
  });

  it('forgets created accounts on reset', async () => {
    await accounts().create({
      name: 'projects/test-project',
      requestBody: { accountId: 'temporary' },
    });
    fake.reset();
    expect((fake.state() as any).serviceAccounts).toEqual([
      expect.objectContaining({
        email: 'seeded-runtime@test-project.iam.gserviceaccount.com',
      }),
    ]);
  });
});
