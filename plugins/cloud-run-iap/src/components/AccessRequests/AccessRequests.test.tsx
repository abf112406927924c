import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cloudRunIapApiRef } from '../../api';
import {
  accessRequest,
  TEAM_DIRECTORY_REF,
} from '../../testing/accessFixtures';
import { mockApi, responseError } from '../../testing/http';
import { EntityAccessRequests } from './EntityAccessRequests';
import { PendingAccessRequests } from './PendingAccessRequests';

const approved = accessRequest({
  status: 'approved',
  decidedBy: 'user:default/guest',
  decidedAt: '2026-12-02T10:00:00Z',
  expiresAt: '2026-12-09T10:00:00Z',
});

// usePermission caches answers per entity for the whole file, so the denied case uses
// another app than the allowed ones.
const OFFICE_MAP_REF = { ...TEAM_DIRECTORY_REF, name: 'office-map' };

function renderEntity(
  api: ReturnType<typeof mockApi>,
  allowed: boolean,
  entityRef = TEAM_DIRECTORY_REF,
  onDecided?: () => void,
) {
  renderInTestApp(
    <>
      <EntityAccessRequests
        entityRef={entityRef}
        audience="managers"
        onDecided={onDecided}
      />
      <EntityAccessRequests entityRef={entityRef} audience="requester" />
    </>,
    {
      apis: [
        [cloudRunIapApiRef, api],
        mockApis.permission({
          authorize: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }),
      ],
    },
  );
}

describe('EntityAccessRequests', () => {
  it('lets a manager approve a pending request, then shows the grant end', async () => {
    const api = mockApi({
      listAccessRequests: jest
        .fn()
        .mockResolvedValueOnce({ items: [accessRequest()] })
        .mockResolvedValueOnce({ items: [approved] }),
      decideAccessRequest: jest.fn().mockResolvedValue(approved),
    });
    const onDecided = jest.fn();
    renderEntity(api, true, TEAM_DIRECTORY_REF, onDecided);
    expect(
      await screen.findByRole('heading', { name: 'Access requests' }),
    ).toBeInTheDocument();
    const table = await screen.findByRole('grid');
    expect(
      within(table).getByText('user:alan@example.com'),
    ).toBeInTheDocument();
    expect(
      within(table).getByText('I maintain the desk map for the new office.'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(table).getByRole('button', {
        name: 'Approve user:alan@example.com',
      }),
    );
    expect(api.decideAccessRequest).toHaveBeenCalledWith(accessRequest().id, {
      decision: 'approve',
    });
    expect(await screen.findByText(/^Approved, expires /)).toBeInTheDocument();
    expect(onDecided).toHaveBeenCalledTimes(1);
    // One list, the managers' (the requester's view is not shown to them).
    expect(
      screen.queryByRole('heading', { name: 'Your access requests' }),
    ).toBeNull();
    expect(screen.getByText('by user:default/guest')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Approve/ })).toBeNull();
  });

  it('shows a refused decision next to the request', async () => {
    const api = mockApi({
      listAccessRequests: jest
        .fn()
        .mockResolvedValue({ items: [accessRequest()] }),
      decideAccessRequest: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            'NotAllowedError',
            403,
            'team-directory records owner group:default/other-team, not group:default/internal-apps-team',
          ),
        ),
    });
    renderEntity(api, true);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deny user:alan@example.com' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'records owner group:default/other-team',
    );
    expect(api.decideAccessRequest).toHaveBeenCalledWith(accessRequest().id, {
      decision: 'deny',
    });
  });

  it('shows others only their own requests, without decisions', async () => {
    renderEntity(
      mockApi({
        listAccessRequests: jest
          .fn()
          .mockResolvedValue({ items: [accessRequest()] }),
      }),
      false,
      OFFICE_MAP_REF,
    );
    expect(
      await screen.findByRole('heading', { name: 'Your access requests' }),
    ).toBeInTheDocument();
    expect(await screen.findByText(/^Pending \(lapses /)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Approve|Deny/ })).toBeNull();
    expect(
      screen.queryByRole('heading', { name: 'Access requests' }),
    ).toBeNull();
  });

  it('says when nobody asked', async () => {
    renderEntity(
      mockApi({
        listAccessRequests: jest.fn().mockResolvedValue({ items: [] }),
      }),
      true,
    );
    expect(
      await screen.findByText('Nobody has asked for access to this app.'),
    ).toBeInTheDocument();
  });

  it('shows a failed load with a retry', async () => {
    const api = mockApi({
      listAccessRequests: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError('Error', 500, 'database is locked'),
        )
        .mockResolvedValueOnce({ items: [] }),
    });
    renderEntity(api, true);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'database is locked',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(api.listAccessRequests).toHaveBeenCalledTimes(2),
    );
    expect(
      await screen.findByText('Nobody has asked for access to this app.'),
    ).toBeInTheDocument();
  });
});

describe('PendingAccessRequests', () => {
  it('lists the pending requests of every app with their app, oldest first', async () => {
    const older = accessRequest({
      id: 'older',
      entityRef: 'component:default/office-map',
      member: 'user:grace@example.com',
      createdAt: '2026-12-01T08:00:00Z',
    });
    renderInTestApp(<PendingAccessRequests />, {
      apis: [
        [
          cloudRunIapApiRef,
          mockApi({
            listPendingAccessRequests: jest
              .fn()
              .mockResolvedValue({ items: [accessRequest(), older] }),
          }),
        ],
      ],
    });
    const table = await screen.findByRole('grid');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('component:default/office-map');
    expect(rows[1]).toHaveTextContent('component:default/team-directory');
    expect(
      within(rows[0]).getByRole('button', {
        name: 'Approve user:grace@example.com',
      }),
    ).toBeInTheDocument();
  });

  it('says when nothing waits', async () => {
    renderInTestApp(<PendingAccessRequests />, {
      apis: [
        [
          cloudRunIapApiRef,
          mockApi({
            listPendingAccessRequests: jest
              .fn()
              .mockResolvedValue({ items: [] }),
          }),
        ],
      ],
    });
    expect(await screen.findByText('No pending requests.')).toBeInTheDocument();
  });
});
