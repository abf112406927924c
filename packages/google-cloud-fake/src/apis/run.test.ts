import { GoogleCloudFake, startGoogleCloudFake } from '../server';
import { googleClients, googleError } from '../__testUtils__/googleClients';
import { contractSeed } from '../__testUtils__/seeds';

const parent = 'projects/test-project/locations/europe-west2';
const serviceBody = {
  iapEnabled: true,
  labels: { team: 'apps' },
  template: { containers: [{ image: 'europe-docker.pkg.dev/x/y/app:1' }] },
};

describe('Cloud Run Admin API v2 through googleapis', () => {
  let fake: GoogleCloudFake;
  let clients: ReturnType<typeof googleClients>;
  const services = () => clients.run.projects.locations.services;
  const operations = () => clients.run.projects.locations.operations;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: contractSeed });
    clients = googleClients(fake.url);
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  async function waitForOperation(name: string) {
    for (;;) {
      const { data } = await operations().get({ name });
      if (data.done) return data;
      await new Promise(r => setTimeout(r, 50));
    }
  }

  it('creates a service through a long-running operation that finishes later', async () => {
    const { data: op } = await services().create({
      parent,
      serviceId: 'new-app',
      requestBody: serviceBody,
    });
    expect(op.name).toMatch(
      /^projects\/test-project\/locations\/europe-west2\/operations\/[0-9a-f-]{36}$/,
    );
    expect(op.done).toBeUndefined();
    expect(op.metadata?.['@type']).toBe(
      'type.googleapis.com/google.cloud.run.v2.Service',
    );

    const during = await services().get({ name: `${parent}/services/new-app` });
    expect(during.data.reconciling).toBe(true);
    expect(during.data.terminalCondition?.state).toBe('CONDITION_RECONCILING');
    expect(during.data.observedGeneration).toBe('0');

    const done = await waitForOperation(op.name!);
    expect(done.error).toBeUndefined();
    expect(done.response?.['@type']).toBe(
      'type.googleapis.com/google.cloud.run.v2.Service',
    );
    expect(done.response?.iapEnabled).toBe(true);

    const { data: svc } = await services().get({
      name: `${parent}/services/new-app`,
    });
    expect(svc).toMatchObject({
      name: `${parent}/services/new-app`,
      generation: '1',
      observedGeneration: '1',
      reconciling: false,
      iapEnabled: true,
      ingress: 'INGRESS_TRAFFIC_ALL',
      launchStage: 'GA',
      terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
    });
    expect(typeof svc.generation).toBe('string');
    expect(svc.latestReadyRevision).toBe(svc.latestCreatedRevision);
    expect(svc.latestReadyRevision).toMatch(
      /\/revisions\/new-app-00001-[a-z0-9]{3}$/,
    );
    expect(svc.uri).toMatch(/^https:\/\/new-app-[a-z0-9]{10}-nw\.a\.run\.app$/);
    expect(svc.urls).toEqual([
      'https://new-app-42.europe-west2.run.app',
      svc.uri,
    ]);
    expect(svc.template?.serviceAccount).toBe(
      '42-compute@developer.gserviceaccount.com',
    );
  });

  it('echoes the project number when the caller used it', async () => {
    const { data } = await services().get({
      name: 'projects/42/locations/europe-west2/services/existing',
    });
    expect(data.name).toBe(
      'projects/42/locations/europe-west2/services/existing',
    );
  });

  it('waits on an operation with operations.wait', async () => {
    const { data: op } = await services().create({
      parent,
      serviceId: 'waited',
      requestBody: serviceBody,
    });
    const { data } = await operations().wait({
      name: op.name!,
      requestBody: { timeout: '10s' },
    });
    expect(data.done).toBe(true);
    const { data: list } = await operations().list({ name: parent });
    expect(list.operations?.map(o => o.name)).toContain(op.name);
  });

  it('ends a rollout whose container fails with an operation error and a failed condition', async () => {
    const { data: op } = await services().create({
      parent,
      serviceId: 'broken',
      requestBody: {
        template: { containers: [{ image: 'x/broken-image:1' }] },
      },
    });
    const done = await waitForOperation(op.name!);
    expect(done.error?.code).toBe(9);
    const { data } = await services().get({
      name: `${parent}/services/broken`,
    });
    expect(data.terminalCondition?.state).toBe('CONDITION_FAILED');
    expect(data.latestReadyRevision).toBeUndefined();
  });

  it('validates a create without writing when validateOnly is set', async () => {
    const { data } = await services().create({
      parent,
      serviceId: 'dry',
      validateOnly: true,
      requestBody: serviceBody,
    });
    expect(data.done).toBe(true);
    const err = await googleError(
      services().get({ name: `${parent}/services/dry` }),
    );
    expect(err.httpStatus).toBe(404);
    expect(fake.requests().filter(r => r.write)).toHaveLength(1);
  });

  it.each([
    ['Invalid', 'starts with an upper-case letter'],
    ['1app', 'starts with a digit'],
    ['app-', 'ends with a hyphen'],
    [`a${'b'.repeat(49)}`, 'is 50 characters long'],
    ['my_app', 'has an underscore'],
  ])('rejects serviceId %s (%s) as Cloud Run does', async serviceId => {
    const err = await googleError(
      services().create({ parent, serviceId, requestBody: serviceBody }),
    );
    expect(err).toMatchObject({
      httpStatus: 400,
      status: 'INVALID_ARGUMENT',
      message:
        'Violation in CreateServiceRequest.service_id: only lowercase, digits, and hyphens; must begin with letter, and cannot end with hyphen; must be less than 50 characters.',
    });
    expect(err.details[0]).toEqual({
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [
        {
          field: 'Violation in CreateServiceRequest.service_id',
          description:
            'only lowercase, digits, and hyphens; must begin with letter, and cannot end with hyphen; must be less than 50 characters.',
        },
      ],
    });
  });

  it('rejects reserved label and annotation namespaces and reserved env names', async () => {
    const annotation = await googleError(
      services().create({
        parent,
        serviceId: 'a1',
        requestBody: {
          ...serviceBody,
          annotations: { 'run.googleapis.com/iap-enabled': 'true' },
        },
      }),
    );
    expect(annotation.message).toBe(
      'Violation in CreateServiceRequest.service.annotations[run.googleapis.com/iap-enabled]: system annotations are not supported in Cloud Run API v2.',
    );
    const label = await googleError(
      services().create({
        parent,
        serviceId: 'a2',
        requestBody: {
          ...serviceBody,
          labels: { 'serving.knative.dev/x': 'y' },
        },
      }),
    );
    expect(label.status).toBe('INVALID_ARGUMENT');
    const env = await googleError(
      services().create({
        parent,
        serviceId: 'a3',
        requestBody: {
          template: {
            containers: [
              { image: 'x/y:1', env: [{ name: 'PORT', value: '1' }] },
            ],
          },
        },
      }),
    );
    expect(env.message).toBe(
      'template.containers[0].env: The following reserved env names were provided: PORT. These values are automatically set by the system.',
    );
    const noTemplate = await googleError(
      services().create({ parent, serviceId: 'a4', requestBody: {} }),
    );
    expect(noTemplate.message).toBe(
      'Violation in CreateServiceRequest.service.template: required field not present.',
    );
  });

  it('answers 409 ALREADY_EXISTS, 404 NOT_FOUND, 403 for unknown projects and 400 for unknown regions', async () => {
    expect(
      await googleError(
        services().create({
          parent,
          serviceId: 'existing',
          requestBody: serviceBody,
        }),
      ),
    ).toMatchObject({ httpStatus: 409, status: 'ALREADY_EXISTS' });
    expect(
      await googleError(services().get({ name: `${parent}/services/missing` })),
    ).toMatchObject({
      httpStatus: 404,
      status: 'NOT_FOUND',
      message: `service "${parent}/services/missing" not found`,
    });
    expect(
      await googleError(
        services().get({
          name: 'projects/nope-project/locations/europe-west2/services/x',
        }),
      ),
    ).toMatchObject({ httpStatus: 403, status: 'PERMISSION_DENIED' });
    expect(
      await googleError(
        services().get({
          name: 'projects/test-project/locations/mars-north1/services/x',
        }),
      ),
    ).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
  });

  it('lists services page by page', async () => {
    for (const id of ['b-app', 'c-app', 'd-app']) {
      await services().create({
        parent,
        serviceId: id,
        requestBody: serviceBody,
      });
    }
    const names: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await services().list({
        parent,
        pageSize: 2,
        pageToken,
      });
      names.push(...(data.services ?? []).map(s => s.name!.split('/').pop()!));
      pageToken = data.nextPageToken ?? undefined;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(2);
    expect(names).toEqual(['b-app', 'c-app', 'd-app', 'existing']);
  });

  it('lists the services of every region for the locations/- wildcard', async () => {
    await services().create({
      parent: 'projects/test-project/locations/us-central1',
      serviceId: 'a-app',
      requestBody: serviceBody,
    });
    await services().create({
      parent,
      serviceId: 'b-app',
      requestBody: serviceBody,
    });
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await services().list({
        parent: 'projects/test-project/locations/-',
        pageSize: 2,
        pageToken,
      });
      names.push(...(data.services ?? []).map(s => s.name!));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(names).toEqual([
      'projects/test-project/locations/europe-west2/services/b-app',
      'projects/test-project/locations/europe-west2/services/existing',
      'projects/test-project/locations/us-central1/services/a-app',
    ]);
    expect(
      await googleError(
        services().list({ parent: 'projects/nope-project/locations/-' }),
      ),
    ).toMatchObject({ httpStatus: 403, status: 'PERMISSION_DENIED' });
    expect(
      await googleError(
        services().get({
          name: 'projects/test-project/locations/-/services/x',
        }),
      ),
    ).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });

    // A region the wildcard cannot reach: its services are left out and it is named.
    fake.world.run.unreachableRegions.add('us-central1');
    const { data: partial } = await services().list({
      parent: 'projects/test-project/locations/-',
    });
    expect(partial.services?.map(s => s.name)).toEqual([
      'projects/test-project/locations/europe-west2/services/b-app',
      'projects/test-project/locations/europe-west2/services/existing',
    ]);
    expect(partial.unreachable).toEqual([
      'projects/test-project/locations/us-central1',
    ]);
  });

  it('patches only the fields in updateMask and creates with allowMissing', async () => {
    const name = `${parent}/services/existing`;
    const before = (await services().get({ name })).data;
    const { data: op } = await services().patch({
      name,
      updateMask: 'iapEnabled',
      requestBody: { iapEnabled: false, description: 'ignored' },
    });
    await waitForOperation(op.name!);
    const after = (await services().get({ name })).data;
    expect(after.iapEnabled).toBe(false);
    expect(after.description).toBe(before.description);
    expect(after.generation).toBe('2');
    expect(after.latestCreatedRevision).toMatch(/existing-00002-/);

    const missing = await googleError(
      services().patch({
        name: `${parent}/services/ghost`,
        requestBody: serviceBody,
      }),
    );
    expect(missing.httpStatus).toBe(404);
    const { data: created } = await services().patch({
      name: `${parent}/services/ghost`,
      allowMissing: true,
      requestBody: serviceBody,
    });
    await waitForOperation(created.name!);
    expect(
      (await services().get({ name: `${parent}/services/ghost` })).data
        .generation,
    ).toBe('1');
  });

  it('refuses an update carrying a stale service etag', async () => {
    const name = `${parent}/services/existing`;
    const { data: read } = await services().get({ name });
    const { data: op } = await services().patch({
      name,
      updateMask: 'description',
      requestBody: { description: 'first', etag: read.etag },
    });
    await waitForOperation(op.name!);
    const err = await googleError(
      services().patch({
        name,
        updateMask: 'description',
        requestBody: { description: 'second', etag: read.etag },
      }),
    );
    expect(err).toMatchObject({ httpStatus: 409, status: 'ABORTED' });
  });

  it('deletes a service and its IAM policy', async () => {
    const name = `${parent}/services/existing`;
    const { data: op } = await services().delete({ name });
    const done = await waitForOperation(op.name!);
    expect(done.response?.name).toBe(name);
    expect((await googleError(services().get({ name }))).httpStatus).toBe(404);
  });

  describe('IAM', () => {
    const resource = `${parent}/services/existing`;

    it('reads with GET and options.requestedPolicyVersion, writes with etags', async () => {
      const { data: policy } = await services().getIamPolicy({
        resource,
        'options.requestedPolicyVersion': 3,
      });
      expect(policy.version).toBe(1);
      expect(policy.etag).toMatch(/^Bw[A-Za-z0-9+/]{9}=$/);
      expect(policy.bindings).toEqual([
        { role: 'roles/run.invoker', members: ['user:owner@example.com'] },
      ]);
      const getCall = fake
        .requests()
        .find(r => r.methodId?.endsWith('getIamPolicy'));
      expect(getCall).toMatchObject({ httpMethod: 'GET' });
      expect(getCall?.query).toContain('options.requestedPolicyVersion=3');

      const { data: updated } = await services().setIamPolicy({
        resource,
        requestBody: {
          policy: {
            ...policy,
            bindings: [
              ...policy.bindings!,
              {
                role: 'roles/run.invoker',
                members: [
                  'serviceAccount:service-42@gcp-sa-iap.iam.gserviceaccount.com',
                ],
              },
            ],
          },
        },
      });
      expect(updated.etag).not.toBe(policy.etag);
      expect(updated.bindings).toEqual([
        {
          role: 'roles/run.invoker',
          members: [
            'user:owner@example.com',
            'serviceAccount:service-42@gcp-sa-iap.iam.gserviceaccount.com',
          ],
        },
      ]);

      const stale = await googleError(
        services().setIamPolicy({ resource, requestBody: { policy } }),
      );
      expect(stale).toMatchObject({ httpStatus: 409, status: 'ABORTED' });
      expect(stale.message).toMatch(
        /^There were concurrent policy changes\. Please retry the whole read-modify-write with exponential backoff\. The request's ETag '.+' did not match the current policy's ETag '.+'\.$/,
      );
    });

    it('returns an empty policy as only an etag', async () => {
      await services().create({
        parent,
        serviceId: 'fresh',
        requestBody: serviceBody,
      });
      const { data } = await services().getIamPolicy({
        resource: `${parent}/services/fresh`,
      });
      expect(data).toEqual({ etag: 'ACAB' });
    });

    it('refuses conditions, foreign roles and malformed members on Run IAM', async () => {
      const condition = await googleError(
        services().setIamPolicy({
          resource,
          requestBody: {
            policy: {
              version: 3,
              bindings: [
                {
                  role: 'roles/run.invoker',
                  members: ['user:a@example.com'],
                  condition: { title: 't', expression: 'true' },
                },
              ],
            },
          },
        }),
      );
      expect(condition).toMatchObject({
        httpStatus: 400,
        status: 'INVALID_ARGUMENT',
      });
      const role = await googleError(
        services().setIamPolicy({
          resource,
          requestBody: {
            policy: {
              bindings: [
                {
                  role: 'roles/iap.httpsResourceAccessor',
                  members: ['user:a@example.com'],
                },
              ],
            },
          },
        }),
      );
      expect(role.message).toBe(
        'Role roles/iap.httpsResourceAccessor is not supported for this resource.',
      );
      const member = await googleError(
        services().setIamPolicy({
          resource,
          requestBody: {
            policy: {
              bindings: [
                { role: 'roles/run.invoker', members: ['alice@example.com'] },
              ],
            },
          },
        }),
      );
      expect(member.message).toBe(
        'Policy members must be of the form "<type>:<value>".',
      );
    });

    it('answers testIamPermissions with the permissions the caller holds', async () => {
      const { data } = await services().testIamPermissions({
        resource,
        requestBody: {
          permissions: ['run.services.get', 'run.services.setIamPolicy'],
        },
      });
      expect(data.permissions).toEqual([
        'run.services.get',
        'run.services.setIamPolicy',
      ]);
    });
  });
});
