import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AccessDrift,
  ServiceAccessReport,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cloudRunIapApiRef } from '../../api';
import {
  corpNetworkPreview,
  TEAM_DIRECTORY,
  TEAM_DIRECTORY_REF,
} from '../../testing/accessFixtures';
import { accessor, CORP_NETWORK, grant, service } from '../../testing/fixtures';
import { mockApi } from '../../testing/http';
import { AccessChangesPanel } from './AccessChangesPanel';

const SERVICE_RESOURCE =
  'projects/100000000001/iap_web/cloud_run-europe-west2/services/team-directory';

/** team-directory as the demo declares it: engineering@ behind corp_network, not project-x@. */
const drift: AccessDrift = {
  declared: {
    members: ['group:engineering@example.com'],
    accessLevels: [CORP_NETWORK],
  },
  grantedNotDeclared: [
    {
      member: 'group:project-x@example.com',
      grants: [
        {
          kind: 'managed',
          grant: 'roles/iap.httpsResourceAccessor on the service',
        },
      ],
    },
  ],
  declaredNotGranted: ['group:engineering@example.com'],
  accessLevels: { declared: [CORP_NETWORK], granted: [] },
  rejected: [],
};

function teamDirectory(declaredAccess?: AccessDrift): ServiceAccessReport {
  return service('team-directory', 'europe-west2', {
    accessors: [
      accessor('group:project-x@example.com', [grant(SERVICE_RESOURCE)]),
    ],
    ...(declaredAccess ? { declaredAccess } : {}),
  });
}

function renderPanel(
  api: ReturnType<typeof mockApi>,
  report: ServiceAccessReport,
) {
  return renderInTestApp(
    <AccessChangesPanel entityRef={TEAM_DIRECTORY_REF} service={report} />,
    {
      apis: [
        [cloudRunIapApiRef, api],
        mockApis.permission({
          authorize: AuthorizeResult.ALLOW,
        }),
      ],
    },
  );
}

const declaredPreview = () => ({
  ...corpNetworkPreview(),
  added: ['group:engineering@example.com'],
  removed: ['group:project-x@example.com'],
});

function apiWith(overrides: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    getAccessLevels: jest.fn().mockResolvedValue({
      projectId: 'acme-internal-apps',
      accessPolicy: 'accessPolicies/555000000001',
      accessLevels: [],
    }),
    ...overrides,
  });
}

describe('Apply declared access', () => {
  it('previews the declared state as a change of the managed grant, then applies it with the etag', async () => {
    const api = apiWith({
      previewAccessChange: jest.fn().mockResolvedValue(declaredPreview()),
      applyAccessChange: jest.fn().mockResolvedValue({
        ...declaredPreview(),
        dryRun: false,
        applied: true,
        etag: 'after',
      }),
    });
    renderPanel(api, teamDirectory(drift));
    const declared = await screen.findByLabelText('Declared access');
    expect(declared).toHaveTextContent(
      'Adds group:engineering@example.com. Removes group:project-x@example.com. Access levels: corp_network.',
    );
    await userEvent.click(
      within(declared).getByRole('button', { name: 'Apply declared access' }),
    );
    expect(api.previewAccessChange).toHaveBeenCalledWith(TEAM_DIRECTORY_REF, {
      service: TEAM_DIRECTORY,
      add: ['group:engineering@example.com'],
      remove: ['group:project-x@example.com'],
      accessLevels: [CORP_NETWORK],
    });
    expect(
      await screen.findByText(
        `Adds group:engineering@example.com. Removes group:project-x@example.com. Access levels: none → ${CORP_NETWORK}.`,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Declared access')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Apply change' }));
    expect(api.applyAccessChange).toHaveBeenCalledWith(TEAM_DIRECTORY_REF, {
      service: TEAM_DIRECTORY,
      add: ['group:engineering@example.com'],
      remove: ['group:project-x@example.com'],
      accessLevels: [CORP_NETWORK],
      etag: 'BwYAAAAAAAA=',
    });
    expect(await screen.findByText('Access changed')).toBeInTheDocument();
  });

  it('offers nothing when only grants the portal does not manage differ', async () => {
    renderPanel(
      apiWith(),
      teamDirectory({
        ...drift,
        grantedNotDeclared: [
          {
            member: 'user:ada@example.com',
            grants: [
              {
                kind: 'hand-made',
                grant:
                  'roles/iap.httpsResourceAccessor on the service, condition "Office"',
                howToChange: 'Made by hand outside the portal: …',
              },
            ],
          },
        ],
        declaredNotGranted: [],
        accessLevels: undefined,
      }),
    );
    expect(
      await screen.findByRole('button', { name: 'Preview change' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Apply declared access' }),
    ).not.toBeInTheDocument();
  });

  it('is not offered without the manage permission', async () => {
    const api = apiWith();
    // Another entity than the other tests': permission answers are cached per resource.
    const authorize = jest.fn(async () => ({ result: AuthorizeResult.DENY }));
    renderInTestApp(
      <>
        <AccessChangesPanel
          entityRef={{ ...TEAM_DIRECTORY_REF, name: 'wiki-search' }}
          service={teamDirectory(drift)}
        />
        <p>rendered</p>
      </>,
      {
        apis: [
          [cloudRunIapApiRef, api],
          mockApis.permission.mock({ authorize }),
        ],
      },
    );
    await screen.findByText('rendered');
    await waitFor(() => expect(authorize).toHaveBeenCalled());
    await act(async () => {});
    expect(
      screen.queryByRole('button', { name: 'Apply declared access' }),
    ).toBeNull();
    expect(screen.queryByLabelText('Declared access')).toBeNull();
  });
});
