import {
  OrgPolicySummary,
  ServiceAccessReport,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { Box, Text } from '@backstage/ui';
import { ReactNode } from 'react';
import { FactList } from './FactList';

function signInText(service: ServiceAccessReport): string {
  const settings = service.iapSettings;
  switch (settings.externalSignIn) {
    case 'blocked':
      return 'only identities of the organisation (Google-managed OAuth client)';
    case 'possible': {
      const client = [
        settings.oauthClientId,
        settings.setAt?.oauthClient && `set on ${settings.setAt.oauthClient}`,
      ]
        .filter(Boolean)
        .join(', ');
      return `identities outside the organisation can sign in (custom OAuth client${
        client ? ` ${client}` : ''
      })`;
    }
    case 'unknown':
      return 'unknown: the OAuth client could not be read at every level';
    default:
      return settings.read ? 'not determined' : 'IAP settings not readable';
  }
}

function orgPolicyText(policy: OrgPolicySummary | undefined): string {
  return policy ? policy.summary : 'not read';
}

/**
 * Who can sign in, how the service can be reached, who can call it without IAP, and the Org
 * Policy constraints that bound what can be granted: the facts behind the accessors table.
 */
export function AccessFacts({ service }: { service: ServiceAccessReport }) {
  const settings = service.iapSettings;
  const facts: Array<[string, ReactNode]> = [
    ['Who can sign in', signInText(service)],
  ];
  if (settings.allowedDomains?.enabled) {
    facts.push([
      'Allowed domains',
      `${settings.allowedDomains.domains.join(', ') || 'none'}${
        settings.setAt?.allowedDomains
          ? ` (set on ${settings.setAt.allowedDomains})`
          : ''
      }`,
    ]);
  }
  if (settings.reauth) {
    facts.push([
      'Re-authentication',
      [
        settings.reauth.method && `method ${settings.reauth.method}`,
        settings.reauth.maxAge && `every ${settings.reauth.maxAge}`,
        settings.reauth.policyType && `policy ${settings.reauth.policyType}`,
      ]
        .filter(Boolean)
        .join(', ') || 'set',
    ]);
  }
  if (service.reachability) {
    facts.push([
      'From the internet',
      {
        direct: 'reachable at its URL',
        'load-balancer-only': 'only through a load balancer or custom domain',
        no: 'not reachable (internal ingress)',
      }[service.reachability.fromInternet],
    ]);
  }
  const direct = service.runInvoker.directCallers;
  if (direct) {
    facts.push([
      'Direct callers (bypassing IAP)',
      <>
        {direct.summary}
        {direct.callers.length > 0 && (
          <ul style={{ margin: 0 }}>
            {direct.callers.map(caller => (
              <li key={`${caller.member} ${caller.role} ${caller.resource}`}>
                {caller.member}: {caller.role} on{' '}
                {caller.level === 'service' ? 'the service' : caller.resource}
                {caller.conditional ? ' (conditional)' : ''}
              </li>
            ))}
          </ul>
        )}
      </>,
    ]);
  }
  if (service.orgPolicies) {
    const domains = service.orgPolicies.allowedPolicyMemberDomains;
    facts.push([
      'Domain restricted sharing',
      domains?.read && !domains.enforced
        ? 'not enforced: nothing stops an outside member from being granted'
        : orgPolicyText(domains),
    ]);
    facts.push([
      'Allowed ingress (org policy)',
      orgPolicyText(service.orgPolicies.allowedIngress),
    ]);
  }
  return (
    <Box>
      <Text as="h4" variant="title-x-small" weight="bold">
        Sign-in and reachability
      </Text>
      <FactList facts={facts} label="Sign-in and reachability" />
    </Box>
  );
}
