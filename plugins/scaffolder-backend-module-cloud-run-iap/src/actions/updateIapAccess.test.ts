import { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import {
  CheckpointStore,
  createTestActionContext,
  SimulatedCrash,
} from '../__testUtils__/actionContext';
import {
  ACCESSOR,
  appsAgent,
  attemptedWrites,
  clientFactory,
  comparableState,
  handMadeCondition,
  ORG_POLICY,
  realWrites,
  startTestFake,
} from '../__testUtils__/testWorld';
import {
  actionServices,
  catalogEntities,
  component,
} from '../__testUtils__/backstageServices';
import { MANAGED_CONDITION_TITLE } from '@internal-apps/plugin-cloud-run-iap-common';
import { createUpdateIapAccessAction } from './updateIapAccess';
import { UpdateIapAccessInput } from './updateIapAccessInput';

const serviceName =
  'projects/acme-internal-apps/locations/europe-west2/services/team-app';
const runKey =
  'run:projects/100000000001/locations/europe-west2/services/team-app';
const iapKey =
  'projects/100000000001/iap_web/cloud_run-europe-west2/services/team-app';
const corp = `${ORG_POLICY}/accessLevels/corp_network`;

describe('gcp:cloud-run-iap-access:update against the fake', () => {
  let fake: GoogleCloudFake;

  beforeAll(async () => {
    fake = await startTestFake();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const allowAll = mockServices.permissions({ result: AuthorizeResult.ALLOW });
  let services: ReturnType<typeof actionServices>;
  beforeEach(() => {
    services = actionServices();
  });
  const action = (permissions: PermissionsService = allowAll) =>
    createUpdateIapAccessAction({
      clientFor: clientFactory(fake),
      permissions,
      ...services,
      progressEveryMs: 20,
      agentPropagation: { attempts: 5, delayMs: 10 },
    });

  async function run(
    input: UpdateIapAccessInput,
    options: Parameters<typeof createTestActionContext>[1] = {},
  ) {
    const test = createTestActionContext(input, options);
    await action().handler(test.ctx);
    return test;
  }

  const bindings = (key: string) =>
    (fake.state() as any).iamPolicies[key].bindings as any[];

  it('refuses, before any write, an initiator without cloud-run-iap.access.manage on the app', async () => {
    const authorize = jest.fn(async () => [{ result: AuthorizeResult.DENY }]);
    const permissions = mockServices.permissions.mock({
      authorize: authorize as any,
    });
    const test = createTestActionContext({
      serviceName,
      add: ['user:intruder@example.com'],
    });
    await expect(action(permissions).handler(test.ctx)).rejects.toThrow(
      'user:default/guest may not change who can reach component:default/team-app (permission cloud-run-iap.access.manage)',
    );
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'cloud-run-iap.access.manage',
          }),
          resourceRef: 'component:default/team-app',
        },
      ],
      { credentials: await test.ctx.getInitiatorCredentials() },
    );
    expect(attemptedWrites(fake)).toEqual([]);
  });

  it('adds and removes accessors in the managed binding and leaves every other binding as it was', async () => {
    const before = { run: bindings(runKey), iap: bindings(iapKey) };
    const { outputs, logger } = await run({
      serviceName,
      add: ['user:new@example.com', 'group:Team@Example.com'],
      remove: ['user:owner@example.com'],
    });
    const after = bindings(iapKey);
    expect(JSON.stringify(after[0])).toBe(JSON.stringify(before.iap[0]));
    expect(JSON.stringify(after[2])).toBe(JSON.stringify(before.iap[2]));
    expect(after[1]).toEqual({
      role: ACCESSOR,
      members: ['user:new@example.com', 'group:Team@Example.com'],
    });
    expect(JSON.stringify(bindings(runKey))).toBe(JSON.stringify(before.run));
    expect(outputs).toEqual({
      serviceName,
      iapResource: iapKey,
      accessors: ['user:new@example.com', 'group:Team@Example.com'],
      accessLevels: [],
      iapEnabled: true,
      changed: true,
    });
    const steps = logger.lines
      .map(l => l.message)
      .filter(m => /^Step \d\/6/.test(m));
    expect(steps).toHaveLength(6);
  });

  it('sets access levels on the managed accessors and clears them again, keeping the hand-made condition', async () => {
    const handMade = JSON.stringify(bindings(iapKey)[0]);
    const set = await run({
      projectId: 'acme-internal-apps',
      region: 'europe-west2',
      serviceId: 'team-app',
      add: ['user:new@example.com'],
      accessLevels: ['corp_network'],
    });
    expect(set.outputs.accessLevels).toEqual([corp]);
    let after = bindings(iapKey);
    expect(JSON.stringify(after[0])).toBe(handMade);
    expect(after[0].condition).toEqual(handMadeCondition);
    expect(after[1]).toEqual({
      role: ACCESSOR,
      members: ['user:owner@example.com', 'user:new@example.com'],
      condition: {
        title: MANAGED_CONDITION_TITLE,
        description: 'Requires one of these access levels: corp_network',
        expression: `"${corp}" in request.auth.access_levels`,
      },
    });
    // No unconditional accessor grant is left to bypass the level.
    expect(after.filter(b => b.role === ACCESSOR && !b.condition)).toEqual([]);

    const cleared = await run({ serviceName, accessLevels: [] });
    expect(cleared.outputs.accessLevels).toEqual([]);
    after = bindings(iapKey);
    expect(JSON.stringify(after[0])).toBe(handMade);
    expect(after[1]).toEqual({
      role: ACCESSOR,
      members: ['user:owner@example.com', 'user:new@example.com'],
    });
  });

  it('refuses, before any write, access levels that no managed grant would carry', async () => {
    fake.clearRequests();
    await expect(
      run({
        serviceName,
        remove: ['user:owner@example.com'],
        accessLevels: ['corp_network'],
      }),
    ).rejects.toThrow(
      /accessLevels cannot be set on .*team-app: after this change no accessor is granted by the portal there/,
    );
    expect(attemptedWrites(fake)).toEqual([]);
  });

  it('warns when a removed member keeps access through a binding it does not manage', async () => {
    const { logger } = await run({
      serviceName,
      remove: ['group:auditors@example.com'],
    });
    expect(logger.text()).toContain(
      'keep access through bindings this action does not manage: group:auditors@example.com (condition "Corporate network until 2030")',
    );
    expect(bindings(iapKey)[0].members).toEqual(['group:auditors@example.com']);
  });

  it('lands two concurrent runs that add different members', async () => {
    // The fake reads state after the latency: a slow write makes sure both runs read the
    // policy before either write lands, however far apart the two runs get on a busy machine.
    fake.faults.add({ method: 'iap.getIamPolicy', latencyMs: 40 });
    fake.faults.add({ method: 'iap.setIamPolicy', latencyMs: 150 });
    await Promise.all([
      run({ serviceName, add: ['user:one@example.com'] }),
      run({ serviceName, add: ['user:two@example.com'] }),
    ]);
    expect(bindings(iapKey)[1].members).toEqual(
      expect.arrayContaining([
        'user:owner@example.com',
        'user:one@example.com',
        'user:two@example.com',
      ]),
    );
    expect(fake.requests().some(r => r.status === 409)).toBe(true);
  });

  it('makes no write when the change is already in place', async () => {
    const input = { serviceName, add: ['user:new@example.com'] };
    const first = await run(input);
    expect(first.outputs.changed).toBe(true);
    fake.clearRequests();
    const again = await run(input);
    expect(attemptedWrites(fake)).toEqual([]);
    expect(again.outputs.changed).toBe(false);
  });

  it('ends as an uninterrupted run when killed after a step and run again', async () => {
    const input: UpdateIapAccessInput = {
      serviceName,
      iapEnabled: false,
      add: ['user:new@example.com'],
      accessLevels: ['uk_only'],
    };
    await run(input);
    const baseline = comparableState(fake, 'acme-internal-apps');
    for (const step of ['iap-enabled', 'accessors']) {
      for (const when of ['before-store', 'after-store'] as const) {
        fake.reset();
        const checkpoints = new CheckpointStore();
        checkpoints.crashAt = { keyEndsWith: `/${step}`, when };
        await expect(run(input, { checkpoints })).rejects.toThrow(
          SimulatedCrash,
        );
        await run(input, { checkpoints });
        expect(comparableState(fake, 'acme-internal-apps')).toEqual(baseline);
      }
    }
  });

  it('turns IAP off and on again, making sure the agent is the invoker', async () => {
    const off = await run({ serviceName, iapEnabled: false });
    expect(off.outputs.iapEnabled).toBe(false);
    expect(off.logger.text()).toMatch(/IAP is now off/);
    const on = await run({ serviceName, iapEnabled: true });
    expect(on.outputs).toMatchObject({ iapEnabled: true, changed: true });
    expect(bindings(runKey)[0]).toEqual({
      role: 'roles/run.invoker',
      members: [appsAgent],
    });
  });

  const valid: UpdateIapAccessInput = {
    serviceName,
    add: ['user:new@example.com'],
  };

  it.each<[string, UpdateIapAccessInput, RegExp]>([
    [
      'a malformed service name',
      { ...valid, serviceName: 'team-app' },
      /serviceName must be projects\/<project-id>\/locations\/<region>\/services\/<service-id>/,
    ],
    [
      'both ways of naming the service',
      { ...valid, projectId: 'acme-internal-apps' },
      /serviceName must not be combined with projectId/,
    ],
    [
      'no service at all',
      { add: ['user:new@example.com'] },
      /serviceName or all of projectId, region and serviceId is required/,
    ],
    [
      'a project outside cloudRunIap.projects',
      {
        ...valid,
        serviceName:
          'projects/acme-legacy-apps/locations/europe-west1/services/legacy-intranet',
      },
      /serviceName \(project\) "acme-legacy-apps" is not one of the projects/,
    ],
    [
      'a region not allowed for the project',
      {
        ...valid,
        serviceName:
          'projects/acme-internal-apps/locations/us-east1/services/team-app',
      },
      /serviceName \(region\) "us-east1" is not allowed for project acme-internal-apps/,
    ],
    ['no change', { serviceName }, /at least one change is required/],
    [
      'allUsers',
      { ...valid, add: ['allUsers'] },
      /add\[0\] allUsers is never allowed/,
    ],
    [
      'allAuthenticatedUsers',
      { ...valid, add: ['allAuthenticatedUsers'] },
      /add\[0\] allAuthenticatedUsers is never allowed/,
    ],
    [
      'a member outside the organisation',
      { ...valid, add: ['group:friends@gmail.com'] },
      /add\[0\] "group:friends@gmail.com" is outside the organisation's domains/,
    ],
    [
      'a malformed member to remove',
      { ...valid, remove: ['bob'] },
      /remove\[0\] must be user:EMAIL/,
    ],
    [
      'a member both added and removed',
      { ...valid, remove: ['USER:new@example.com'.replace('USER', 'user')] },
      /add\[0\] user:new@example.com is also in remove/,
    ],
    [
      'a workforce principal with a bad pool path',
      {
        ...valid,
        add: ['principal://iam.googleapis.com/locations/global/workforcePools'],
      },
      /add\[0\] must be principal:\/\/iam.googleapis.com\/locations\/global\/workforcePools\/POOL\/subject\/SUBJECT/,
    ],
    [
      'an access level of a scoped policy',
      { ...valid, accessLevels: ['team_vpn'] },
      /accessLevels\[0\] "team_vpn" comes from a scoped access policy/,
    ],
    [
      'an access level that does not exist',
      { ...valid, accessLevels: [`${ORG_POLICY}/accessLevels/nope`] },
      /does not exist in accessPolicies\/555000000001; valid levels: corp_network, uk_only/,
    ],
    [
      'a service this portal does not manage',
      {
        ...valid,
        serviceName:
          'projects/acme-internal-apps/locations/europe-west2/services/foreign-app',
      },
      /is not managed by this portal: it does not carry the label managed-by: backstage/,
    ],
    [
      'a service of another entity',
      {
        ...valid,
        serviceName:
          'projects/acme-internal-apps/locations/europe-west2/services/other-entity-app',
        entityRef: 'component:default/team-app',
      },
      /is not managed by this portal for component:default\/team-app/,
    ],
    [
      'a service that does not exist',
      {
        ...valid,
        serviceName:
          'projects/acme-internal-apps/locations/europe-west2/services/ghost',
      },
      /does not exist/,
    ],
  ])('refuses %s before the first write', async (_name, input, message) => {
    await expect(run(input)).rejects.toThrow(message);
    expect(attemptedWrites(fake)).toEqual([]);
  });

  it('accepts workforce identities and removing a public member', async () => {
    const principal =
      'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/group/engineering';
    const { outputs } = await run({
      serviceName,
      add: [principal],
      remove: ['allUsers'],
    });
    expect(outputs.accessors).toContain(principal);
  });

  it('makes no write in a dry run and says what would change', async () => {
    const before = comparableState(fake, 'acme-internal-apps');
    const { outputs, logger } = await run(
      {
        serviceName,
        add: ['user:new@example.com'],
        accessLevels: ['corp_network'],
        iapEnabled: false,
      },
      { isDryRun: true },
    );
    expect(realWrites(fake)).toEqual([]);
    expect(attemptedWrites(fake).map(r => r.query)).toEqual([
      expect.stringContaining('validateOnly=true'),
    ]);
    expect(comparableState(fake, 'acme-internal-apps')).toEqual(before);
    expect(outputs).toEqual({
      serviceName,
      iapResource: iapKey,
      accessors: ['user:owner@example.com', 'user:new@example.com'],
      accessLevels: [corp],
      iapEnabled: false,
      changed: true,
    });
    expect(logger.text()).toMatch(
      /Dry run: nothing was changed; accessors would be user:owner@example.com, user:new@example.com, each needing one of .*corp_network, and IAP would be turned off/,
    );
  });

  it('gets through 20% of 503 and 429 answers on every method', async () => {
    fake.faults.add({ method: '*', status: 503, probability: 0.1 });
    fake.faults.add({ method: '*', status: 429, probability: 0.1 });
    for (const member of ['user:a@example.com', 'user:b@example.com']) {
      await run({ serviceName, add: [member], accessLevels: ['uk_only'] });
    }
    await run({ serviceName, iapEnabled: false });
    expect(fake.requests().filter(r => r.fault).length).toBeGreaterThan(0);
    fake.faults.clear();
    expect(bindings(iapKey)[1].members).toEqual([
      'user:owner@example.com',
      'user:a@example.com',
      'user:b@example.com',
    ]);
  });
  describe('ownership that cannot be squatted', () => {
    it('refuses, with no write, a change through an entity a squatter re-registered under another owner', async () => {
      // The team's entity was deleted and registered again by someone else, owned by their group.
      services = actionServices({
        claims: ['user:default/mallory', 'group:default/squatters'],
        entities: [
          component('team-app', 'group:default/squatters'),
          ...catalogEntities.filter(e => e.metadata.name !== 'team-app'),
        ],
      });
      const before = comparableState(fake, 'acme-internal-apps');
      await expect(
        run({ serviceName, add: ['user:mallory@example.com'] }),
      ).rejects.toThrow(
        'component:default/team-app is owned by group:default/squatters in the catalog, but projects/acme-internal-apps/locations/europe-west2/services/team-app records group:default/team-a as its owner (backstage.io/owner-group)',
      );
      await expect(run({ serviceName, iapEnabled: false })).rejects.toThrow(
        /owned by group:default\/squatters in the catalog/,
      );
      expect(attemptedWrites(fake)).toEqual([]);
      expect(comparableState(fake, 'acme-internal-apps')).toEqual(before);
    });

    it('refuses a change when the entity is not in the catalog (or the initiator may not read it)', async () => {
      services = actionServices({ entities: [] });
      await expect(
        run({ serviceName, add: ['user:new@example.com'] }),
      ).rejects.toThrow(
        /component:default\/team-app, which .* names, is not in the catalog \(or you may not read it\)/,
      );
      expect(attemptedWrites(fake)).toEqual([]);
    });

    it('refuses a service that records no owner, saying how to record one', async () => {
      await expect(
        run({
          serviceName:
            'projects/acme-internal-apps/locations/europe-west2/services/unowned-app',
          add: ['user:new@example.com'],
        }),
      ).rejects.toThrow(
        "records no owning group (backstage.io/owner-group is missing), so the catalog's owner of component:default/unowned-app cannot be checked against Google's record. Someone with Google rights on the service can record it: gcloud run services update unowned-app --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/owner-group=group:default/<owning-team>",
      );
      expect(attemptedWrites(fake)).toEqual([]);
    });

    it("reads the entity with the initiator's credentials and checks manage on the entity the service names", async () => {
      const authorize = jest.fn(async () => [
        { result: AuthorizeResult.ALLOW },
      ]);
      const getEntityByRef = jest.spyOn(services.catalog, 'getEntityByRef');
      const test = createTestActionContext({
        serviceName,
        add: ['user:new@example.com'],
      });
      await action(
        mockServices.permissions.mock({ authorize: authorize as any }),
      ).handler(test.ctx);
      const credentials = await test.ctx.getInitiatorCredentials();
      expect(authorize).toHaveBeenCalledWith(
        [
          expect.objectContaining({
            resourceRef: 'component:default/team-app',
          }),
        ],
        { credentials },
      );
      expect(getEntityByRef).toHaveBeenCalledWith(
        'component:default/team-app',
        { credentials },
      );
    });
  });

  describe('turning IAP off must not make an app public', () => {
    const named = (id: string) =>
      `projects/acme-internal-apps/locations/europe-west2/services/${id}`;

    it('refuses when a public member holds an invoker role, saying what would become public and the fix', async () => {
      const before = comparableState(fake, 'acme-internal-apps');
      for (const isDryRun of [false, true]) {
        await expect(
          run(
            { serviceName: named('open-invoker-app'), iapEnabled: false },
            { isDryRun },
          ),
        ).rejects.toThrow(
          "iapEnabled: false would make projects/acme-internal-apps/locations/europe-west2/services/open-invoker-app public: allUsers (roles/run.servicesInvoker) may invoke it, so anyone on the internet could reach it. Fix that first (remove those members from the service's IAM policy (gcloud run services remove-iam-policy-binding open-invoker-app",
        );
      }
      expect(attemptedWrites(fake)).toEqual([]);
      expect(comparableState(fake, 'acme-internal-apps')).toEqual(before);
    });

    it.each([
      'roles/run.invoker',
      'roles/run.developer',
      'roles/run.admin',
      'roles/editor',
      'roles/owner',
    ])('refuses when allAuthenticatedUsers holds %s', async role => {
      fake.world.iam.seed(
        'run:projects/100000000001/locations/europe-west2/services/team-app',
        [
          { role: 'roles/run.invoker', members: [appsAgent] },
          { role, members: ['allAuthenticatedUsers'] },
        ],
      );
      await expect(run({ serviceName, iapEnabled: false })).rejects.toThrow(
        `allAuthenticatedUsers (${role}) may invoke it, so anyone with a Google account could reach it`,
      );
      expect(attemptedWrites(fake)).toEqual([]);
    });

    it('refuses when the invoker check is disabled', async () => {
      await expect(
        run({ serviceName: named('no-check-app'), iapEnabled: false }),
      ).rejects.toThrow(
        'public: the invoker IAM check is disabled (invokerIamDisabled), so Cloud Run would let every request through. Fix that first (gcloud run services update no-check-app --project=acme-internal-apps --region=europe-west2 --invoker-iam-check)',
      );
      expect(attemptedWrites(fake)).toEqual([]);
    });

    it('says who can still reach the app only when it is true', async () => {
      const { logger } = await run({ serviceName, iapEnabled: false });
      expect(logger.text()).toContain(
        'IAP is now off on team-app: only principals holding roles/run.invoker or another role with run.routes.invoke',
      );
      const policy = (fake.state() as any).iamPolicies[runKey];
      expect(JSON.stringify(policy)).not.toMatch(
        /allUsers|allAuthenticatedUsers/,
      );
      expect(
        (fake.state() as any).services.find((x: any) => x.name === serviceName)
          .invokerIamDisabled,
      ).toBeFalsy();
    });
  });

  it('audits every access change with actor, entity, service, members and outcome', async () => {
    await run({ serviceName, add: ['user:new@example.com'] });
    expect(services.auditor.events).toEqual([
      {
        eventId: 'iap-access-change',
        severityLevel: 'high',
        meta: expect.objectContaining({
          action: 'update-iap-access',
          actor: 'user:default/guest',
          entity: 'component:default/team-app',
          service: serviceName,
          members: { add: ['user:new@example.com'], remove: [] },
        }),
        outcome: 'succeeded',
        outcomeMeta: expect.objectContaining({
          changed: true,
          ownerGroup: 'group:default/team-a',
        }),
      },
    ]);
    services.auditor.events.length = 0;
    await expect(
      run({
        serviceName:
          'projects/acme-internal-apps/locations/europe-west2/services/open-invoker-app',
        iapEnabled: false,
      }),
    ).rejects.toThrow(/would make .* public/);
    expect(services.auditor.events).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        error: expect.stringMatching(/would make .* public/),
      }),
    ]);
    services.auditor.events.length = 0;
    await run(
      { serviceName, add: ['user:other@example.com'] },
      { isDryRun: true },
    );
    expect(services.auditor.events).toEqual([]);
  });

  it('writes no service-account address to the task log', async () => {
    const { logger } = await run({
      serviceName,
      add: ['serviceAccount:robot@acme-internal-apps.iam.gserviceaccount.com'],
      iapEnabled: true,
    });
    const lines = logger.text();
    expect(lines).toMatch(/Step 6\/6/);
    expect(lines).not.toMatch(/gserviceaccount\.com/);
    fake.faults.add({
      method: 'iap.setIamPolicy',
      status: 400,
      message: `Service account ${appsAgent.slice(
        'serviceAccount:'.length,
      )} does not exist.`,
    });
    let message = '';
    await run({ serviceName, add: ['user:x@example.com'] }).catch(e => {
      message = `${e.message}\n${e.stack}`;
    });
    expect(message).toMatch(/does not exist/);
    expect(message).not.toMatch(/gserviceaccount\.com/);
  });
});
