import ipaddr from 'ipaddr.js';
import { Reachability } from '../report/types';
import { isValidIp } from './network';

/** The ingress setting, normalised from Cloud Run v2 names, v1 annotation values or enum numbers. */
export type IngressSetting =
  | 'all'
  | 'internal'
  | 'internal-and-cloud-load-balancing'
  | 'unknown';

export function normalizeIngress(
  ingress: string | number | undefined,
): IngressSetting {
  switch (String(ingress ?? '')) {
    case '':
    case '1':
    case 'all':
    case 'INGRESS_TRAFFIC_ALL':
      return 'all';
    case '2':
    case 'internal':
    case 'INGRESS_TRAFFIC_INTERNAL_ONLY':
      return 'internal';
    case '3':
    case 'internal-and-cloud-load-balancing':
    case 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER':
      return 'internal-and-cloud-load-balancing';
    default:
      return 'unknown';
  }
}

/**
 * Whether the service can be reached from the internet: ingress `internal` admits only VPC
 * networks, Shared VPC, internal load balancers and some Google services; `internal-and-cloud-
 * load-balancing` also admits external Application Load Balancers; `defaultUriDisabled` turns the
 * run.app URL off, leaving only load balancers and custom domains.
 */
export function evaluateReachability(
  ingress: string | undefined,
  defaultUriDisabled: boolean,
): Reachability {
  const setting = normalizeIngress(ingress);
  const defaultUri = !defaultUriDisabled;
  if (setting === 'internal') {
    return {
      fromInternet: 'no',
      defaultUri,
      reason:
        'Ingress is internal: only requests from VPC networks (and Shared VPC, internal load balancers and some Google services) reach the service; nothing from the internet does.',
    };
  }
  if (setting === 'internal-and-cloud-load-balancing') {
    return {
      fromInternet: 'load-balancer-only',
      defaultUri,
      reason:
        'Ingress is internal and Cloud Load Balancing: internet clients reach the service only through an external Application Load Balancer, not through its run.app URL.',
    };
  }
  if (!defaultUri) {
    return {
      fromInternet: 'load-balancer-only',
      defaultUri,
      reason:
        'The default run.app URL is disabled: internet clients reach the service only through a load balancer or custom domain.',
    };
  }
  return {
    fromInternet: 'direct',
    defaultUri,
    reason:
      setting === 'unknown'
        ? `Ingress ${ingress} is not known to the analysis; taken as reachable from the internet.`
        : 'Ingress is all: the run.app URL is reachable from the internet.',
  };
}

/** Whether an address is private, loopback, link-local, unique-local or shared (carrier-grade NAT). */
export function isNonPublicIp(ip: string): boolean {
  if (!isValidIp(ip)) {
    return false;
  }
  const range = ipaddr.process(ip).range();
  return range !== 'unicast';
}
