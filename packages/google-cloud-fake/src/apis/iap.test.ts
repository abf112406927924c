import { GoogleCloudFake, startGoogleCloudFake } from '../server';
import { googleClients, googleError } from '../__testUtils__/googleClients';
import { contractSeed } from '../__testUtils__/seeds';

const serviceResource =
  'projects/42/iap_web/cloud_run-europe-west2/services/existing';
const levelCondition = {
  title: 'Corporate network',
  expression:
    '"accessPolicies/555/accessLevels/corp" in request.auth.access_levels',
};

describe('IAP API v1 through googleapis', () => {
  let fake: GoogleCloudFake;
  let clients: ReturnType<typeof googleClients>;
  const iap = () => clients.iap.v1;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({
      seed: {
        ...contractSeed,
        organizations: [
          {
            id: '111',
            domain: 'example.com',
            orgPolicies: [
              {
                constraint: 'constraints/iam.allowedPolicyMemberDomains',
                allowedDomains: ['example.com'],
              },
            ],
          },
        ],
      },
    });
    clients = googleClients(fake.url);
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it.each([
    'projects/42/iap_web',
    'projects/42/iap_web/cloud_run-europe-west2',
    serviceResource,
  ])('keeps a version 3 policy with conditions at %s', async resource => {
    const empty = await iap().getIamPolicy({
      resource,
      requestBody: { options: { requestedPolicyVersion: 3 } },
    });
    expect(empty.data).toEqual({ etag: 'ACAB' });
    const call = fake.requests().at(-1)!;
    expect(call).toMatchObject({
      httpMethod: 'POST',
      path: `/v1/${resource}:getIamPolicy`,
    });

    const { data: set } = await iap().setIamPolicy({
      resource,
      requestBody: {
        policy: {
          version: 3,
          etag: empty.data.etag,
          bindings: [
            {
              role: 'roles/iap.httpsResourceAccessor',
              members: ['group:team@example.com'],
              condition: levelCondition,
            },
          ],
        },
      },
    });
    expect(set.version).toBe(3);
    expect(set.bindings?.[0].condition).toEqual(levelCondition);

    const v3 = await iap().getIamPolicy({
      resource,
      requestBody: { options: { requestedPolicyVersion: 3 } },
    });
    expect(v3.data).toEqual(set);
  });

  it('hides conditions from readers below version 3, as IAM does', async () => {
    await iap().setIamPolicy({
      resource: serviceResource,
      requestBody: {
        policy: {
          version: 3,
          bindings: [
            {
              role: 'roles/iap.httpsResourceAccessor',
              members: ['group:team@example.com'],
              condition: levelCondition,
            },
            {
              role: 'roles/iap.httpsResourceAccessor',
              members: ['user:a@example.com'],
            },
          ],
        },
      },
    });
    const { data } = await iap().getIamPolicy({
      resource: serviceResource,
      requestBody: {},
    });
    expect(data.version).toBe(1);
    expect(data.bindings?.[0].role).toMatch(
      /^roles\/iap\.httpsResourceAccessor_withcond_[0-9a-f]{20}$/,
    );
    expect(data.bindings?.[0].condition).toBeUndefined();
    expect(data.bindings?.[1]).toEqual({
      role: 'roles/iap.httpsResourceAccessor',
      members: ['user:a@example.com'],
    });
  });

  it('refuses conditional bindings without version 3, malformed conditions and stale etags', async () => {
    const noVersion = await googleError(
      iap().setIamPolicy({
        resource: serviceResource,
        requestBody: {
          policy: {
            bindings: [
              {
                role: 'roles/iap.httpsResourceAccessor',
                members: ['user:a@example.com'],
                condition: levelCondition,
              },
            ],
          },
        },
      }),
    );
    expect(noVersion).toMatchObject({
      httpStatus: 400,
      status: 'INVALID_ARGUMENT',
    });
    expect(noVersion.message).toMatch(
      /^Policy version 1 cannot be used with conditional role bindings/,
    );

    const malformed = await googleError(
      iap().setIamPolicy({
        resource: serviceResource,
        requestBody: {
          policy: {
            version: 3,
            bindings: [
              {
                role: 'roles/iap.httpsResourceAccessor',
                members: ['user:a@example.com'],
                condition: { title: 'broken', expression: '"a" in (' },
              },
            ],
          },
        },
      }),
    );
    expect(malformed.status).toBe('INVALID_ARGUMENT');
    expect(malformed.message).toMatch(/is not valid CEL/);

    const untitled = await googleError(
      iap().setIamPolicy({
        resource: serviceResource,
        requestBody: {
          policy: {
            version: 3,
            bindings: [
              {
                role: 'roles/iap.httpsResourceAccessor',
                members: ['user:a@example.com'],
                condition: { expression: 'true' },
              },
            ],
          },
        },
      }),
    );
    expect(untitled.message).toMatch(/needs a title/);

    const first = await iap().getIamPolicy({
      resource: serviceResource,
      requestBody: {},
    });
    await iap().setIamPolicy({
      resource: serviceResource,
      requestBody: {
        policy: {
          etag: first.data.etag,
          bindings: [
            {
              role: 'roles/iap.httpsResourceAccessor',
              members: ['user:a@example.com'],
            },
          ],
        },
      },
    });
    const stale = await googleError(
      iap().setIamPolicy({
        resource: serviceResource,
        requestBody: {
          policy: {
            etag: first.data.etag,
            bindings: [
              {
                role: 'roles/iap.httpsResourceAccessor',
                members: ['user:b@example.com'],
              },
            ],
          },
        },
      }),
    );
    expect(stale).toMatchObject({ httpStatus: 409, status: 'ABORTED' });
  });

  it('refuses members outside the organisation under domain restricted sharing', async () => {
    const err = await googleError(
      iap().setIamPolicy({
        resource: serviceResource,
        requestBody: {
          policy: {
            bindings: [
              {
                role: 'roles/iap.httpsResourceAccessor',
                members: ['user:ok@example.com', 'user:someone@gmail.com'],
              },
            ],
          },
        },
      }),
    );
    expect(err).toMatchObject({
      httpStatus: 400,
      status: 'FAILED_PRECONDITION',
      message:
        'One or more users named in the policy do not belong to a permitted customer,  perhaps due to an organization policy.',
    });
    expect(err.details[0].violations).toEqual([
      {
        type: 'constraints/iam.allowedPolicyMemberDomains',
        subject:
          'orgpolicy:projects/test-project?configvalue=someone@gmail.com',
        description: 'User someone@gmail.com is not in permitted organization.',
      },
    ]);
  });

  it('needs the project number: a project ID fails, unknown services are 404', async () => {
    const byId = await googleError(
      iap().getIamPolicy({
        resource:
          'projects/test-project/iap_web/cloud_run-europe-west2/services/existing',
        requestBody: {},
      }),
    );
    expect(byId).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    const missing = await googleError(
      iap().getIamPolicy({
        resource: 'projects/42/iap_web/cloud_run-europe-west2/services/ghost',
        requestBody: {},
      }),
    );
    expect(missing).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
  });

  it('answers testIamPermissions on IAP resources', async () => {
    const { data } = await iap().testIamPermissions({
      resource: 'projects/42/iap_web/cloud_run-europe-west2',
      requestBody: { permissions: ['iap.webServiceVersions.accessViaIAP'] },
    });
    expect(data.permissions).toEqual(['iap.webServiceVersions.accessViaIAP']);
  });

  it('reads and updates IAP settings with an update mask', async () => {
    const { data: unset } = await iap().getIapSettings({
      name: serviceResource,
    });
    expect(unset).toEqual({ name: serviceResource });

    await iap().updateIapSettings({
      name: serviceResource,
      updateMask: 'accessSettings.reauthSettings',
      requestBody: {
        accessSettings: {
          reauthSettings: {
            method: 'SECURE_KEY',
            maxAge: '3600s',
            policyType: 'MINIMUM',
          },
          corsSettings: { allowHttpOptions: true },
        },
      },
    });
    const { data } = await iap().getIapSettings({ name: serviceResource });
    expect(data).toEqual({
      name: serviceResource,
      accessSettings: {
        reauthSettings: {
          method: 'SECURE_KEY',
          maxAge: '3600s',
          policyType: 'MINIMUM',
        },
      },
    });
  });
});
