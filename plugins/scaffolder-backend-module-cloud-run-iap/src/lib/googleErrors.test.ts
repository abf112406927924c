import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  demoSeedPath,
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  GoogleApiError,
  GoogleCloudService,
  iapResourceName,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { googleFailure } from './googleErrors';

describe('googleFailure', () => {
  let fake: GoogleCloudFake;
  const resource = iapResourceName(
    '100000000001',
    'europe-west2',
    'access-manager',
  );

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const client = () =>
    GoogleCloudService.fromConfig(
      new ConfigReader({ cloudRunIap: { google: { endpoint: fake.url } } }),
      { retry: { attempts: 1 } },
    ).forLogger(mockServices.logger.mock());

  const failureOf = async (setUp: () => void) => {
    setUp();
    const error = await client()
      .modifyIamPolicy({ kind: 'iap', resource }, b => [
        ...b,
        {
          role: 'roles/iap.httpsResourceAccessor',
          members: ['user:new@example.com'],
        },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleApiError);
    return googleFailure('Granting access', error);
  };

  it('explains an IAP agent that has not propagated, without naming it', async () => {
    const failure = await failureOf(() =>
      fake.faults.add({
        method: 'iap.setIamPolicy',
        status: 400,
        message:
          'Service account service-100000000001@gcp-sa-iap.iam.gserviceaccount.com does not exist.',
      }),
    );
    expect(failure.message).toMatch(
      /^Granting access failed \(400 INVALID_ARGUMENT: Service account <service account> does not exist\.\)\. The IAP service agent is not provisioned or has not propagated yet/,
    );
    expect(`${failure.message}${failure.stack}`).not.toMatch(
      /gserviceaccount|local-fake-token/,
    );
  });

  it('names the missing permission, scrubbing the portal identity', async () => {
    const failure = await failureOf(() =>
      fake.faults.add({
        method: 'iap.setIamPolicy',
        status: 403,
        message:
          "Permission 'iap.webServices.setIamPolicy' denied for portal@acme-internal-apps.iam.gserviceaccount.com",
      }),
    );
    expect(failure.message).toBe(
      "Granting access failed (403 PERMISSION_DENIED: Permission 'iap.webServices.setIamPolicy' denied for <service account>). The portal's service account lacks a permission; see the README section on IAM roles",
    );
  });
});
