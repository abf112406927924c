import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  accessor,
  CORP_NETWORK,
  corpNetworkLevel,
  grant,
  service,
} from '../../testing/fixtures';
import { AccessFacts } from './AccessFacts';
import { AccessLevelDetails } from './AccessLevelDetails';
import { AccessorsTable } from './AccessorsTable';
import { CoverageMeter } from './CoverageMeter';

jest.setTimeout(30_000);

const RESOURCE =
  'projects/100000000001/iap_web/cloud_run-europe-west2/services/app';

function renderTable(
  accessors: Parameters<typeof AccessorsTable>[0]['accessors'],
) {
  return renderInTestApp(
    <AccessorsTable
      accessors={accessors}
      levels={[corpNetworkLevel]}
      serviceKey="projects/p/locations/r/services/app"
    />,
  );
}

describe('the card on who can really get in', () => {
  it('shows a group with its size and its members outside the organisation', async () => {
    await renderTable([
      accessor('group:eng@example.com', [grant(RESOURCE)], {
        group: {
          expanded: true,
          size: 12,
          nestedGroups: 2,
          externalMembers: ['user:mallory@gmail.com'],
          unknownMembers: 0,
        },
      }),
    ]);
    expect(screen.getByText(/12 people, 2 nested groups/)).toBeInTheDocument();
    expect(screen.getByText('1 outside the organisation:')).toBeInTheDocument();
    expect(screen.getByText(/user:mallory@gmail\.com/)).toBeInTheDocument();
  });

  it('says when a group could not be expanded', async () => {
    await renderTable([
      accessor('group:eng@example.com', [grant(RESOURCE)], {
        group: {
          expanded: false,
          error: 'PERMISSION_DENIED',
          size: 0,
          nestedGroups: 0,
          externalMembers: [],
          unknownMembers: 0,
        },
      }),
    ]);
    expect(
      screen.getByText(
        'members not readable (PERMISSION_DENIED): counted as one accessor',
      ),
    ).toBeInTheDocument();
  });

  it('shows an expired grant as giving no access, and an expiry date', async () => {
    await renderTable([
      accessor(
        'user:old@example.com',
        [
          grant(RESOURCE, CORP_NETWORK, {
            expiresAt: '2026-11-01T00:00:00Z',
            expired: true,
          }),
        ],
        { expired: true },
      ),
      accessor('user:temp@example.com', [
        grant(RESOURCE, CORP_NETWORK, {
          expiresAt: '2026-12-03T00:00:00Z',
          expiresSoon: true,
        }),
      ]),
    ]);
    expect(
      screen.getByText('every grant expired: no access'),
    ).toBeInTheDocument();
    expect(screen.getByText('Expired')).toBeInTheDocument();
    expect(screen.queryAllByText('Unrestricted')).toHaveLength(0);
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Show grants of user:old@example.com',
      }),
    );
    expect(
      screen.getByText(/^Expired .*: this grant gives no access; remove it\.$/),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Show grants of user:temp@example.com',
      }),
    );
    expect(screen.getByText(/^Expires soon: /)).toBeInTheDocument();
  });

  it('names the unrestricted grant that lets a restricted user in', async () => {
    await renderTable([
      accessor('user:alice@example.com', [grant(RESOURCE, CORP_NETWORK)], {
        contextRestricted: false,
        unrestrictedThrough: {
          through: 'group:eng@example.com',
          level: 'service',
          resource: RESOURCE,
          role: 'roles/iap.httpsResourceAccessor',
          contextRestricted: false,
        },
      }),
    ]);
    expect(
      screen.getByText(
        /also gets in unrestricted through group:eng@example\.com/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a level that restricts nothing', async () => {
    await renderInTestApp(
      <AccessLevelDetails
        name={CORP_NETWORK}
        level={{
          ...corpNetworkLevel,
          restrictsNothing: true,
          restrictsNothingReason: 'its IP ranges include 0.0.0.0/0 and ::/0',
        }}
      />,
    );
    expect(
      screen.getByText(
        /Restricts nothing: its IP ranges include 0\.0\.0\.0\/0 and ::\/0\. Grants relying on it are not counted as restricted\./,
      ),
    ).toBeInTheDocument();
  });

  it('counts people when groups are expanded', async () => {
    await renderInTestApp(
      <CoverageMeter
        coverage={{
          covered: 1,
          total: 4,
          ratio: 0.25,
          uncoveredMembers: [],
          unit: 'person',
        }}
      />,
    );
    expect(
      screen.getByText(
        /people \(groups expanded\) covered \(25%\): some people are unrestricted/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the sign-in, reachability, direct-caller and org-policy facts', async () => {
    await renderInTestApp(
      <AccessFacts
        service={service('app', 'europe-west2', {
          iapEnabled: false,
          ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
          iapSettings: {
            read: true,
            programmaticClients: [],
            allowedDomains: { enabled: true, domains: ['example.com'] },
            reauth: { method: 'LOGIN', maxAge: '3600s' },
            oauthClient: 'google-managed',
            externalSignIn: 'blocked',
            setAt: { allowedDomains: 'organizations/42' },
          },
          reachability: {
            fromInternet: 'no',
            defaultUri: true,
            reason: 'Ingress is internal',
          },
          runInvoker: {
            read: true,
            members: [],
            publicMembers: [],
            iapServiceAgent: 'serviceAccount:agent',
            iapAgentIsInvoker: false,
            directCallers: {
              reason: 'iap-off',
              anyone: false,
              callers: [
                {
                  member: 'user:bob@example.com',
                  role: 'roles/owner',
                  level: 'project',
                  resource: 'projects/acme',
                  conditional: false,
                },
              ],
              summary: 'IAP is off: 1 member(s) can call the service directly.',
            },
          },
          orgPolicies: {
            allowedPolicyMemberDomains: {
              constraint: 'iam.allowedPolicyMemberDomains',
              read: true,
              enforced: false,
              allowedValues: [],
              deniedValues: [],
              allowAll: true,
              denyAll: false,
              conditional: false,
              summary: 'not enforced',
            },
            allowedIngress: {
              constraint: 'run.allowedIngress',
              read: true,
              enforced: true,
              allowedValues: ['is:internal'],
              deniedValues: [],
              allowAll: false,
              denyAll: false,
              conditional: false,
              summary: 'run.allowedIngress allows only is:internal.',
            },
          },
        })}
      />,
    );
    const facts = within(screen.getByLabelText('Sign-in and reachability'));
    const value = (term: string) =>
      facts.getByText(term).nextElementSibling?.textContent;
    expect(value('Who can sign in')).toBe(
      'only identities of the organisation (Google-managed OAuth client)',
    );
    expect(value('Allowed domains')).toBe(
      'example.com (set on organizations/42)',
    );
    expect(value('Re-authentication')).toBe('method LOGIN, every 3600s');
    expect(value('From the internet')).toBe('not reachable (internal ingress)');
    expect(value('Direct callers (bypassing IAP)')).toBe(
      'IAP is off: 1 member(s) can call the service directly.user:bob@example.com: roles/owner on projects/acme',
    );
    expect(value('Domain restricted sharing')).toBe(
      'not enforced: nothing stops an outside member from being granted',
    );
    expect(value('Allowed ingress (org policy)')).toBe(
      'run.allowedIngress allows only is:internal.',
    );
  });

  it('says who can sign in with a custom OAuth client', async () => {
    await renderInTestApp(
      <AccessFacts
        service={service('app', 'europe-west2', {
          iapSettings: {
            read: true,
            programmaticClients: [],
            oauthClient: 'custom',
            oauthClientId: 'abc.apps.googleusercontent.com',
            externalSignIn: 'possible',
            setAt: { oauthClient: 'folders/7' },
          },
        })}
      />,
    );
    expect(
      screen.getByText(
        'identities outside the organisation can sign in (custom OAuth client abc.apps.googleusercontent.com, set on folders/7)',
      ),
    ).toBeInTheDocument();
  });
});
