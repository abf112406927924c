import { AccessLevel, IamBinding } from '../google/types';
import { SimulationRequest } from '../report/types';
import { buildServiceAccessReport } from './buildServiceReport';
import { simulateAccess } from './simulate';
import { validateSimulationRequest } from './simulationRequest';
import {
  ACCESSOR_ROLE,
  healthyInput,
  ORG_POLICY,
  orgLevel,
  policy,
  requires,
} from './testFixtures';

const basic = (
  id: string,
  conditions: NonNullable<AccessLevel['basic']>['conditions'],
  combiningFunction?: 'AND' | 'OR',
): AccessLevel => ({
  name: orgLevel(id),
  basic: { conditions, ...(combiningFunction ? { combiningFunction } : {}) },
});

const LEVELS: AccessLevel[] = [
  basic('corp', [{ ipSubnetworks: ['10.0.0.0/8', '2001:db8::/32'] }]),
  basic('mapped', [{ ipSubnetworks: ['::ffff:10.0.0.0/104'] }]),
  basic('uk', [{ regions: ['GB'] }]),
  basic('notUk', [{ regions: ['GB'], negate: true }]),
  basic(
    'corpOrUk',
    [{ ipSubnetworks: ['10.0.0.0/8'] }, { regions: ['GB'] }],
    'OR',
  ),
  basic(
    'corpAndUk',
    [{ ipSubnetworks: ['10.0.0.0/8'] }, { regions: ['GB'] }],
    'AND',
  ),
  basic('corpInUk', [{ ipSubnetworks: ['10.0.0.0/8'], regions: ['GB'] }]),
  basic('notCorpInUk', [
    { ipSubnetworks: ['10.0.0.0/8'], regions: ['GB'], negate: true },
  ]),
  basic('nested', [{ requiredAccessLevels: [orgLevel('corp')] }]),
  basic('cycleA', [{ requiredAccessLevels: [orgLevel('cycleB')] }]),
  basic('cycleB', [{ requiredAccessLevels: [orgLevel('cycleA')] }]),
  basic('device', [{ devicePolicy: { requireScreenlock: true } }]),
  basic('deviceOnCorp', [
    { ipSubnetworks: ['10.0.0.0/8'], devicePolicy: { requireCorpOwned: true } },
  ]),
  basic('staff', [{ members: ['user:alice@example.com'] }]),
  basic('requiresMissing', [{ requiredAccessLevels: [orgLevel('gone')] }]),
  {
    name: orgLevel('custom'),
    custom: { expr: { expression: 'device.os_type == OsType.DESKTOP_MAC' } },
  },
];

function reportWith(...bindings: IamBinding[]) {
  const input = healthyInput();
  input.iapPolicies.service = policy(...bindings);
  input.organizationPolicy = { policy: { name: ORG_POLICY }, levels: LEVELS };
  return buildServiceAccessReport(input);
}

function restrictedTo(member: string, expression: string): IamBinding {
  return { role: ACCESSOR_ROLE, members: [member], condition: { expression } };
}

function decide(
  levelId: string,
  request: SimulationRequest,
  member = 'user:alice@example.com',
) {
  const report = reportWith(restrictedTo(member, requires(orgLevel(levelId))));
  const [accessor] = simulateAccess({ services: [report] }, request).services[0]
    .accessors;
  return accessor;
}

describe('simulateAccess', () => {
  describe('IP ranges', () => {
    it.each([
      ['10.1.2.3', 'allow'],
      ['192.168.0.1', 'deny'],
      ['2001:db8::1', 'allow'],
      ['2001:db9::1', 'deny'],
      ['::ffff:10.1.2.3', 'allow'],
      ['::ffff:192.168.0.1', 'deny'],
    ])('corp level from %s: %s', (ip, expected) => {
      expect(decide('corp', { ip }).decision).toBe(expected);
    });

    it('matches IPv4 addresses against IPv4-mapped IPv6 ranges', () => {
      expect(decide('mapped', { ip: '10.9.9.9' }).decision).toBe('allow');
      expect(decide('mapped', { ip: '11.0.0.1' }).decision).toBe('deny');
    });

    it('is unknown without an IP or with an invalid one', () => {
      const noIp = decide('corp', {});
      expect(noIp.decision).toBe('unknown');
      expect(noIp.reasons.join('\n')).toContain(
        'needs an IP (in 10.0.0.0/8, 2001:db8::/32); none given',
      );
      expect(decide('corp', { ip: 'not-an-ip' }).decision).toBe('unknown');
    });

    it('explains the decision', () => {
      expect(decide('corp', { ip: '192.168.0.1' }).reasons).toEqual([
        `service grant (projects/123456789012/iap_web/cloud_run-europe-west2/services/hello): condition is false`,
        '  access level corp is false (AND of 1 condition): IP 192.168.0.1 is not in 10.0.0.0/8, 2001:db8::/32',
      ]);
    });
  });

  describe('regions', () => {
    it('compares ISO codes case-insensitively', () => {
      expect(decide('uk', { region: 'gb' }).decision).toBe('allow');
      expect(decide('uk', { region: 'FR' }).decision).toBe('deny');
      expect(decide('uk', {}).decision).toBe('unknown');
    });

    it('negates a condition', () => {
      expect(decide('notUk', { region: 'FR' }).decision).toBe('allow');
      expect(decide('notUk', { region: 'GB' }).decision).toBe('deny');
      expect(decide('notUk', {}).decision).toBe('unknown');
    });

    it('negates a condition as a NAND of its fields', () => {
      expect(
        decide('notCorpInUk', { ip: '10.0.0.1', region: 'GB' }).decision,
      ).toBe('deny');
      expect(
        decide('notCorpInUk', { ip: '10.0.0.1', region: 'FR' }).decision,
      ).toBe('allow');
      expect(decide('notCorpInUk', { ip: '8.8.8.8' }).decision).toBe('allow');
    });
  });

  describe('combining functions', () => {
    it('OR admits when any condition holds', () => {
      expect(decide('corpOrUk', { ip: '8.8.8.8', region: 'GB' }).decision).toBe(
        'allow',
      );
      expect(decide('corpOrUk', { ip: '10.0.0.1' }).decision).toBe('allow');
      expect(decide('corpOrUk', { ip: '8.8.8.8', region: 'FR' }).decision).toBe(
        'deny',
      );
      expect(decide('corpOrUk', { ip: '8.8.8.8' }).decision).toBe('unknown');
    });

    it('AND needs every condition', () => {
      expect(
        decide('corpAndUk', { ip: '10.0.0.1', region: 'GB' }).decision,
      ).toBe('allow');
      expect(
        decide('corpAndUk', { ip: '10.0.0.1', region: 'FR' }).decision,
      ).toBe('deny');
      expect(decide('corpAndUk', { ip: '10.0.0.1' }).decision).toBe('unknown');
      expect(decide('corpAndUk', { ip: '8.8.8.8' }).decision).toBe('deny');
    });

    it('ANDs the fields of one condition', () => {
      expect(
        decide('corpInUk', { ip: '10.0.0.1', region: 'GB' }).decision,
      ).toBe('allow');
      expect(
        decide('corpInUk', { ip: '10.0.0.1', region: 'US' }).decision,
      ).toBe('deny');
    });
  });

  describe('required levels', () => {
    it('evaluates nested levels', () => {
      expect(decide('nested', { ip: '10.0.0.1' }).decision).toBe('allow');
      expect(decide('nested', { ip: '8.8.8.8' }).decision).toBe('deny');
    });

    it('is unknown on a cycle', () => {
      const result = decide('cycleA', { ip: '10.0.0.1' });
      expect(result.decision).toBe('unknown');
      expect(result.reasons.join('\n')).toContain(
        'access level cycleA is unknown: required levels form a cycle (cycleA -> cycleB -> cycleA)',
      );
    });

    it('denies when a required level does not exist', () => {
      expect(decide('requiresMissing', { ip: '10.0.0.1' }).decision).toBe(
        'deny',
      );
    });
  });

  describe('what cannot be simulated', () => {
    it('device policies are unknown unless another field settles the condition', () => {
      const device = decide('device', { ip: '10.0.0.1', region: 'GB' });
      expect(device.decision).toBe('unknown');
      expect(device.reasons.join('\n')).toContain(
        'device policy (screen lock) cannot be simulated',
      );
      expect(decide('deviceOnCorp', { ip: '10.0.0.1' }).decision).toBe(
        'unknown',
      );
      expect(decide('deviceOnCorp', { ip: '8.8.8.8' }).decision).toBe('deny');
    });

    it('custom levels are unknown', () => {
      const custom = decide('custom', { ip: '10.0.0.1' });
      expect(custom.decision).toBe('unknown');
      expect(custom.reasons.join('\n')).toContain(
        'custom (CEL) levels cannot be simulated',
      );
    });

    it('a level that does not exist never matches', () => {
      expect(decide('nope', { ip: '10.0.0.1' }).decision).toBe('deny');
    });
  });

  describe('members', () => {
    it('uses the accessor as the requesting identity', () => {
      expect(decide('staff', {}, 'user:alice@example.com').decision).toBe(
        'allow',
      );
      expect(decide('staff', {}, 'user:bob@example.com').decision).toBe('deny');
      expect(decide('staff', {}, 'group:team@example.com').decision).toBe(
        'unknown',
      );
    });

    it('uses the requested member when given', () => {
      expect(
        decide(
          'staff',
          { member: 'user:ALICE@example.com' },
          'group:team@example.com',
        ).decision,
      ).toBe('unknown');
    });

    it('simulates only the accessors that can match the member', () => {
      const report = reportWith(
        {
          role: ACCESSOR_ROLE,
          members: [
            'user:alice@example.com',
            'user:bob@example.com',
            'domain:example.com',
            'allUsers',
          ],
        },
        restrictedTo('group:team@example.com', requires(orgLevel('corp'))),
      );
      const result = simulateAccess(
        { services: [report] },
        { member: 'user:alice@example.com', ip: '10.0.0.1' },
      );
      expect(
        result.services[0].accessors.map(a => [a.member, a.decision]),
      ).toEqual([
        ['allUsers', 'allow'],
        ['domain:example.com', 'allow'],
        ['group:team@example.com', 'unknown'],
        ['user:alice@example.com', 'allow'],
      ]);
      expect(result.services[0].accessors[2].reasons).toContain(
        'whether user:alice@example.com is a member of group:team@example.com is not known',
      );
    });

    it('keeps deny for a group whose grants all deny', () => {
      const report = reportWith(
        restrictedTo('group:team@example.com', requires(orgLevel('corp'))),
      );
      const [group] = simulateAccess(
        { services: [report] },
        { member: 'user:alice@example.com', ip: '8.8.8.8' },
      ).services[0].accessors;
      expect(group.decision).toBe('deny');
    });

    it('notes a member with no grant', () => {
      const report = reportWith(
        restrictedTo('user:alice@example.com', requires(orgLevel('corp'))),
      );
      const [service] = simulateAccess(
        { services: [report] },
        { member: 'user:zoe@example.com' },
      ).services;
      expect(service.accessors).toEqual([]);
      expect(service.notes).toEqual([
        'user:zoe@example.com holds no grant on this service: IAP denies it.',
      ]);
    });
  });

  describe('grants and conditions', () => {
    it('allows through any unconditional grant', () => {
      const report = reportWith(
        restrictedTo('user:alice@example.com', requires(orgLevel('corp'))),
        { role: ACCESSOR_ROLE, members: ['user:alice@example.com'] },
      );
      const [alice] = simulateAccess({ services: [report] }, { ip: '8.8.8.8' })
        .services[0].accessors;
      expect(alice.decision).toBe('allow');
      expect(alice.reasons).toContain(
        'service grant (projects/123456789012/iap_web/cloud_run-europe-west2/services/hello): unconditional',
      );
    });

    it('evaluates negated conditions', () => {
      const negated = `!(${requires(orgLevel('corp'))})`;
      const decideNegated = (ip: string) =>
        simulateAccess(
          {
            services: [
              reportWith(restrictedTo('user:alice@example.com', negated)),
            ],
          },
          { ip },
        ).services[0].accessors[0].decision;
      expect(decideNegated('10.0.0.1')).toBe('deny');
      expect(decideNegated('8.8.8.8')).toBe('allow');
    });

    it('is unknown on attributes it cannot see, unless the level settles it', () => {
      const timed = `${requires(
        orgLevel('corp'),
      )} && request.time.getHours("Europe/London") < 18`;
      const decideTimed = (ip: string) =>
        simulateAccess(
          {
            services: [
              reportWith(restrictedTo('user:alice@example.com', timed)),
            ],
          },
          { ip },
        ).services[0].accessors[0];
      expect(decideTimed('10.0.0.1').decision).toBe('unknown');
      expect(decideTimed('10.0.0.1').reasons).toContain(
        '  `request.time.getHours("Europe/London") < 18` cannot be simulated',
      );
      expect(decideTimed('8.8.8.8').decision).toBe('deny');
    });

    it('evaluates a request.time bound at the simulated time', () => {
      const until = `${requires(
        orgLevel('corp'),
      )} && request.time < timestamp("2030-01-01T00:00:00Z")`;
      const decideAt = (now: string) =>
        simulateAccess(
          {
            services: [
              reportWith(restrictedTo('user:alice@example.com', until)),
            ],
          },
          { ip: '10.0.0.1' },
          { now: Date.parse(now) },
        ).services[0].accessors[0];
      expect(decideAt('2029-12-31T00:00:00Z').decision).toBe('allow');
      expect(decideAt('2029-12-31T00:00:00Z').reasons).toContain(
        '  `request.time < timestamp("2030-01-01T00:00:00Z")` is true at 2029-12-31T00:00:00.000Z',
      );
      expect(decideAt('2030-01-02T00:00:00Z').decision).toBe('deny');
    });

    it('is unknown on conditions it does not understand', () => {
      const [alice] = simulateAccess(
        {
          services: [
            reportWith(
              restrictedTo(
                'user:alice@example.com',
                'size(request.auth.access_levels) > 0',
              ),
            ),
          ],
        },
        { ip: '10.0.0.1' },
      ).services[0].accessors;
      expect(alice.decision).toBe('unknown');
    });
  });

  it('notes when IAP is off', () => {
    const input = healthyInput();
    input.service.iapEnabled = false;
    const [service] = simulateAccess(
      { services: [buildServiceAccessReport(input)] },
      { ip: '10.0.0.1' },
    ).services;
    expect(service.iapEnabled).toBe(false);
    expect(service.notes).toEqual([
      'IAP is off on this service: these are the decisions IAP would make if it were on.',
      expect.stringContaining(
        '10.0.0.1 is a private (or otherwise non-public) address: Access Context Manager refuses private ranges',
      ),
    ]);
    expect(service.accessors[0].decision).toBe('allow');
  });
});

describe('validateSimulationRequest', () => {
  it('accepts a valid request', () => {
    expect(
      validateSimulationRequest({
        ip: '2001:db8::1',
        region: 'gb',
        member: 'serviceAccount:ci@acme.iam.gserviceaccount.com',
      }),
    ).toEqual([]);
  });

  it('names each invalid field and its rule', () => {
    expect(
      validateSimulationRequest({
        ip: '10.0.0.300',
        region: 'GBR',
        member: 'group:team@example.com',
      }),
    ).toEqual([
      'ip: must be an IPv4 or IPv6 address',
      'region: must be an ISO 3166-1 alpha-2 country code such as GB or US',
      'member: must be user:EMAIL or serviceAccount:EMAIL',
    ]);
  });
});
