import { GoogleCloudFake, startGoogleCloudFake } from '../server';
import { demoSeedPath } from '../demoSeed';
import { googleClients, googleError } from '../__testUtils__/googleClients';

describe('Resource Manager, Access Context Manager and Service Usage on the demo seed', () => {
  let fake: GoogleCloudFake;
  let clients: ReturnType<typeof googleClients>;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    clients = googleClients(fake.url);
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('gets a project by ID or number and walks up to the organisation', async () => {
    const { data: byId } = await clients.crm.projects.get({
      name: 'projects/acme-internal-apps',
    });
    expect(byId).toMatchObject({
      name: 'projects/100000000001',
      projectId: 'acme-internal-apps',
      parent: 'folders/200000000001',
      state: 'ACTIVE',
    });
    const { data: byNumber } = await clients.crm.projects.get({
      name: 'projects/100000000001',
    });
    expect(byNumber.projectId).toBe('acme-internal-apps');
    const { data: folder } = await clients.crm.folders.get({
      name: byId.parent!,
    });
    expect(folder.parent).toBe('organizations/123456789012');
    const { data: org } = await clients.crm.organizations.get({
      name: folder.parent!,
    });
    expect(org.displayName).toBe('example.com');
    expect(
      await googleError(
        clients.crm.projects.get({ name: 'projects/no-such-project' }),
      ),
    ).toMatchObject({ httpStatus: 403, status: 'PERMISSION_DENIED' });
  });

  it('searches projects and reads project IAM', async () => {
    const { data } = await clients.crm.projects.search({
      query: 'parent:organizations/123456789012',
    });
    expect(data.projects?.map(p => p.projectId).sort()).toEqual([
      'acme-legacy-apps',
      'acme-sandbox',
    ]);
    const { data: wildcard } = await clients.crm.projects.search({
      query: 'id:acme-*',
    });
    expect(wildcard.projects).toHaveLength(3);
    const { data: policy } = await clients.crm.projects.getIamPolicy({
      resource: 'projects/acme-legacy-apps',
      requestBody: { options: { requestedPolicyVersion: 3 } },
    });
    expect(policy.bindings).toContainEqual({
      role: 'roles/iap.httpsResourceAccessor',
      members: ['group:all-staff@example.com'],
    });
  });

  it('lists access policies of the organisation, their levels and perimeters', async () => {
    const { data } = await clients.acm.accessPolicies.list({
      parent: 'organizations/123456789012',
    });
    expect(data.accessPolicies?.map(p => [p.name, p.scopes ?? []])).toEqual([
      ['accessPolicies/555000000001', []],
      ['accessPolicies/555000000002', ['projects/100000000001']],
    ]);
    const { data: levels } = await clients.acm.accessPolicies.accessLevels.list(
      {
        parent: 'accessPolicies/555000000001',
        pageSize: 3,
      },
    );
    expect(levels.accessLevels).toHaveLength(3);
    expect(levels.nextPageToken).toBeTruthy();
    const { data: level } = await clients.acm.accessPolicies.accessLevels.get({
      name: 'accessPolicies/555000000001/accessLevels/corp_network',
    });
    expect(level.basic?.conditions?.[0].ipSubnetworks).toContain(
      '2001:db8::/32',
    );
    const { data: custom } = await clients.acm.accessPolicies.accessLevels.get({
      name: 'accessPolicies/555000000001/accessLevels/trusted_browser',
    });
    expect(custom.custom?.expr?.expression).toMatch(/^device\.chrome/);
    const { data: perimeters } =
      await clients.acm.accessPolicies.servicePerimeters.list({
        parent: 'accessPolicies/555000000001',
      });
    expect(
      perimeters.servicePerimeters?.[0].status?.restrictedServices,
    ).toContain('run.googleapis.com');
    expect(
      await googleError(clients.acm.accessPolicies.list({})),
    ).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    expect(
      await googleError(
        clients.acm.accessPolicies.accessLevels.get({
          name: 'accessPolicies/555000000001/accessLevels/office_wifi',
        }),
      ),
    ).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
  });

  it('generates the IAP service agent, which then can be granted run.invoker', async () => {
    const run = clients.run.projects.locations.services;
    const { data: op } = await run.create({
      parent: 'projects/acme-sandbox/locations/europe-west2',
      serviceId: 'probe',
      requestBody: {
        iapEnabled: true,
        template: { containers: [{ image: 'x/y:1' }] },
      },
    });
    expect(op.name).toBeTruthy();
    const resource =
      'projects/acme-sandbox/locations/europe-west2/services/probe';
    const agent =
      'serviceAccount:service-100000000002@gcp-sa-iap.iam.gserviceaccount.com';
    const grant = async () => {
      const { data: policy } = await run.getIamPolicy({ resource });
      return run.setIamPolicy({
        resource,
        requestBody: {
          policy: {
            ...policy,
            bindings: [{ role: 'roles/run.invoker', members: [agent] }],
          },
        },
      });
    };
    expect(await googleError(grant())).toMatchObject({
      httpStatus: 400,
      message:
        'Service account service-100000000002@gcp-sa-iap.iam.gserviceaccount.com does not exist.',
    });

    const { data: identity } =
      await clients.serviceUsage.services.generateServiceIdentity({
        parent: 'projects/100000000002/services/iap.googleapis.com',
      });
    expect(identity).toMatchObject({
      name: 'operations/finished.DONE_OPERATION',
      done: true,
      response: {
        '@type':
          'type.googleapis.com/google.api.serviceusage.v1beta1.ServiceIdentity',
        email: 'service-100000000002@gcp-sa-iap.iam.gserviceaccount.com',
      },
    });
    expect(identity.response?.uniqueId).toMatch(/^[0-9]{21}$/);

    // The demo seed makes the first grant after generation fail too (propagation delay).
    expect((await googleError(grant())).httpStatus).toBe(400);
    const { data: granted } = await grant();
    expect(granted.bindings).toEqual([
      { role: 'roles/run.invoker', members: [agent] },
    ]);
  });
});
