import ipaddr from 'ipaddr.js';

/**
 * Whether the text is an IPv4 address in dotted-quad form or an IPv6 address. Legacy IPv4 forms
 * (`10`, `10.1`, `0x0a.0.0.1`, octal `010.0.0.1`) are rejected as ambiguous.
 */
export function isValidIp(ip: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(ip) || ipaddr.IPv6.isValid(ip);
}

/**
 * Whether an IPv4 or IPv6 address lies in a CIDR range. IPv4-mapped IPv6 addresses
 * (`::ffff:10.1.2.3`) match IPv4 ranges and IPv4 addresses match `::ffff:0:0/96`-style ranges.
 * Returns undefined when the address or the range does not parse.
 */
export function ipInCidr(ip: string, cidr: string): boolean | undefined {
  if (!isValidIp(ip)) {
    return undefined;
  }
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    address = ipaddr.process(ip);
    range = ipaddr.parseCIDR(cidr);
  } catch {
    return undefined;
  }
  const [network, bits] = range;
  if (address.kind() === network.kind()) {
    return address.match(range);
  }
  if (address.kind() === 'ipv4' && network.kind() === 'ipv6') {
    return (address as ipaddr.IPv4).toIPv4MappedAddress().match(network, bits);
  }
  return false;
}
