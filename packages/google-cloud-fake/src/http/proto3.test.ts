import { GoogleCloudFake, startGoogleCloudFake } from '../server';
import { googleClients, googleError } from '../__testUtils__/googleClients';
import { contractSeed } from '../__testUtils__/seeds';
import { parseSeed } from '../seed/load';

const intEnums = { $alt: 'json;enum-encoding=int' };
const service =
  'projects/test-project/locations/europe-west2/services/existing';
const iapResource =
  'projects/42/iap_web/cloud_run-europe-west2/services/existing';

describe('proto3 JSON forms through googleapis', () => {
  let fake: GoogleCloudFake;
  let clients: ReturnType<typeof googleClients>;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({
      seed: { ...contractSeed, runtime: { operationDelayMs: 0 } },
    });
    clients = googleClients(fake.url);
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const services = () => clients.run.projects.locations.services;
  const template = { containers: [{ image: 'x' }] };

  it.each([
    ['an enum name', 'INGRESS_TRAFFIC_INTERNAL_ONLY'],
    ['an enum number', 2],
    ['an enum number as a string', '2'],
  ])('accepts %s for Run ingress', async (_, ingress) => {
    await services().patch({
      name: service,
      requestBody: { ingress, template } as any,
    });
    expect((await services().get({ name: service })).data.ingress).toBe(
      'INGRESS_TRAFFIC_INTERNAL_ONLY',
    );
  });

  it.each([
    ['a number', 3],
    ['a string', '3'],
  ])('accepts integers as %s', async (_, count) => {
    await services().patch({
      name: service,
      requestBody: {
        template: {
          scaling: { maxInstanceCount: count },
          containers: [{ image: 'x' }],
        },
      } as any,
    });
    const { data } = await services().get({ name: service });
    expect(data.template!.scaling!.maxInstanceCount).toBe(3);
    const policy = await clients.iap.v1.setIamPolicy({
      resource: iapResource,
      requestBody: {
        policy: { version: count === 3 ? 1 : ('1' as any), bindings: [] },
      },
    });
    expect(policy.data.etag).toBeTruthy();
  });

  it('accepts int64 fields as strings or numbers', async () => {
    for (const generation of ['7', 7]) {
      await services().patch({
        name: service,
        requestBody: { generation, template } as any,
      });
    }
    const bad = await googleError(
      services().patch({
        name: service,
        requestBody: { generation: 'seven', template } as any,
      }),
    );
    expect(bad).toMatchObject({
      httpStatus: 400,
      message: `Invalid value at 'service.generation' (TYPE_INT64), "seven"`,
    });
  });

  it('accepts proto field names as well as lowerCamel ones', async () => {
    await services().patch({
      name: service,
      requestBody: { invoker_iam_disabled: true, template } as any,
    });
    expect(
      (await services().get({ name: service })).data.invokerIamDisabled,
    ).toBe(true);
  });

  it('answers with integer enums when asked to, names otherwise', async () => {
    await services().patch({
      name: service,
      requestBody: {
        ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
        template,
      },
    });
    const { data } = await services().get({
      name: service,
      ...intEnums,
    } as any);
    expect(data.ingress).toBe(3);
    expect(data.launchStage).toBe(4);
    expect(data.terminalCondition!.state).toBe(4);
    expect(data.traffic![0].type).toBe(1);
    expect((await services().get({ name: service })).data.ingress).toBe(
      'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
    );
    const op = await services().patch({
      name: service,
      requestBody: { ingress: 1, template } as any,
      ...intEnums,
    } as any);
    expect((op.data.metadata as any).ingress).toBe(1);
    const settings = await clients.iap.v1.updateIapSettings({
      name: iapResource,
      requestBody: {
        accessSettings: {
          reauthSettings: {
            method: 3 as any,
            maxAge: '60s',
            policyType: 'DEFAULT',
          },
          identitySources: [3 as any],
        },
      },
      ...intEnums,
    } as any);
    expect(settings.data.accessSettings).toMatchObject({
      reauthSettings: { method: 3, policyType: 2 },
      identitySources: [3],
    });
    const stored = await clients.iap.v1.getIapSettings({ name: iapResource });
    expect(stored.data.accessSettings).toMatchObject({
      reauthSettings: { method: 'SECURE_KEY' },
      identitySources: ['WORKFORCE_IDENTITY_FEDERATION'],
    });
    expect(
      (
        await clients.iam.roles.get({
          name: 'roles/run.invoker',
          ...intEnums,
        } as any)
      ).data.stage,
    ).toBe(2);
  });

  it.each([
    [
      'at the top of the service',
      { ingresss: 'INGRESS_TRAFFIC_ALL', template },
      `Invalid JSON payload received. Unknown name "ingresss" at 'service': Cannot find field.`,
    ],
    [
      'inside a list',
      { template: { containers: [{ image: 'x', imagee: 'y' }] } },
      `Invalid JSON payload received. Unknown name "imagee" at 'service.template.containers[0]': Cannot find field.`,
    ],
  ])(
    'refuses an unknown field %s with Google 400',
    async (_, requestBody, message) => {
      const error = await googleError(
        services().patch({ name: service, requestBody: requestBody as any }),
      );
      expect(error).toMatchObject({
        httpStatus: 400,
        status: 'INVALID_ARGUMENT',
        message,
      });
      expect(error.details[0]).toMatchObject({
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [{ description: message }],
      });
    },
  );

  it('refuses unknown fields of request messages and of IAP settings, and enum numbers it does not know', async () => {
    expect(
      await googleError(
        clients.iap.v1.setIamPolicy({
          resource: iapResource,
          requestBody: { policy: {}, polcy: {} } as any,
        }),
      ),
    ).toMatchObject({
      httpStatus: 400,
      message: `Invalid JSON payload received. Unknown name "polcy": Cannot find field.`,
    });
    expect(
      await googleError(
        clients.iap.v1.updateIapSettings({
          name: iapResource,
          requestBody: { accessSettings: { reauth: {} } } as any,
        }),
      ),
    ).toMatchObject({
      message: `Invalid JSON payload received. Unknown name "reauth" at 'iap_settings.access_settings': Cannot find field.`,
    });
    expect(
      await googleError(
        services().patch({
          name: service,
          requestBody: { ingress: 9, template } as any,
        }),
      ),
    ).toMatchObject({
      message: `Invalid value at 'service.ingress' (type.googleapis.com/google.cloud.run.v2.IngressTraffic), 9`,
    });
    expect(
      await googleError(
        clients.iam.projects.serviceAccounts.create({
          name: 'projects/test-project',
          requestBody: { accountId: 'abcdef', extra: 1 } as any,
        }),
      ),
    ).toMatchObject({
      httpStatus: 400,
      message: `Invalid JSON payload received. Unknown name "extra": Cannot find field.`,
    });
    expect(fake.requests().filter(r => r.write && r.status === 200)).toEqual(
      [],
    );
  });

  it('refuses a Duration that is not seconds with an s', async () => {
    const error = await googleError(
      clients.iap.v1.updateIapSettings({
        name: iapResource,
        requestBody: {
          accessSettings: {
            reauthSettings: {
              method: 'LOGIN',
              maxAge: '1h',
              policyType: 'DEFAULT',
            },
          },
        },
      }),
    );
    expect(error).toMatchObject({
      httpStatus: 400,
      message: `Invalid value at 'iap_settings.access_settings.reauth_settings.max_age' (type.googleapis.com/google.protobuf.Duration), "1h"`,
    });
  });

  it('checks seeded IAP settings against the IapSettings message', () => {
    expect(() =>
      parseSeed({
        organizations: [
          {
            id: '1',
            domain: 'example.com',
            iapSettings: { accessSettings: { oauth: {} } },
          },
        ],
      }),
    ).toThrow(
      /organizations\[0\]\.iapSettings: Invalid JSON payload received\. Unknown name "oauth" at 'access_settings'/,
    );
  });
});
