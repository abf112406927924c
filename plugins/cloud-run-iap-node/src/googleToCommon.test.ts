import {
  accessLevelFromGoogle,
  iamPolicyFromGoogle,
  iamRoleFromGoogle,
  orgPolicyFromGoogle,
  withoutNulls,
} from './googleToCommon';

describe('googleToCommon', () => {
  it('gives every binding of a policy its role and members, and keeps its condition', () => {
    expect(
      iamPolicyFromGoogle({
        version: 3,
        etag: 'BwY=',
        bindings: [
          {
            role: 'roles/iap.httpsResourceAccessor',
            members: ['group:eng@example.com'],
            condition: {
              expression: 'request.time < timestamp("2027-01-01T00:00:00Z")',
              title: 'until 2027',
              description: null,
            },
          },
          { role: 'roles/viewer', members: null },
        ],
      }),
    ).toEqual({
      version: 3,
      etag: 'BwY=',
      bindings: [
        {
          role: 'roles/iap.httpsResourceAccessor',
          members: ['group:eng@example.com'],
          condition: {
            expression: 'request.time < timestamp("2027-01-01T00:00:00Z")',
            title: 'until 2027',
          },
        },
        { role: 'roles/viewer', members: [] },
      ],
    });
  });

  it('reads a policy with no bindings as an empty list', () => {
    expect(iamPolicyFromGoogle({ etag: 'ACAB' })).toEqual({
      etag: 'ACAB',
      bindings: [],
    });
  });

  it('names a role as asked when Google leaves the name out, with no permissions listed', () => {
    expect(
      iamRoleFromGoogle(
        { stage: 'DISABLED', title: null },
        'projects/p/roles/r',
      ),
    ).toEqual({
      name: 'projects/p/roles/r',
      stage: 'DISABLED',
      includedPermissions: [],
    });
  });

  it('keeps the conditions of org policy rules with an expression', () => {
    expect(
      orgPolicyFromGoogle({
        name: 'projects/1/policies/iam.allowedPolicyMemberDomains',
        spec: {
          rules: [
            { values: { allowedValues: ['C0abc'], deniedValues: null } },
            { allowAll: true, condition: { title: 'no expression' } },
          ],
        },
      }),
    ).toEqual({
      name: 'projects/1/policies/iam.allowedPolicyMemberDomains',
      spec: {
        rules: [
          { values: { allowedValues: ['C0abc'] } },
          {
            allowAll: true,
            condition: { expression: '', title: 'no expression' },
          },
        ],
      },
    });
  });

  it('gives a basic access level its conditions and only a known combining function', () => {
    expect(
      accessLevelFromGoogle({
        name: 'accessPolicies/1/accessLevels/office',
        basic: {
          combiningFunction: 'COMBINING_FUNCTION_UNSPECIFIED',
          conditions: [{ ipSubnetworks: ['10.0.0.0/8'], negate: null }],
        },
      }),
    ).toEqual({
      name: 'accessPolicies/1/accessLevels/office',
      basic: { conditions: [{ ipSubnetworks: ['10.0.0.0/8'] }] },
    });
    expect(
      accessLevelFromGoogle({
        name: 'accessPolicies/1/accessLevels/cel',
        custom: { expr: { expression: 'device.is_corp_owned_device' } },
      }),
    ).toEqual({
      name: 'accessPolicies/1/accessLevels/cel',
      custom: { expr: { expression: 'device.is_corp_owned_device' } },
    });
  });

  it('drops nulls at every depth', () => {
    expect(
      withoutNulls({ a: null, b: [{ c: null, d: 1 }], e: { f: null } }),
    ).toEqual({ b: [{ d: 1 }], e: {} });
  });
});
