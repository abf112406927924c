import {
  accessLevelsExpression,
  applyAccessChange,
  MANAGED_CONDITION_TITLE,
  ManagedBindingError,
  parseAccessLevelsExpression,
  readManagedAccess,
  unmanagedAccessorBindings,
  unmanagedAccessorGrants,
  withIapAgentInvoker,
} from './managedBindings';

const ACCESSOR = 'roles/iap.httpsResourceAccessor';
const corp = 'accessPolicies/1/accessLevels/corp';
const uk = 'accessPolicies/1/accessLevels/uk';
const handMade = {
  role: ACCESSOR,
  members: ['group:auditors@example.com'],
  condition: {
    title: 'Office hours',
    expression: 'request.time.getHours("Europe/London") < 18',
  },
};
const admin = {
  role: 'roles/iap.admin',
  members: ['group:security@example.com'],
};

describe('bindings', () => {
  it('writes and reads back OR-ed access level conditions', () => {
    const expression = accessLevelsExpression([uk, corp, uk]);
    expect(expression).toBe(
      `"${corp}" in request.auth.access_levels || "${uk}" in request.auth.access_levels`,
    );
    expect(parseAccessLevelsExpression(expression)).toEqual([corp, uk]);
    expect(
      parseAccessLevelsExpression(
        `"${corp}" in request.auth.access_levels && true`,
      ),
    ).toBeUndefined();
    expect(
      parseAccessLevelsExpression(`!("${corp}" in request.auth.access_levels)`),
    ).toBeUndefined();
  });

  it('adds and removes in the unconditional binding, keeping the others as the same objects', () => {
    const bindings = [
      handMade,
      { role: ACCESSOR, members: ['user:a@example.com'] },
      admin,
    ];
    const out = applyAccessChange(bindings, {
      add: ['user:b@example.com', 'USER:a@example.com'.replace('USER', 'user')],
      remove: ['user:A@example.com'],
    });
    expect(out[0]).toBe(handMade);
    expect(out[2]).toBe(admin);
    expect(out[1]).toEqual({ role: ACCESSOR, members: ['user:b@example.com'] });
  });

  it('returns an unchanged policy untouched', () => {
    const bindings = [
      handMade,
      { role: ACCESSOR, members: ['user:a@example.com'] },
    ];
    const out = applyAccessChange(bindings, {
      add: ['user:a@example.com'],
      remove: [],
    });
    expect(out[1]).toBe(bindings[1]);
    expect(JSON.stringify(out)).toBe(JSON.stringify(bindings));
  });

  it('moves the managed accessors under the levels, in place, and back when they are cleared', () => {
    const bindings = [
      { role: ACCESSOR, members: ['user:a@example.com'] },
      handMade,
      admin,
    ];
    const restricted = applyAccessChange(bindings, {
      add: [],
      remove: [],
      levels: [corp],
    });
    expect(restricted).toEqual([
      {
        role: ACCESSOR,
        members: ['user:a@example.com'],
        condition: {
          title: MANAGED_CONDITION_TITLE,
          description: 'Requires one of these access levels: corp',
          expression: `"${corp}" in request.auth.access_levels`,
        },
      },
      handMade,
      admin,
    ]);
    expect(readManagedAccess(restricted)).toEqual({
      members: ['user:a@example.com'],
      levels: [corp],
    });
    const cleared = applyAccessChange(restricted, {
      add: [],
      remove: [],
      levels: [],
    });
    expect(cleared).toEqual(bindings);
  });

  it('refuses to guess when the managed condition was edited by hand', () => {
    const edited = [
      {
        role: ACCESSOR,
        members: ['user:a@example.com'],
        condition: { title: MANAGED_CONDITION_TITLE, expression: 'true' },
      },
    ];
    expect(() => applyAccessChange(edited, { add: [], remove: [] })).toThrow(
      ManagedBindingError,
    );
    expect(() => readManagedAccess(edited)).toThrow(
      /edited outside the portal/,
    );
  });

  it('reads googleapis bindings, whose fields may be null', () => {
    const fromGoogle = [
      { role: ACCESSOR, members: ['user:a@example.com'], condition: null },
      { role: 'roles/iap.admin', members: null },
    ];
    expect(readManagedAccess(fromGoogle)).toEqual({
      members: ['user:a@example.com'],
      levels: [],
    });
    const out = applyAccessChange(fromGoogle, {
      add: ['user:b@example.com'],
      remove: [],
    });
    expect(out[1]).toBe(fromGoogle[1]);
  });

  it('lists the accessor grants outside the managed binding, with how they are held', () => {
    const restricted = applyAccessChange(
      [{ role: ACCESSOR, members: ['user:a@example.com'] }],
      { add: [], remove: [], levels: [corp] },
    );
    const bindings = [
      ...restricted,
      handMade,
      { role: ACCESSOR, members: ['user:legacy@example.com'] },
      admin,
    ];
    expect(unmanagedAccessorBindings(bindings)).toEqual([
      {
        member: 'group:auditors@example.com',
        grant: 'condition "Office hours"',
        conditionTitle: 'Office hours',
      },
      { member: 'user:legacy@example.com', grant: 'unconditional' },
    ]);
    expect(
      unmanagedAccessorGrants(bindings, [
        'user:LEGACY@example.com',
        'user:a@example.com',
      ]),
    ).toEqual(['user:LEGACY@example.com (unconditional)']);
    // Without levels the unconditional binding is the managed one.
    expect(
      unmanagedAccessorBindings([
        handMade,
        { role: ACCESSOR, members: ['user:a@example.com'] },
      ]).map(g => g.member),
    ).toEqual(['group:auditors@example.com']);
  });

  it('makes the IAP agent the invoker and drops public invokers only', () => {
    const agent = 'serviceAccount:service-1@gcp-sa-iap.iam.gserviceaccount.com';
    const developer = {
      role: 'roles/run.developer',
      members: ['user:d@example.com'],
    };
    expect(
      withIapAgentInvoker(
        [
          developer,
          {
            role: 'roles/run.invoker',
            members: ['allUsers', 'user:x@example.com'],
          },
        ],
        agent,
      ),
    ).toEqual([
      developer,
      { role: 'roles/run.invoker', members: ['user:x@example.com', agent] },
    ]);
    const done = [{ role: 'roles/run.invoker', members: [agent] }];
    expect(withIapAgentInvoker(done, agent)[0]).toBe(done[0]);
    expect(withIapAgentInvoker([], agent)).toEqual(done);
  });
});
