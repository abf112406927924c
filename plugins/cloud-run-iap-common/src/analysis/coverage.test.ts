import { Accessor } from '../report/types';
import { summarizeCoverage } from './coverage';

const accessor = (
  member: string,
  contextRestricted: boolean,
  deleted = false,
): Accessor => ({
  member,
  kind: 'user',
  displayName: member,
  inOrganization: true,
  ...(deleted ? { deleted: true } : {}),
  grants: [],
  contextRestricted,
});

describe('summarizeCoverage', () => {
  it('counts restricted accessors', () => {
    expect(
      summarizeCoverage([
        accessor('user:a@x.com', true),
        accessor('user:b@x.com', false),
        accessor('user:c@x.com', true),
        accessor('user:d@x.com', false),
      ]),
    ).toEqual({
      covered: 2,
      total: 4,
      ratio: 0.5,
      uncoveredMembers: ['user:b@x.com', 'user:d@x.com'],
      unit: 'accessor',
    });
  });

  it('gives exact fractions', () => {
    expect(
      summarizeCoverage([
        accessor('user:a@x.com', true),
        accessor('user:b@x.com', false),
        accessor('user:c@x.com', false),
      ]).ratio,
    ).toBeCloseTo(1 / 3, 10);
  });

  it('is 1 with no accessor', () => {
    expect(summarizeCoverage([])).toEqual({
      covered: 0,
      total: 0,
      ratio: 1,
      uncoveredMembers: [],
      unit: 'accessor',
    });
  });

  it('is 0 when nobody is restricted', () => {
    expect(summarizeCoverage([accessor('user:a@x.com', false)]).ratio).toBe(0);
  });

  it('leaves deleted principals out', () => {
    expect(
      summarizeCoverage([
        accessor('user:a@x.com', true),
        accessor('deleted:user:b@x.com?uid=1', false, true),
      ]),
    ).toEqual({
      covered: 1,
      total: 1,
      ratio: 1,
      uncoveredMembers: [],
      unit: 'accessor',
    });
  });
});
