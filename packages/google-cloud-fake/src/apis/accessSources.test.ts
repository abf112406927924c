import { GoogleCloudFake, startGoogleCloudFake } from '../server';
import { googleClients, googleError } from '../__testUtils__/googleClients';
import { SeedInput } from '../seed/schema';

const seed: SeedInput = {
  organizations: [
    {
      id: '111',
      domain: 'example.com',
      directoryCustomerId: 'C01abcdef',
      orgPolicies: [
        {
          constraint: 'constraints/iam.allowedPolicyMemberDomains',
          allowedDomains: ['example.com'],
        },
      ],
      iapSettings: {
        accessSettings: {
          reauthSettings: {
            method: 'LOGIN',
            maxAge: '3600s',
            policyType: 'MINIMUM',
          },
        },
      },
      customRoles: [
        {
          id: 'webAccess',
          title: 'Web access',
          includedPermissions: ['iap.webServiceVersions.accessViaIAP'],
        },
      ],
    },
  ],
  folders: [
    {
      id: '2001',
      displayName: 'Apps',
      parent: 'organizations/111',
      orgPolicies: [
        {
          constraint: 'constraints/iam.allowedPolicyMemberDomains',
          allowedDomains: ['partner.org'],
          inheritFromParent: true,
        },
      ],
      iapSettings: {
        accessSettings: {
          allowedDomainsSettings: { enable: true, domains: ['example.com'] },
        },
      },
    },
  ],
  projects: [
    {
      id: 'test-project',
      number: '42',
      parent: 'folders/2001',
      orgPolicies: [
        {
          constraint: 'constraints/run.allowedIngress',
          allowedValues: ['internal'],
        },
      ],
      iapSettings: {
        accessSettings: {
          oauthSettings: { clientId: 'custom.apps.googleusercontent.com' },
        },
      },
      iap: {
        settings: {
          accessSettings: {
            identitySources: ['WORKFORCE_IDENTITY_FEDERATION'],
            workforceIdentitySettings: {
              workforcePools: ['locations/global/workforcePools/partners'],
            },
          },
        },
        regions: {
          'europe-west2': {
            settings: {
              accessSettings: { corsSettings: { allowHttpOptions: true } },
            },
          },
        },
      },
      customRoles: [
        {
          id: 'runCaller',
          title: 'Run caller',
          includedPermissions: ['run.routes.invoke'],
        },
      ],
      services: [
        {
          id: 'app',
          region: 'europe-west2',
          iap: {
            settings: {
              accessSettings: {
                reauthSettings: {
                  method: 'SECURE_KEY',
                  maxAge: '600s',
                  policyType: 'DEFAULT',
                },
              },
            },
          },
        },
      ],
    },
    { id: 'plain-project', number: '43', parent: 'organizations/111' },
  ],
  groups: [
    {
      email: 'team@example.com',
      members: [
        'user:alice@example.com',
        'group:contractors@example.com',
        'user:bob@example.com',
      ],
    },
    {
      email: 'contractors@example.com',
      members: [
        'user:carol@partner.org',
        'user:bob@example.com',
        'group:team@example.com',
      ],
    },
  ],
};

describe('groups, roles, org policies and IAP settings through googleapis', () => {
  let fake: GoogleCloudFake;
  let clients: ReturnType<typeof googleClients>;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed });
    clients = googleClients(fake.url);
  });
  afterAll(() => fake.stop());

  const groupName = async (email: string) =>
    (await clients.cloudIdentity.groups.lookup({ 'groupKey.id': email })).data
      .name!;

  it('looks a group up by email and gets it', async () => {
    const name = await groupName('team@example.com');
    expect(name).toMatch(/^groups\/[a-z0-9]{15}$/);
    const { data } = await clients.cloudIdentity.groups.get({ name });
    expect(data).toMatchObject({ name, groupKey: { id: 'team@example.com' } });
    const unknown = await googleError(
      clients.cloudIdentity.groups.lookup({
        'groupKey.id': 'nobody@example.com',
      }),
    );
    expect(unknown).toMatchObject({
      httpStatus: 403,
      status: 'PERMISSION_DENIED',
    });
  });

  it('lists transitive members with their relation, nested groups included, page by page', async () => {
    const parent = await groupName('team@example.com');
    const first =
      await clients.cloudIdentity.groups.memberships.searchTransitiveMemberships(
        { parent, pageSize: 2 },
      );
    expect(first.data.memberships).toHaveLength(2);
    expect(first.data.nextPageToken).toBeTruthy();
    const rest =
      await clients.cloudIdentity.groups.memberships.searchTransitiveMemberships(
        {
          parent,
          pageToken: first.data.nextPageToken!,
        },
      );
    expect(rest.data.nextPageToken).toBeUndefined();
    const all = [...first.data.memberships!, ...rest.data.memberships!];
    const byEmail = Object.fromEntries(
      all.map(m => [m.preferredMemberKey![0].id, m.relationType]),
    );
    expect(byEmail).toEqual({
      'alice@example.com': 'DIRECT',
      'bob@example.com': 'DIRECT_AND_INDIRECT',
      'carol@partner.org': 'INDIRECT',
      'contractors@example.com': 'DIRECT',
      'team@example.com': 'INDIRECT',
    });
    expect(
      all.find(m => m.preferredMemberKey![0].id === 'contractors@example.com')!
        .member,
    ).toMatch(/^groups\//);
  });

  it('checks a transitive membership', async () => {
    const parent = await groupName('team@example.com');
    const check = (query: string) =>
      clients.cloudIdentity.groups.memberships.checkTransitiveMembership({
        parent,
        query,
      });
    expect((await check("member_key_id == 'carol@partner.org'")).data).toEqual({
      hasMembership: true,
    });
    expect((await check("member_key_id == 'dave@example.com'")).data).toEqual(
      {},
    );
    expect(await googleError(check('carol@partner.org'))).toMatchObject({
      httpStatus: 400,
    });
  });

  it('refuses every groups call when the seed says the groups cannot be read', async () => {
    const closed = await startGoogleCloudFake({
      seed: { ...seed, groupsReadable: false },
    });
    try {
      const c = googleClients(closed.url);
      expect(
        await googleError(
          c.cloudIdentity.groups.lookup({ 'groupKey.id': 'team@example.com' }),
        ),
      ).toMatchObject({
        httpStatus: 403,
        status: 'PERMISSION_DENIED',
      });
    } finally {
      await closed.stop();
    }
  });

  it('serves predefined and custom roles with their permissions, 404 for unknown ones', async () => {
    const { iam } = clients;
    expect(
      (await iam.roles.get({ name: 'roles/iap.httpsResourceAccessor' })).data
        .includedPermissions,
    ).toEqual(['iap.webServiceVersions.accessViaIAP']);
    for (const role of [
      'roles/run.invoker',
      'roles/run.servicesInvoker',
      'roles/run.admin',
      'roles/run.developer',
      'roles/editor',
      'roles/owner',
    ]) {
      expect(
        (await iam.roles.get({ name: role })).data.includedPermissions,
      ).toContain('run.routes.invoke');
    }
    expect(
      (await iam.roles.get({ name: 'roles/viewer' })).data.includedPermissions,
    ).not.toContain('run.routes.invoke');
    expect(
      (
        await iam.projects.roles.get({
          name: 'projects/test-project/roles/runCaller',
        })
      ).data,
    ).toMatchObject({
      name: 'projects/test-project/roles/runCaller',
      includedPermissions: ['run.routes.invoke'],
      stage: 'GA',
    });
    expect(
      (
        await iam.organizations.roles.get({
          name: 'organizations/111/roles/webAccess',
        })
      ).data.includedPermissions,
    ).toEqual(['iap.webServiceVersions.accessViaIAP']);
    expect(
      await googleError(iam.roles.get({ name: 'roles/run.nothing' })),
    ).toMatchObject({
      httpStatus: 404,
      status: 'NOT_FOUND',
      message: 'The role named roles/run.nothing was not found.',
    });
    expect(
      await googleError(
        iam.projects.roles.get({ name: 'projects/test-project/roles/missing' }),
      ),
    ).toMatchObject({ httpStatus: 404 });
    expect(
      await googleError(
        iam.projects.roles.get({ name: 'projects/other-project/roles/x' }),
      ),
    ).toMatchObject({ httpStatus: 403 });
  });

  it('merges org policies down the hierarchy into the effective policy', async () => {
    const effective = async (name: string) =>
      (await clients.orgPolicy.projects.policies.getEffectivePolicy({ name }))
        .data;
    const drs = await effective(
      'projects/test-project/policies/iam.allowedPolicyMemberDomains',
    );
    expect(drs.name).toBe(
      'projects/42/policies/iam.allowedPolicyMemberDomains',
    );
    expect(drs.spec!.rules![0].values!.allowedValues).toEqual([
      'C01abcdef',
      expect.stringMatching(/^C0[0-9a-f]{7}$/),
    ]);
    expect(
      (
        await effective(
          'projects/plain-project/policies/iam.allowedPolicyMemberDomains',
        )
      ).spec!.rules,
    ).toEqual([{ values: { allowedValues: ['C01abcdef'] } }]);
    expect(
      (await effective('projects/42/policies/run.allowedIngress')).spec!.rules,
    ).toEqual([{ values: { allowedValues: ['internal'] } }]);
    expect(
      (await effective('projects/43/policies/run.allowedIngress')).spec!.rules,
    ).toEqual([{ allowAll: true }]);
    expect(
      await googleError(
        effective('projects/nope-project/policies/run.allowedIngress'),
      ),
    ).toMatchObject({ httpStatus: 403 });
  });

  it('applies reset, denyAll and deniedValues, at folder and organisation level too', async () => {
    const policies: SeedInput = {
      organizations: [
        {
          id: '7',
          domain: 'example.net',
          orgPolicies: [
            {
              constraint: 'constraints/run.allowedIngress',
              deniedValues: ['all'],
            },
          ],
        },
      ],
      folders: [
        {
          id: '70',
          displayName: 'Reset',
          parent: 'organizations/7',
          orgPolicies: [
            { constraint: 'constraints/run.allowedIngress', reset: true },
          ],
        },
        {
          id: '71',
          displayName: 'Closed',
          parent: 'organizations/7',
          orgPolicies: [
            {
              constraint: 'constraints/run.allowedIngress',
              denyAll: true,
              inheritFromParent: true,
            },
          ],
        },
      ],
    };
    const other = await startGoogleCloudFake({ seed: policies });
    try {
      const { orgPolicy } = googleClients(other.url);
      const rules = async (kind: 'organizations' | 'folders', id: string) =>
        (
          await orgPolicy[kind].policies.getEffectivePolicy({
            name: `${kind}/${id}/policies/run.allowedIngress`,
          })
        ).data.spec!.rules;
      expect(await rules('organizations', '7')).toEqual([
        { values: { deniedValues: ['all'] } },
      ]);
      expect(await rules('folders', '70')).toEqual([{ allowAll: true }]);
      expect(await rules('folders', '71')).toEqual([{ denyAll: true }]);
      expect(await googleError(rules('folders', '72'))).toMatchObject({
        httpStatus: 403,
      });
    } finally {
      await other.stop();
    }
  });

  it.each([
    ['organizations/111', 'reauthSettings'],
    ['folders/2001', 'allowedDomainsSettings'],
    ['projects/42', 'oauthSettings'],
    ['projects/42/iap_web', 'workforceIdentitySettings'],
    ['projects/42/iap_web/cloud_run-europe-west2', 'corsSettings'],
    [
      'projects/42/iap_web/cloud_run-europe-west2/services/app',
      'reauthSettings',
    ],
  ])('reads the IAP settings of %s', async (name, field) => {
    const { data } = await clients.iap.v1.getIapSettings({ name });
    expect(data.name).toBe(name);
    expect(Object.keys(data.accessSettings!)).toContain(field);
  });

  it('updates the IAP settings of a level above iap_web, and refuses project IDs there', async () => {
    await clients.iap.v1.updateIapSettings({
      name: 'folders/2001',
      updateMask: 'accessSettings.reauthSettings',
      requestBody: {
        accessSettings: {
          reauthSettings: {
            method: 'LOGIN',
            maxAge: '60s',
            policyType: 'DEFAULT',
          },
        },
      },
    });
    const { data } = await clients.iap.v1.getIapSettings({
      name: 'folders/2001',
    });
    expect(data.accessSettings).toMatchObject({
      reauthSettings: { method: 'LOGIN' },
      allowedDomainsSettings: { enable: true },
    });
    expect(
      await googleError(
        clients.iap.v1.getIapSettings({ name: 'projects/test-project' }),
      ),
    ).toMatchObject({ httpStatus: 400 });
    expect(
      await googleError(
        clients.iap.v1.getIapSettings({ name: 'organizations/999' }),
      ),
    ).toMatchObject({ httpStatus: 403 });
    fake.reset();
  });
});
