import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  demoSeedPath,
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  accessLevelsCondition,
  ManagedBindingError,
  MANAGED_CONDITION_TITLE,
  timeBoundBinding,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { GoogleCloudClient, iapResourceName } from '../GoogleCloudClient';
import {
  changeAccessors,
  IamPolicyChangedError,
  modifyIapAccessPolicy,
  readIapAccessPolicy,
  writeIapAccessPolicy,
} from './iapAccessPolicy';

const iapResource = iapResourceName(
  '100000000001',
  'europe-west2',
  'access-manager',
);
const ACCESSOR = 'roles/iap.httpsResourceAccessor';
const CORP = 'accessPolicies/555000000001/accessLevels/corp_network';

describe('the IAP policy of a service against the fake', () => {
  let fake: GoogleCloudFake;
  const client = () =>
    GoogleCloudClient.fromConfig(
      new ConfigReader({ cloudRunIap: { google: { endpoint: fake.url } } }),
      {
        logger: mockServices.logger.mock(),
        retry: { baseDelayMs: 5, maxDelayMs: 20, attempts: 3 },
      },
    );

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('changes the managed accessors and keeps every other binding as it was', async () => {
    const c = client();
    const before = await readIapAccessPolicy(c, iapResource);
    const result = await changeAccessors(c, iapResource, {
      add: ['user:new@example.com'],
      remove: [],
    });
    expect(result.changed).toBe(true);
    expect(result.members).toContain('user:new@example.com');
    const after = await readIapAccessPolicy(c, iapResource);
    expect(after.etag).not.toBe(before.etag);
    const untouched = (before.bindings ?? []).filter(
      b => b.role !== ACCESSOR || b.condition,
    );
    for (const binding of untouched) {
      expect(after.bindings).toContainEqual(binding);
    }
    const again = await changeAccessors(c, iapResource, {
      add: ['user:new@example.com'],
      remove: [],
    });
    expect(again.changed).toBe(false);
  });

  it('writes only with a current etag, and says when the policy changed since', async () => {
    const c = client();
    const read = await readIapAccessPolicy(c, iapResource);
    await changeAccessors(c, iapResource, {
      add: ['user:meanwhile@example.com'],
      remove: [],
    });
    const writes = fake.requests().filter(r => r.write).length;
    const stale = writeIapAccessPolicy(c, iapResource, {
      etag: read.etag!,
      bindings: [
        ...(read.bindings ?? []),
        { role: ACCESSOR, members: ['user:late@example.com'] },
      ],
    });
    await expect(stale).rejects.toBeInstanceOf(IamPolicyChangedError);
    await expect(stale).rejects.toThrow(/changed since it was read/);
    const now = await readIapAccessPolicy(c, iapResource);
    const members = (now.bindings ?? []).flatMap(b => b.members);
    expect(members).toContain('user:meanwhile@example.com');
    expect(members).not.toContain('user:late@example.com');
    // The refused write was tried once, not retried.
    expect(fake.requests().filter(r => r.write).length).toBe(writes + 1);

    const written = await writeIapAccessPolicy(c, iapResource, {
      etag: now.etag!,
      bindings: [
        ...(now.bindings ?? []),
        {
          role: ACCESSOR,
          members: ['user:late@example.com'],
          condition: accessLevelsCondition([CORP]),
        },
        { role: 'roles/iap.admin', members: [] },
      ],
    });
    expect(written.version).toBe(3);
    expect(written.bindings).toContainEqual({
      role: ACCESSOR,
      members: ['user:late@example.com'],
      condition: accessLevelsCondition([CORP]),
    });
    expect(written.bindings?.some(b => b.members.length === 0)).toBe(false);
  });

  it('adds a time-bound binding by read-modify-write, in the analysis shape', async () => {
    const c = client();
    const binding = timeBoundBinding({
      member: 'user:temp@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      requestId: 'r-1',
      approvedBy: 'user:default/lead',
    });
    const { changed, policy } = await modifyIapAccessPolicy(
      c,
      iapResource,
      bindings => [...bindings, binding],
    );
    expect(changed).toBe(true);
    expect(policy.version).toBe(3);
    expect(policy.bindings).toContainEqual(binding);
    const unchanged = await modifyIapAccessPolicy(c, iapResource, b => b);
    expect(unchanged.changed).toBe(false);
  });

  it('refuses to change a managed binding edited by hand, writing nothing', async () => {
    const c = client();
    const read = await readIapAccessPolicy(c, iapResource);
    await writeIapAccessPolicy(c, iapResource, {
      etag: read.etag!,
      bindings: [
        ...(read.bindings ?? []),
        {
          role: ACCESSOR,
          members: ['user:a@example.com'],
          condition: { title: MANAGED_CONDITION_TITLE, expression: 'true' },
        },
      ],
    });
    const writes = fake.requests().filter(r => r.write).length;
    await expect(
      changeAccessors(c, iapResource, {
        add: ['user:b@example.com'],
        remove: [],
      }),
    ).rejects.toBeInstanceOf(ManagedBindingError);
    expect(fake.requests().filter(r => r.write).length).toBe(writes);
  });
});
