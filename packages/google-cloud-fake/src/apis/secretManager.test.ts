import { GoogleCloudFake, startGoogleCloudFake } from '../server';
import { googleClients, googleError } from '../__testUtils__/googleClients';
import { contractSeed } from '../__testUtils__/seeds';

describe('Secret Manager API v1 secrets through googleapis', () => {
  let fake: GoogleCloudFake;
  let clients: ReturnType<typeof googleClients>;
  const secrets = () => clients.secretManager.projects.secrets;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({
      seed: {
        ...contractSeed,
        projects: [
          {
            ...contractSeed.projects![0],
            secrets: [
              { id: 'status-db', labels: { 'backstage-app': 'status-board' } },
              { id: 'unlabelled' },
            ],
          },
        ],
      },
    });
    clients = googleClients(fake.url);
  });
  afterAll(() => fake.stop());

  it('reads a secret by project id or number, named by project number as Google does', async () => {
    for (const project of ['test-project', '42']) {
      const { data } = await secrets().get({
        name: `projects/${project}/secrets/status-db`,
      });
      expect(data).toEqual({
        name: 'projects/42/secrets/status-db',
        replication: { automatic: {} },
        createTime: expect.any(String),
        labels: { 'backstage-app': 'status-board' },
        etag: expect.any(String),
      });
    }
    expect(fake.requests().at(-1)).toMatchObject({
      httpMethod: 'GET',
      path: '/v1/projects/42/secrets/status-db',
      methodId: 'secretmanager.projects.secrets.get',
      write: false,
    });
    const { data } = await secrets().get({
      name: 'projects/test-project/secrets/unlabelled',
    });
    expect(data.labels).toBeUndefined();
  });

  it('answers 404 for an unknown secret and 403 in an unknown project', async () => {
    expect(
      await googleError(
        secrets().get({ name: 'projects/test-project/secrets/nope' }),
      ),
    ).toEqual({
      httpStatus: 404,
      status: 'NOT_FOUND',
      message: 'Secret [projects/42/secrets/nope] not found.',
      details: [],
    });
    expect(
      await googleError(
        secrets().get({ name: 'projects/other-project/secrets/status-db' }),
      ),
    ).toMatchObject({
      httpStatus: 403,
      status: 'PERMISSION_DENIED',
      message: expect.stringContaining("'secretmanager.secrets.get'"),
    });
  });
});
