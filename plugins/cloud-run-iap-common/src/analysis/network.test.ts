import { ipInCidr, isValidIp } from './network';

describe('ipInCidr', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['192.168.1.255', '192.168.1.0/24', true],
    ['192.168.2.0', '192.168.1.0/24', false],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['::ffff:10.1.2.3', '10.0.0.0/8', true],
    ['10.1.2.3', '::ffff:10.0.0.0/104', true],
    ['10.1.2.3', '2001:db8::/32', false],
    ['2001:db8::1', '10.0.0.0/8', false],
    ['8.8.8.8', '0.0.0.0/0', true],
  ])('%s in %s: %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });

  it('is undefined for unparseable input', () => {
    expect(ipInCidr('nope', '10.0.0.0/8')).toBeUndefined();
    expect(ipInCidr('10.1', '10.0.0.0/8')).toBeUndefined();
    expect(ipInCidr('10.0.0.1', '10.0.0.0/33')).toBeUndefined();
  });
});

describe('isValidIp', () => {
  it('accepts IPv4 and IPv6 only', () => {
    expect(isValidIp('10.0.0.1')).toBe(true);
    expect(isValidIp('::1')).toBe(true);
    expect(isValidIp('10.0.0.256')).toBe(false);
    expect(isValidIp('10')).toBe(false);
    expect(isValidIp('0x0a.0.0.1')).toBe(false);
    expect(isValidIp('010.0.0.1')).toBe(false);
    expect(isValidIp('::ffff:1.2.3.4')).toBe(true);
    expect(isValidIp('example.com')).toBe(false);
  });
});
