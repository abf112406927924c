import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  demoSeedPath,
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  GoogleCloudClient,
  iapResourceName,
  iapServiceAgent,
  iapSettingsResources,
} from './GoogleCloudClient';
import { GoogleApiError } from './errors';
import { describeGoogleError, isRetryable } from './retry';

const runName =
  'projects/acme-internal-apps/locations/europe-west2/services/access-manager';
const iapResource = iapResourceName(
  '100000000001',
  'europe-west2',
  'access-manager',
);

describe('GoogleCloudClient against the fake', () => {
  let fake: GoogleCloudFake;
  const logger = mockServices.logger.mock();

  const client = (extra: object = {}) =>
    GoogleCloudClient.fromConfig(
      new ConfigReader({
        cloudRunIap: {
          google: { endpoint: fake.url },
          concurrency: 4,
          ...extra,
        },
      }),
      { logger, retry: { baseDelayMs: 5, maxDelayMs: 20, attempts: 8 } },
    );

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    jest.clearAllMocks();
  });

  it('resolves a project to its number, ancestry and organisation domain', async () => {
    expect(await client().resolveProject('acme-internal-apps')).toEqual({
      projectId: 'acme-internal-apps',
      projectNumber: '100000000001',
      ancestry: ['folders/200000000001', 'organizations/123456789012'],
      organizationId: '123456789012',
      organizationDomain: 'example.com',
    });
  });

  it('still resolves the project when the organisation is not readable', async () => {
    fake.faults.add({
      method: 'cloudresourcemanager.organizations.get',
      status: 403,
    });
    const project = await client().resolveProject('acme-sandbox');
    expect(project.organizationId).toBe('123456789012');
    expect(project.organizationDomain).toBeUndefined();
  });

  it('generates the IAP agent and grants it run.invoker through the propagation delay', async () => {
    const c = client();
    const { projectNumber } = await c.resolveProject('acme-sandbox');
    const agent = await c.ensureIapServiceAgent(projectNumber);
    expect(agent).toBe(iapServiceAgent('100000000002'));
    const op = await c.createService(
      'projects/acme-sandbox/locations/europe-west2',
      'fresh',
      { iapEnabled: true, template: { containers: [{ image: 'x/y:1' }] } },
    );
    await c.waitForOperation(op);
    const name = 'projects/acme-sandbox/locations/europe-west2/services/fresh';
    const { policy, changed } = await c.modifyIamPolicy(
      { kind: 'run', name },
      bindings => [
        ...bindings,
        { role: 'roles/run.invoker', members: [agent] },
      ],
    );
    expect(changed).toBe(true);
    expect(policy.bindings).toEqual([
      { role: 'roles/run.invoker', members: [agent] },
    ]);
    // The seed's one propagation failure was retried, and logged once.
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /does not exist.*retry 1 of 7/,
    );
  });

  it('keeps every binding it does not touch, conditions included, and skips no-op writes', async () => {
    const c = client();
    const before = await c.getIamPolicy({ kind: 'iap', resource: iapResource });
    const { policy } = await c.modifyIamPolicy(
      { kind: 'iap', resource: iapResource },
      b => [
        ...b,
        {
          role: 'roles/iap.httpsResourceAccessor',
          members: ['user:new@example.com'],
        },
      ],
    );
    expect(policy.bindings?.slice(0, before.bindings!.length)).toEqual(
      before.bindings,
    );
    expect(policy.version).toBe(3);
    const writes = fake.requests().filter(r => r.write).length;
    const again = await c.modifyIamPolicy(
      { kind: 'iap', resource: iapResource },
      b => b,
    );
    expect(again.changed).toBe(false);
    expect(fake.requests().filter(r => r.write).length).toBe(writes);
  });

  it('says it changed a policy when Google applied the write and the answer was lost', async () => {
    const c = client();
    fake.faults.add({
      method: 'iap.setIamPolicy',
      status: 503,
      applied: true,
      count: 1,
    });
    const member = 'user:lost-answer@example.com';
    const { changed, policy } = await c.modifyIamPolicy(
      { kind: 'iap', resource: iapResource },
      b =>
        b.some(x => x.members?.includes(member))
          ? b
          : [
              ...b,
              { role: 'roles/iap.httpsResourceAccessor', members: [member] },
            ],
    );
    // The retry carried the old etag (409); the re-read found the write in force.
    expect(
      fake
        .requests()
        .filter(r => r.methodId === 'iap.setIamPolicy')
        .map(r => r.status),
    ).toEqual([503, 409]);
    expect(changed).toBe(true);
    expect(policy.bindings?.flatMap(b => b.members)).toContain(member);
  });

  it('lands two concurrent changes of the same policy', async () => {
    const c = client();
    const add = (member: string) =>
      c.modifyIamPolicy({ kind: 'iap', resource: iapResource }, b => [
        ...b,
        { role: 'roles/iap.httpsResourceAccessor', members: [member] },
      ]);
    fake.faults.add({ method: 'iap.getIamPolicy', latencyMs: 30 });
    await Promise.all([
      add('user:one@example.com'),
      add('user:two@example.com'),
    ]);
    const members = (
      await c.getIamPolicy({ kind: 'iap', resource: iapResource })
    ).bindings!.flatMap(b => b.members);
    expect(members).toEqual(
      expect.arrayContaining(['user:one@example.com', 'user:two@example.com']),
    );
    expect(fake.requests().some(r => r.status === 409)).toBe(true);
  });

  it('gets through 20% of 503 and 429 answers on every method', async () => {
    fake.faults.add({ method: '*', status: 503, probability: 0.1 });
    fake.faults.add({ method: '*', status: 429, probability: 0.1 });
    const c = client();
    for (let i = 0; i < 10; i++) {
      expect((await c.getService(runName))?.iapEnabled).toBe(true);
      await c.modifyIamPolicy({ kind: 'run', name: runName }, b => b);
    }
    expect(
      await c.listAccessLevels('accessPolicies/555000000001'),
    ).toHaveLength(8);
    expect(fake.requests().some(r => r.fault)).toBe(true);
  });

  it('reads optional data: a missing service is undefined, perimeters and settings come back', async () => {
    const c = client();
    expect(
      await c.getService(runName.replace('access-manager', 'ghost')),
    ).toBeUndefined();
    const perimeters = await c.listServicePerimeters(
      'accessPolicies/555000000001',
    );
    expect(perimeters.map(p => p.name)).toContain(
      'accessPolicies/555000000001/servicePerimeters/internal_apps',
    );
    const settings = await c.getIapSettings(
      iapResourceName('100000000001', 'europe-west2', 'data-sharing-api'),
    );
    expect(
      settings.accessSettings?.oauthSettings?.programmaticClients,
    ).toHaveLength(1);
    const org = await c.getIamPolicy({
      kind: 'resource-manager',
      resource: 'organizations/123456789012',
    });
    expect(org.bindings?.[0].role).toBe(
      'roles/resourcemanager.organizationAdmin',
    );
  });

  it('lists every region with locations/-, and fails naming a region Google could not reach', async () => {
    const c = client();
    const everywhere = await c.listServices(
      'projects/acme-internal-apps/locations/-',
    );
    expect(everywhere.map(s => s.name)).toContain(runName);
    fake.world.run.unreachableRegions.add('europe-west2');
    await expect(
      c.listServices('projects/acme-internal-apps/locations/-'),
    ).rejects.toMatchObject({
      name: 'GoogleApiError',
      httpStatus: 503,
      status: 'UNAVAILABLE',
      message: expect.stringContaining(
        'could not reach projects/acme-internal-apps/locations/europe-west2',
      ),
    });
  });

  it('waits for operations, and stops waiting on abort', async () => {
    const c = client();
    const parent = 'projects/acme-internal-apps/locations/europe-west2';
    const op = await c.createService(parent, 'waiting', {
      template: { containers: [{ image: 'x/y:1' }] },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('task cancelled')), 100);
    await expect(
      c.waitForOperation(op, { signal: controller.signal }),
    ).rejects.toThrow('task cancelled');
    const progress: number[] = [];
    const done = await c.waitForOperation(op, {
      progressEveryMs: 0,
      onProgress: ms => progress.push(ms),
    });
    expect(done.done).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('keeps Google calls within the configured concurrency', async () => {
    const c = client({ concurrency: 2 });
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      latencyMs: 40,
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => c.getService(runName)));
    // Six 40 ms calls two at a time take at least three rounds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('rejects with a scrubbed GoogleApiError, never the googleapis error and its request', async () => {
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      status: 403,
      message:
        "Permission 'run.services.get' denied for portal@acme-internal-apps.iam.gserviceaccount.com",
    });
    const error = await client()
      .getService(runName)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect(error).toMatchObject({
      httpStatus: 403,
      status: 'PERMISSION_DENIED',
      method: `services.get ${runName}`,
      message: "Permission 'run.services.get' denied for <service account>",
      retryable: false,
    });
    expect(describeGoogleError(error)).toEqual({
      httpStatus: 403,
      status: 'PERMISSION_DENIED',
      message: "Permission 'run.services.get' denied for <service account>",
    });
    expect(isRetryable(error)).toBe(false);
    const everything = JSON.stringify(
      Object.getOwnPropertyNames(error).map(k => (error as any)[k]),
    );
    expect(everything).not.toMatch(/gserviceaccount|local-fake-token|Bearer/);
    expect(error).not.toHaveProperty('config');
    expect(error).not.toHaveProperty('response');
    expect(error).not.toHaveProperty('cause');
  });

  it('recognises the IAP agent that has not propagated, after scrubbing', async () => {
    const c = client({ google: { endpoint: fake.url } });
    fake.faults.add({
      method: 'iap.setIamPolicy',
      status: 400,
      message:
        'Service account service-100000000001@gcp-sa-iap.iam.gserviceaccount.com does not exist.',
      count: 1,
    });
    await c.modifyIamPolicy({ kind: 'iap', resource: iapResource }, b => [
      ...b,
      {
        role: 'roles/iap.httpsResourceAccessor',
        members: ['user:x@example.com'],
      },
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /setIamPolicy .*Service account <service account> does not exist/,
    );
  });

  it('refuses a credentials value that is not JSON without echoing it', () => {
    let message = '';
    try {
      GoogleCloudClient.fromConfig(
        new ConfigReader({
          cloudRunIap: { google: { credentials: 'sekrit-value' } },
        }),
        { logger },
      );
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(
      /cloudRunIap\.google\.credentials is not valid JSON/,
    );
    expect(message).not.toContain('sekrit');
  });
});

describe('GoogleCloudClient reads of groups, roles, org policies and IAP settings', () => {
  let fake: GoogleCloudFake;
  const logger = mockServices.logger.mock();
  const client = () =>
    GoogleCloudClient.fromConfig(
      new ConfigReader({ cloudRunIap: { google: { endpoint: fake.url } } }),
      { logger, retry: { baseDelayMs: 5, maxDelayMs: 20, attempts: 3 } },
    );

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('expands a group through nested groups, bounded and paginated', async () => {
    const c = client();
    const name = await c.lookupGroup('project-x@example.com');
    expect(name).toMatch(/^groups\//);
    const all = await c.searchTransitiveMemberships(name, { pageSize: 1 });
    expect(all.truncated).toBe(false);
    expect(
      all.members.map(m => [m.preferredMemberKey?.[0].id, m.relationType]),
    ).toEqual([
      ['project-x-partners@example.com', 'DIRECT'],
      ['ada@example.com', 'DIRECT'],
      ['sam@partner-agency.com', 'INDIRECT'],
    ]);
    expect(
      fake
        .requests()
        .filter(r => r.methodId?.endsWith('searchTransitiveMemberships')),
    ).toHaveLength(3);
    const bounded = await c.searchTransitiveMemberships(name, {
      maxMembers: 2,
    });
    expect(bounded.members).toHaveLength(2);
    expect(bounded.truncated).toBe(true);
    expect(
      await c.checkTransitiveMembership(name, 'sam@partner-agency.com'),
    ).toBe(true);
    expect(await c.checkTransitiveMembership(name, "o'brien@example.com")).toBe(
      false,
    );
  });

  it('fails with a GoogleApiError when groups cannot be read', async () => {
    const error = await client()
      .lookupGroup('nobody@example.com')
      .catch(e => e);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect(error).toMatchObject({
      httpStatus: 403,
      status: 'PERMISSION_DENIED',
    });
  });

  it('reads predefined, project and organisation roles by name', async () => {
    const c = client();
    expect(await c.getRole('roles/run.servicesInvoker')).toMatchObject({
      name: 'roles/run.servicesInvoker',
      includedPermissions: ['run.routes.invoke'],
    });
    expect(
      await c.getRole('organizations/123456789012/roles/webAppUser'),
    ).toMatchObject({
      includedPermissions: ['iap.webServiceVersions.accessViaIAP'],
      stage: 'GA',
    });
    expect(
      await c.getRole('projects/acme-sandbox/roles/runCaller'),
    ).toMatchObject({ includedPermissions: ['run.routes.invoke'] });
    expect(
      await c.getRole('projects/acme-sandbox/roles/missing'),
    ).toBeUndefined();
    expect(await c.getRole('roles/run.missing')).toBeUndefined();
    await expect(c.getRole('run.invoker')).rejects.toMatchObject({
      name: 'GoogleApiError',
      status: 'INVALID_ARGUMENT',
    });
    expect(fake.requests().map(r => r.methodId)).toEqual([
      'iam.roles.get',
      'iam.organizations.roles.get',
      'iam.projects.roles.get',
      'iam.projects.roles.get',
      'iam.roles.get',
    ]);
  });

  it('reads effective org policies of a project', async () => {
    const c = client();
    const drs = await c.getEffectiveOrgPolicy(
      'acme-internal-apps',
      'constraints/iam.allowedPolicyMemberDomains',
    );
    expect(drs).toEqual({
      name: 'projects/100000000001/policies/iam.allowedPolicyMemberDomains',
      spec: { rules: [{ values: { allowedValues: ['C01abcd2e'] } }] },
    });
    expect(
      (await c.getEffectiveOrgPolicy('100000000001', 'run.allowedIngress')).spec
        ?.rules,
    ).toEqual([{ allowAll: true }]);
  });

  it('reads IAP settings at every level of a service', async () => {
    const c = client();
    const project = await c.resolveProject('acme-internal-apps');
    const levels = iapSettingsResources(project, 'europe-west2', 'kb-editor');
    expect(levels.map(l => l.level)).toEqual([
      'organization',
      'folder',
      'project',
      'iap_web',
      'region',
      'service',
    ]);
    const settings = await Promise.all(
      levels.map(l => c.getIapSettings(l.resource)),
    );
    expect(settings.map(s => s.name)).toEqual(levels.map(l => l.resource));
    expect(settings[5].accessSettings?.oauthSettings?.clientId).toBe(
      '987654321098-kbeditor.apps.googleusercontent.com',
    );
  });

  it('gives every request its signal, so an abort cancels the read', async () => {
    fake.faults.add({ method: 'iam.roles.get', latencyMs: 2_000 });
    const controller = new AbortController();
    const pending = client().getRole('roles/owner', {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('gone')), 50);
    await expect(pending).rejects.toThrow('gone');
  });
});
