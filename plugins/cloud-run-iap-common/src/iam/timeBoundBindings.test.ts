import { analyzeCondition } from '../analysis/conditions';
import { buildServiceAccessReport } from '../analysis/buildServiceReport';
import {
  accessorBinding,
  CORP,
  healthyInput,
  orgLevel,
  policy,
} from '../analysis/testFixtures';
import {
  accessLevelsCondition,
  applyAccessChange,
  readManagedAccess,
} from './managedBindings';
import {
  applyTimeBoundChange,
  expiredTimeBoundBindings,
  parseTimeBoundBinding,
  TIME_BOUND_CONDITION_TITLE,
  timeBoundBinding,
} from './timeBoundBindings';

const ACCESSOR = 'roles/iap.httpsResourceAccessor';
const UK = orgLevel('uk');

describe('time-bound bindings', () => {
  it('writes one binding per request, joined to the access levels with &&', () => {
    expect(
      timeBoundBinding({
        member: 'user:ada@example.com',
        expiresAt: '2027-01-31T12:00:00.250Z',
        levels: [UK, CORP],
        requestId: 'r-1',
        approvedBy: 'user:default/lead',
      }),
    ).toEqual({
      role: ACCESSOR,
      members: ['user:ada@example.com'],
      condition: {
        title: 'Temporary access (managed by Backstage)',
        description:
          'Request r-1 approved by user:default/lead, until 2027-01-31T12:00:00Z',
        expression: `request.time < timestamp("2027-01-31T12:00:00Z") && ("${CORP}" in request.auth.access_levels || "${UK}" in request.auth.access_levels)`,
      },
    });
    expect(
      timeBoundBinding({
        member: 'user:ada@example.com',
        expiresAt: new Date(Date.UTC(2027, 0, 31, 12)),
        requestId: 'r-2',
        approvedBy: 'user:default/lead',
      }).condition?.expression,
    ).toBe('request.time < timestamp("2027-01-31T12:00:00Z")');
  });

  it.each([
    [{ expiresAt: 'next week' }, /expiresAt: must be a date and time/],
    [{ member: 'ada@example.com' }, /member: must be a member/],
    [{ requestId: 'two words' }, /requestId: must be one word/],
    [{ approvedBy: ' ' }, /approvedBy: must be one non-empty line/],
  ])('refuses %j', (override, message) => {
    expect(() =>
      timeBoundBinding({
        member: 'user:ada@example.com',
        expiresAt: '2027-01-31T12:00:00Z',
        requestId: 'r-1',
        approvedBy: 'user:default/lead',
        ...override,
      }),
    ).toThrow(message);
  });

  it('reads back its own bindings and nothing else', () => {
    const binding = timeBoundBinding({
      member: 'user:ada@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      levels: [CORP],
      requestId: 'r-1',
      approvedBy: 'user:default/lead',
    });
    expect(parseTimeBoundBinding(binding)).toEqual({
      member: 'user:ada@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      levels: [CORP],
      requestId: 'r-1',
      approvedBy: 'user:default/lead',
    });
    const edited = (expression: string) => ({
      ...binding,
      condition: { ...binding.condition!, expression },
    });
    expect(
      parseTimeBoundBinding(
        edited('request.time < timestamp("2027-01-31T12:00:00Z") || true'),
      ),
    ).toBeUndefined();
    expect(
      parseTimeBoundBinding(
        edited('request.time < timestamp("2027-01-31T12:00:00.5Z")'),
      ),
    ).toBeUndefined();
    expect(
      parseTimeBoundBinding({
        ...binding,
        members: ['user:ada@example.com', 'user:bob@example.com'],
      }),
    ).toBeUndefined();
    expect(
      parseTimeBoundBinding({
        ...binding,
        condition: { ...binding.condition!, title: 'Temporary' },
      }),
    ).toBeUndefined();
    expect(
      parseTimeBoundBinding({ ...binding, role: 'roles/iap.admin' }),
    ).toBeUndefined();
    // An edited description leaves the grant the portal's, without the request it came from.
    expect(
      parseTimeBoundBinding({
        ...binding,
        condition: { ...binding.condition!, description: 'extended by hand' },
      }),
    ).toEqual({
      member: 'user:ada@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      levels: [CORP],
    });
  });

  it('finds the expired ones at a given time', () => {
    const at = (expiresAt: string, id: string) =>
      timeBoundBinding({
        member: `user:${id}@example.com`,
        expiresAt,
        requestId: id,
        approvedBy: 'user:default/lead',
      });
    const past = at('2027-01-01T00:00:00Z', 'past');
    const exactlyNow = at('2027-01-02T00:00:00Z', 'now');
    const future = at('2027-01-03T00:00:00Z', 'future');
    const handMade = {
      role: ACCESSOR,
      members: ['user:old@example.com'],
      condition: {
        title: 'Contractor',
        expression: 'request.time < timestamp("2020-01-01T00:00:00Z")',
      },
    };
    expect(
      expiredTimeBoundBindings(
        [past, handMade, future, exactlyNow],
        new Date('2027-01-02T00:00:00Z'),
      ),
    ).toEqual([past, exactlyNow]);
  });

  it('follows a change of the managed access: removed members go, new levels apply', () => {
    const temporary = timeBoundBinding({
      member: 'user:ada@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      requestId: 'r-1',
      approvedBy: 'user:default/lead',
    });
    const other = timeBoundBinding({
      member: 'user:bob@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      levels: [CORP],
      requestId: 'r-2',
      approvedBy: 'user:default/lead',
    });
    const bindings = [temporary, other];
    expect(applyTimeBoundChange(bindings, { remove: [] })).toEqual(bindings);
    expect(
      applyTimeBoundChange(bindings, { remove: ['user:ADA@example.com'] }),
    ).toEqual([other]);
    const restricted = applyTimeBoundChange(bindings, {
      remove: [],
      levels: [CORP],
    });
    expect(restricted[1]).toBe(other);
    expect(parseTimeBoundBinding(restricted[0])).toEqual({
      ...parseTimeBoundBinding(temporary),
      levels: [CORP],
    });
    expect(
      parseTimeBoundBinding(
        applyTimeBoundChange(bindings, { remove: [], levels: [] })[1],
      )?.levels,
    ).toEqual([]);
  });

  it('is not the managed binding, so managed changes leave it alone', () => {
    const temporary = timeBoundBinding({
      member: 'user:ada@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      requestId: 'r-1',
      approvedBy: 'user:default/lead',
    });
    const bindings = [
      { role: ACCESSOR, members: ['user:a@example.com'] },
      temporary,
    ];
    expect(readManagedAccess(bindings).members).toEqual(['user:a@example.com']);
    const out = applyAccessChange(bindings, {
      add: [],
      remove: [],
      levels: [CORP],
    });
    expect(out).toEqual([
      {
        role: ACCESSOR,
        members: ['user:a@example.com'],
        condition: accessLevelsCondition([CORP]),
      },
      temporary,
    ]);
  });
});

describe('time-bound bindings in the analysis', () => {
  it('has its expiry recognised by the condition analysis, with or without levels', () => {
    const plain = timeBoundBinding({
      member: 'user:ada@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      requestId: 'r-1',
      approvedBy: 'user:default/lead',
    });
    const withLevels = timeBoundBinding({
      member: 'user:ada@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      levels: [CORP, UK],
      requestId: 'r-1',
      approvedBy: 'user:default/lead',
    });
    expect(analyzeCondition(plain.condition!.expression).expiresAt).toBe(
      '2027-01-31T12:00:00Z',
    );
    const analysis = analyzeCondition(withLevels.condition!.expression);
    expect(analysis.expiresAt).toBe('2027-01-31T12:00:00Z');
  });

  it("shows the grant's expiry in the report of a policy holding one", () => {
    const input = healthyInput();
    const temporary = timeBoundBinding({
      member: 'user:ada@example.com',
      expiresAt: '2027-01-31T12:00:00Z',
      levels: [CORP],
      requestId: 'r-1',
      approvedBy: 'user:default/lead',
    });
    input.iapPolicies.service = policy(
      accessorBinding(['user:alice@example.com'], CORP),
      temporary,
    );
    const report = buildServiceAccessReport({
      ...input,
      now: '2027-01-01T00:00:00Z',
    });
    const ada = report.accessors.find(a => a.member === 'user:ada@example.com');
    expect(ada?.grants).toEqual([
      expect.objectContaining({
        level: 'service',
        role: ACCESSOR,
        expiresAt: '2027-01-31T12:00:00Z',
        contextRestricted: true,
        condition: expect.objectContaining({
          title: TIME_BOUND_CONDITION_TITLE,
        }),
      }),
    ]);
    expect(ada?.grants[0].expired).toBeFalsy();
    const later = buildServiceAccessReport({
      ...input,
      now: '2027-02-01T00:00:00Z',
    });
    expect(
      later.accessors.find(a => a.member === 'user:ada@example.com')?.grants[0]
        .expired,
    ).toBe(true);
  });
});
