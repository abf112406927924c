import { buildServiceAccessReport } from '../analysis/buildServiceReport';
import {
  accessorBinding,
  CORP,
  healthyInput,
  policy,
  PROJECT_ID,
} from '../analysis/testFixtures';
import type { IamBinding } from '../google/types';
import {
  planAccessChange,
  removalProblems,
  unmanagedGrantsOf,
} from './accessChangePlan';
import { accessLevelsCondition, ManagedBindingError } from './managedBindings';
import { timeBoundBinding } from './timeBoundBindings';

const ACCESSOR = 'roles/iap.httpsResourceAccessor';
const SERVICE = 'projects/acme-apps/locations/europe-west2/services/hello';
const handMade: IamBinding = accessorBinding(['user:alice@example.com'], CORP);
const temporary = timeBoundBinding({
  member: 'user:temp@example.com',
  expiresAt: '2027-01-31T12:00:00Z',
  requestId: 'r-1',
  approvedBy: 'user:default/lead',
});

function reportOf(bindings: IamBinding[]) {
  const input = healthyInput();
  input.iapPolicies.service = policy(...bindings);
  input.iapPolicies.project = policy({
    role: ACCESSOR,
    members: ['group:everyone@example.com'],
  });
  return buildServiceAccessReport({ ...input, now: '2027-01-01T00:00:00Z' });
}

describe('planAccessChange', () => {
  it('adds to and removes from the managed binding, keeping the others', () => {
    const bindings = [
      handMade,
      { role: ACCESSOR, members: ['user:a@example.com'] },
      temporary,
    ];
    const plan = planAccessChange(bindings, {
      add: ['user:b@example.com', 'user:A@example.com'],
      remove: ['user:temp@example.com'],
    });
    expect(plan.bindings).toEqual([
      handMade,
      {
        role: ACCESSOR,
        members: ['user:a@example.com', 'user:b@example.com'],
      },
    ]);
    expect(plan.bindings[0]).toBe(handMade);
    expect(plan.added).toEqual(['user:b@example.com']);
    expect(plan.removed).toEqual(['user:temp@example.com']);
    expect(plan.accessLevels).toEqual({ before: [], after: [] });
  });

  it('sets the access levels on the managed binding and the time-bound grants', () => {
    const plan = planAccessChange(
      [{ role: ACCESSOR, members: ['user:a@example.com'] }, temporary],
      { add: [], remove: [], levels: [CORP] },
    );
    expect(plan.bindings[0]).toEqual({
      role: ACCESSOR,
      members: ['user:a@example.com'],
      condition: accessLevelsCondition([CORP]),
    });
    expect(plan.bindings[1].condition?.expression).toBe(
      `request.time < timestamp("2027-01-31T12:00:00Z") && ("${CORP}" in request.auth.access_levels)`,
    );
    expect(plan.accessLevels).toEqual({ before: [], after: [CORP] });
    const cleared = planAccessChange(plan.bindings, {
      add: [],
      remove: [],
      levels: [],
    });
    expect(cleared.bindings).toEqual([
      { role: ACCESSOR, members: ['user:a@example.com'] },
      temporary,
    ]);
    expect(cleared.accessLevels).toEqual({ before: [CORP], after: [] });
  });

  it('drops a managed binding left without members', () => {
    const plan = planAccessChange(
      [{ role: ACCESSOR, members: ['user:a@example.com'] }],
      { add: [], remove: ['user:a@example.com'] },
    );
    expect(plan.bindings).toEqual([]);
    expect(plan.removed).toEqual(['user:a@example.com']);
  });

  it('refuses a managed binding edited by hand', () => {
    expect(() =>
      planAccessChange(
        [
          {
            role: ACCESSOR,
            members: ['user:a@example.com'],
            condition: {
              title: 'Access levels (managed by Backstage)',
              expression: 'true',
            },
          },
        ],
        { add: ['user:b@example.com'], remove: [] },
      ),
    ).toThrow(ManagedBindingError);
  });
});

describe('unmanaged grants and removals', () => {
  const bindings = [
    handMade,
    { role: ACCESSOR, members: ['user:a@example.com'] },
    temporary,
  ];
  const report = reportOf(bindings);
  const unmanaged = unmanagedGrantsOf(report, bindings);

  it('lists hand-made and inherited grants with where to change them, not the managed ones', () => {
    expect(unmanaged.map(g => g.member).sort()).toEqual([
      'group:everyone@example.com',
      'user:alice@example.com',
    ]);
    const alice = unmanaged.find(g => g.member === 'user:alice@example.com')!;
    expect(alice.grant).toBe(`${ACCESSOR} on the service, condition "level"`);
    expect(alice.howToChange).toMatch(
      /^Made by hand outside the portal: .*gcloud iap web remove-iam-policy-binding --resource-type=cloud-run --region=europe-west2 --service=hello --member=user:alice@example.com --role=roles\/iap.httpsResourceAccessor --all --project=acme-apps$/,
    );
    const everyone = unmanaged.find(
      g => g.member === 'group:everyone@example.com',
    )!;
    expect(everyone.grant).toMatch(/on every IAP app of the project/);
    expect(everyone.howToChange).toMatch(
      new RegExp(`^Inherited from .*: change it there`),
    );
    expect(everyone.howToChange).toContain(`--project=${PROJECT_ID}`);
  });

  it('removes only members the portal manages, and says how to change the others', () => {
    expect(
      removalProblems(
        bindings,
        ['user:a@example.com', 'user:TEMP@example.com'],
        unmanaged,
        SERVICE,
      ),
    ).toEqual([]);
    const problems = removalProblems(
      bindings,
      [
        'user:a@example.com',
        'user:alice@example.com',
        'user:nobody@example.com',
      ],
      unmanaged,
      SERVICE,
    );
    expect(problems.map(([field]) => field)).toEqual([
      'remove[1]',
      'remove[2]',
    ]);
    expect(problems[0][1]).toMatch(
      /^user:alice@example.com is not granted by the portal's managed binding of .*, so it cannot be removed here: .*condition "level"\. Made by hand outside the portal: .*gcloud iap web remove-iam-policy-binding/,
    );
    expect(problems[1][1]).toBe(
      `user:nobody@example.com has no grant on ${SERVICE} that the portal manages (nothing to remove)`,
    );
  });
});
