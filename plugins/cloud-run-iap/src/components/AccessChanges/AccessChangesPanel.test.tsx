import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ServiceAccessReport } from '@internal-apps/plugin-cloud-run-iap-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessChangedSinceYouLookedError, cloudRunIapApiRef } from '../../api';
import {
  addAlanPreview,
  corpNetworkPreview,
  TEAM_DIRECTORY,
  TEAM_DIRECTORY_REF,
} from '../../testing/accessFixtures';
import { accessor, CORP_NETWORK, grant, service } from '../../testing/fixtures';
import { mockApi, responseError } from '../../testing/http';
import { AccessChangesPanel } from './AccessChangesPanel';

const SERVICE_RESOURCE =
  'projects/100000000001/iap_web/cloud_run-europe-west2/services/team-directory';

function teamDirectory(): ServiceAccessReport {
  return service('team-directory', 'europe-west2', {
    accessors: [
      accessor('group:project-x@example.com', [grant(SERVICE_RESOURCE)]),
      accessor('group:analysts@example.com', [
        grant(
          'projects/100000000001/iap_web/cloud_run-europe-west2',
          undefined,
          {
            level: 'region',
          },
        ),
      ]),
      accessor('user:temp@example.com', [
        grant(SERVICE_RESOURCE, undefined, {
          condition: {
            title: 'Temporary access (managed by Backstage)',
            expression: 'request.time < timestamp("2026-12-09T10:00:00Z")',
          },
          expiresAt: '2026-12-09T10:00:00Z',
        }),
      ]),
    ],
  });
}

const levelOptions = {
  projectId: 'acme-internal-apps',
  accessPolicy: 'accessPolicies/555000000001',
  accessLevels: [
    {
      name: CORP_NETWORK,
      shortName: 'corp_network',
      title: 'Corporate network',
      kind: 'basic' as const,
      summary: 'IP 203.0.113.0/24',
    },
  ],
};

function renderPanel(
  api: ReturnType<typeof mockApi>,
  allowed = true,
  entityRef = TEAM_DIRECTORY_REF,
) {
  const onApplied = jest.fn();
  renderInTestApp(
    <AccessChangesPanel
      entityRef={entityRef}
      service={teamDirectory()}
      onApplied={onApplied}
    />,
    {
      apis: [
        [cloudRunIapApiRef, api],
        mockApis.permission({
          authorize: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }),
      ],
    },
  );
  return onApplied;
}

function apiWith(overrides: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    getAccessLevels: jest.fn().mockResolvedValue(levelOptions),
    ...overrides,
  });
}

async function addMember(member: string) {
  await userEvent.type(await screen.findByLabelText(/Member to add/), member);
  await userEvent.click(screen.getByRole('button', { name: 'Add member' }));
}

describe('AccessChangesPanel', () => {
  it('previews an added member (bindings and coverage before and after), then applies it with the etag', async () => {
    const api = apiWith({
      previewAccessChange: jest.fn().mockResolvedValue(addAlanPreview()),
      applyAccessChange: jest
        .fn()
        .mockResolvedValue(
          addAlanPreview({ dryRun: false, applied: true, etag: 'new-etag' }),
        ),
    });
    const onApplied = renderPanel(api);
    await addMember('user:alan@example.com');
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview change' }),
    );
    expect(api.previewAccessChange).toHaveBeenCalledWith(TEAM_DIRECTORY_REF, {
      service: TEAM_DIRECTORY,
      add: ['user:alan@example.com'],
    });
    expect(
      await screen.findByText('Adds user:alan@example.com.'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Coverage before and after'),
    ).toHaveTextContent(
      'Coverage: 0 of 1 accessors covered (0%) → 0 of 2 accessors covered (0%)',
    );
    expect(
      within(screen.getByRole('list', { name: 'Bindings after' })).getByText(
        /group:project-x@example.com, user:alan@example.com/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Apply change' }));
    expect(api.applyAccessChange).toHaveBeenCalledWith(TEAM_DIRECTORY_REF, {
      service: TEAM_DIRECTORY,
      add: ['user:alan@example.com'],
      etag: 'BwYAAAAAAAA=',
    });
    expect(await screen.findByText('Access changed')).toBeInTheDocument();
    expect(onApplied).toHaveBeenCalledWith(
      expect.objectContaining({ applied: true, etag: 'new-etag' }),
    );
  });

  it('refuses a member the actions would refuse, before any call', async () => {
    const api = apiWith();
    renderPanel(api);
    await addMember('alan@example.com');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'must be user:EMAIL, group:EMAIL, serviceAccount:EMAIL, domain:DOMAIN, principal://… or principalSet://… (a workforce identity) (got "alan@example.com")',
    );
    expect(screen.getByLabelText(/Member to add/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview change' }),
    );
    expect(
      screen.getByText('Add or remove a member, or change the access levels'),
    ).toHaveAttribute('role', 'alert');
    expect(api.previewAccessChange).not.toHaveBeenCalled();
  });

  it('on "changed since you looked" shows the fresh preview and applies with its etag', async () => {
    const fresh = addAlanPreview({ etag: 'fresh-etag' });
    const api = apiWith({
      previewAccessChange: jest.fn().mockResolvedValue(addAlanPreview()),
      applyAccessChange: jest
        .fn()
        .mockRejectedValueOnce(
          new AccessChangedSinceYouLookedError(
            await responseError(
              'ConflictError',
              409,
              'The access of team-directory changed since you looked (etag mismatch). Review the new preview and apply again.',
            ),
            fresh,
          ),
        )
        .mockResolvedValueOnce(
          addAlanPreview({ applied: true, dryRun: false, etag: 'after' }),
        ),
    });
    renderPanel(api);
    await addMember('user:alan@example.com');
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview change' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Apply change' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The access changed since you looked');
    expect(alert).toHaveTextContent('Nothing was written');
    await userEvent.click(screen.getByRole('button', { name: 'Apply change' }));
    await waitFor(() =>
      expect(api.applyAccessChange).toHaveBeenLastCalledWith(
        TEAM_DIRECTORY_REF,
        expect.objectContaining({ etag: 'fresh-etag' }),
      ),
    );
    expect(await screen.findByText('Access changed')).toBeInTheDocument();
  });

  it('removes only managed members; others are listed with how to change them', async () => {
    const api = apiWith({
      previewAccessChange: jest.fn().mockResolvedValue(
        addAlanPreview({
          added: [],
          removed: ['group:project-x@example.com'],
        }),
      ),
    });
    renderPanel(api);
    const managed = await screen.findByLabelText('Members the portal manages');
    expect(
      within(managed)
        .getAllByRole('checkbox')
        .map(c => c.closest('label')?.textContent),
    ).toEqual(['Remove group:project-x@example.com']);
    const unmanaged = screen.getByRole('list', {
      name: 'Grants the portal does not change',
    });
    expect(unmanaged).toHaveTextContent(
      /group:analysts@example.com: roles\/iap.httpsResourceAccessor on projects\/100000000001\/iap_web\/cloud_run-europe-west2\. Inherited from/,
    );
    expect(unmanaged).not.toHaveTextContent('user:temp@example.com');
    await userEvent.click(
      within(managed).getByRole('checkbox', {
        name: 'Remove group:project-x@example.com',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview change' }),
    );
    expect(api.previewAccessChange).toHaveBeenCalledWith(TEAM_DIRECTORY_REF, {
      service: TEAM_DIRECTORY,
      remove: ['group:project-x@example.com'],
    });
    expect(
      await screen.findByText('Removes group:project-x@example.com.'),
    ).toBeInTheDocument();
  });

  it('sets access levels from the organisation’s levels', async () => {
    const api = apiWith({
      previewAccessChange: jest.fn().mockResolvedValue(corpNetworkPreview()),
    });
    renderPanel(api);
    await userEvent.click(
      await screen.findByRole('switch', { name: 'Change the access levels' }),
    );
    await userEvent.click(
      await screen.findByRole('checkbox', {
        name: 'Corporate network (IP 203.0.113.0/24)',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview change' }),
    );
    expect(api.previewAccessChange).toHaveBeenCalledWith(TEAM_DIRECTORY_REF, {
      service: TEAM_DIRECTORY,
      accessLevels: [CORP_NETWORK],
    });
    expect(
      await screen.findByLabelText('Coverage before and after'),
    ).toHaveTextContent('→ 1 of 1 accessors covered (100%)');
  });

  it('shows a refused preview with the server message', async () => {
    const api = apiWith({
      previewAccessChange: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            'InputError',
            400,
            'add[0]: user:eve@partner.org is outside the organisation (example.com)',
          ),
        ),
    });
    renderPanel(api);
    await addMember('user:eve@partner.org');
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview change' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The change could not be previewed');
    expect(alert).toHaveTextContent('add[0]: user:eve@partner.org is outside');
  });

  it('offers no controls without cloud-run-iap.access.manage', async () => {
    const api = apiWith();
    const authorize = jest.fn(async () => ({ result: AuthorizeResult.DENY }));
    renderInTestApp(
      <>
        <AccessChangesPanel
          entityRef={{ ...TEAM_DIRECTORY_REF, name: 'office-map' }}
          service={teamDirectory()}
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
    await waitFor(() =>
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: expect.objectContaining({
            name: 'cloud-run-iap.access.manage',
          }),
          resourceRef: 'component:default/office-map',
        }),
      ),
    );
    // The answer has been rendered: RequirePermission shows nothing.
    await act(async () => {});
    expect(
      screen.queryByRole('heading', { name: /^Change access/ }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: 'Preview change' })).toBeNull();
    expect(api.getAccessLevels).not.toHaveBeenCalled();
  });
});
