import {
  linkFactsOf,
  normalizedEntityRef,
  ownerRefOf,
  recordedOwnerGroup,
} from './serviceLinkFacts';

describe('service link facts', () => {
  it('reads the entity-ref and owner-group annotations as written, and nothing when absent', () => {
    expect(
      linkFactsOf({
        annotations: {
          'backstage.io/entity-ref': 'Component:default/Payroll',
          'backstage.io/owner-group': 'team-a',
          other: 'x',
        },
      }),
    ).toEqual({ entityRef: 'Component:default/Payroll', ownerGroup: 'team-a' });
    expect(linkFactsOf({ annotations: null })).toEqual({});
    expect(linkFactsOf({})).toEqual({});
  });

  it('normalizes entity refs and refuses text that is none', () => {
    expect(normalizedEntityRef(' Component:Default/Payroll ')).toBe(
      'component:default/payroll',
    );
    expect(normalizedEntityRef('payroll')).toBeUndefined();
    expect(normalizedEntityRef('payroll', 'group')).toBe(
      'group:default/payroll',
    );
    expect(normalizedEntityRef('')).toBeUndefined();
    expect(normalizedEntityRef(42)).toBeUndefined();
  });

  it('reads an owner group only when it is a group', () => {
    expect(recordedOwnerGroup({ ownerGroup: 'Team-A' })).toBe(
      'group:default/team-a',
    );
    expect(recordedOwnerGroup({ ownerGroup: 'group:ops/team-b' })).toBe(
      'group:ops/team-b',
    );
    expect(
      recordedOwnerGroup({ ownerGroup: 'user:default/ada' }),
    ).toBeUndefined();
    expect(recordedOwnerGroup({ ownerGroup: 'a:b:c/d/e' })).toBeUndefined();
    expect(recordedOwnerGroup({})).toBeUndefined();
  });

  it("reads an entity's spec.owner as a full ref, a bare name being a group", () => {
    const entity = (owner?: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payroll' },
      spec: { owner },
    });
    expect(ownerRefOf(entity('team-a'))).toBe('group:default/team-a');
    expect(ownerRefOf(entity('user:ada'))).toBe('user:default/ada');
    expect(ownerRefOf(entity(undefined))).toBeUndefined();
  });
});
