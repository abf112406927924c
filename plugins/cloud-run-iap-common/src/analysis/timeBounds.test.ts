import { analyzeCondition } from './conditions';
import { isNonPublicIp, normalizeIngress } from './reachability';
import { coversEveryAddress } from './levelTautology';

const LEVEL =
  '"accessPolicies/555/accessLevels/corp" in request.auth.access_levels';

describe('time bounds of conditions', () => {
  it.each([
    [
      'request.time < timestamp("2027-01-01T00:00:00Z")',
      '2027-01-01T00:00:00Z',
    ],
    [
      'timestamp("2027-01-01T00:00:00Z") > request.time',
      '2027-01-01T00:00:00Z',
    ],
    [
      '!(request.time >= timestamp("2027-01-01T00:00:00Z"))',
      '2027-01-01T00:00:00Z',
    ],
    [
      `${LEVEL} && request.time <= timestamp("2027-01-01T00:00:00Z") && request.time > timestamp("2026-01-01T00:00:00Z")`,
      '2027-01-01T00:00:00Z',
    ],
    [
      'request.time < timestamp("2027-01-01T00:00:00Z") || request.time < timestamp("2028-01-01T00:00:00Z")',
      '2028-01-01T00:00:00Z',
    ],
  ])('%s expires at %s', (expression, expiresAt) => {
    expect(analyzeCondition(expression).expiresAt).toBe(expiresAt);
  });

  it.each([
    [`request.time < timestamp("2027-01-01T00:00:00Z") || ${LEVEL}`],
    ['request.time > timestamp("2027-01-01T00:00:00Z")'],
    ['request.time < timestamp("not a time")'],
    [LEVEL],
  ])('%s never expires', expression => {
    expect(analyzeCondition(expression).expiresAt).toBeUndefined();
  });
});

describe('network helpers', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['192.168.0.1', true],
    ['127.0.0.1', true],
    ['100.64.0.1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['34.1.2.3', false],
    ['2a00:1450::1', false],
    ['not an ip', false],
  ])('%s is non-public: %s', (ip, expected) => {
    expect(isNonPublicIp(ip)).toBe(expected);
  });

  it('normalises ingress from v2 names, v1 values and enum numbers', () => {
    expect(normalizeIngress('INGRESS_TRAFFIC_INTERNAL_ONLY')).toBe('internal');
    expect(normalizeIngress('internal-and-cloud-load-balancing')).toBe(
      'internal-and-cloud-load-balancing',
    );
    expect(normalizeIngress(3)).toBe('internal-and-cloud-load-balancing');
    expect(normalizeIngress(undefined)).toBe('all');
    expect(normalizeIngress('SOMETHING_NEW')).toBe('unknown');
  });

  it('needs both 0.0.0.0/0 and ::/0 to cover every address', () => {
    expect(coversEveryAddress(['0.0.0.0/0', '::/0'])).toBe(true);
    expect(coversEveryAddress(['0.0.0.0/0'])).toBe(false);
    expect(coversEveryAddress(['0.0.0.0/1', '128.0.0.0/1', '::/0'])).toBe(
      false,
    );
  });
});
