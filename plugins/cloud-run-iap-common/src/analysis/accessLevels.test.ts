import { resolveAccessLevels, summarizeDevicePolicy } from './accessLevels';
import {
  corpLevel,
  CORP,
  ORG_POLICY,
  orgLevel,
  SCOPED_POLICY,
} from './testFixtures';

const organization = {
  policy: { name: ORG_POLICY, parent: 'organizations/42' },
  levels: [
    corpLevel(),
    {
      name: orgLevel('managed'),
      title: 'Managed device on corp',
      basic: {
        combiningFunction: 'OR' as const,
        conditions: [
          {
            requiredAccessLevels: [CORP, orgLevel('gone')],
            devicePolicy: {
              requireScreenlock: true,
              osConstraints: [
                { osType: 'DESKTOP_MAC', minimumVersion: '14.0' },
              ],
            },
            regions: ['GB'],
            members: ['user:alice@example.com'],
            negate: true,
          },
        ],
      },
    },
    { name: orgLevel('cel'), custom: { expr: { expression: 'true' } } },
  ],
};
const scoped = [
  {
    policy: { name: SCOPED_POLICY, scopes: ['projects/123'] },
    levels: [{ name: `${SCOPED_POLICY}/accessLevels/team` }],
  },
];

describe('resolveAccessLevels', () => {
  it('marks organization levels valid and summarises basic conditions', () => {
    expect(resolveAccessLevels([CORP], organization, scoped)).toEqual([
      {
        name: CORP,
        shortName: 'corp',
        status: 'valid',
        referencedBy: 'condition',
        title: 'Corporate network',
        kind: 'basic',
        combiningFunction: 'AND',
        conditions: [
          {
            ipSubnetworks: ['10.0.0.0/8', '2001:db8::/32'],
            regions: [],
            members: [],
            negate: false,
            requiredAccessLevels: [],
            vpcNetworkSources: 0,
          },
        ],
      },
    ]);
  });

  it('follows required levels and reports missing ones', () => {
    const resolved = resolveAccessLevels(
      [orgLevel('managed')],
      organization,
      scoped,
    );
    expect(resolved.map(l => [l.shortName, l.status, l.referencedBy])).toEqual([
      ['managed', 'valid', 'condition'],
      ['corp', 'valid', 'required-level'],
      ['gone', 'missing', 'required-level'],
    ]);
    expect(resolved[0].conditions?.[0]).toEqual({
      ipSubnetworks: [],
      regions: ['GB'],
      members: ['user:alice@example.com'],
      negate: true,
      requiredAccessLevels: [CORP, orgLevel('gone')],
      devicePolicy: ['screen lock', 'OS: DESKTOP_MAC >= 14.0'],
      vpcNetworkSources: 0,
    });
    expect(resolved[0].combiningFunction).toBe('OR');
  });

  it('keeps custom expressions', () => {
    expect(
      resolveAccessLevels([orgLevel('cel')], organization, scoped)[0],
    ).toMatchObject({
      kind: 'custom',
      customExpression: 'true',
      status: 'valid',
    });
  });

  it('marks scoped-policy levels and unknown policies', () => {
    expect(
      resolveAccessLevels(
        [
          `${SCOPED_POLICY}/accessLevels/team`,
          'accessPolicies/999/accessLevels/x',
          orgLevel('nope'),
        ],
        organization,
        scoped,
      ).map(l => l.status),
    ).toEqual(['scoped-policy', 'missing', 'missing']);
  });

  it('treats an "organization" policy with scopes as scoped', () => {
    expect(
      resolveAccessLevels(
        [CORP],
        {
          ...organization,
          policy: { name: ORG_POLICY, scopes: ['projects/1'] },
        },
        [],
      )[0].status,
    ).toBe('scoped-policy');
  });

  it('is unresolved when the policies could not be read', () => {
    expect(
      resolveAccessLevels([CORP], { error: 'PERMISSION_DENIED' }, scoped)[0]
        .status,
    ).toBe('unresolved');
    expect(
      resolveAccessLevels(['accessPolicies/999/accessLevels/x'], organization, {
        error: 'PERMISSION_DENIED',
      })[0].status,
    ).toBe('unresolved');
    expect(
      resolveAccessLevels([CORP], organization, { error: 'x' })[0].status,
    ).toBe('valid');
  });
});

describe('summarizeDevicePolicy', () => {
  it('describes every requirement', () => {
    expect(
      summarizeDevicePolicy({
        requireScreenlock: true,
        allowedEncryptionStatuses: ['ENCRYPTED'],
        osConstraints: [
          { osType: 'DESKTOP_CHROME_OS', requireVerifiedChromeOs: true },
        ],
        allowedDeviceManagementLevels: ['COMPLETE', 'BASIC'],
        requireAdminApproval: true,
        requireCorpOwned: true,
      }),
    ).toEqual([
      'screen lock',
      'encryption: ENCRYPTED',
      'OS: DESKTOP_CHROME_OS (verified)',
      'management: COMPLETE or BASIC',
      'admin-approved device',
      'corp-owned device',
    ]);
  });

  it('is empty for an empty policy', () => {
    expect(summarizeDevicePolicy({})).toEqual([]);
  });
});
