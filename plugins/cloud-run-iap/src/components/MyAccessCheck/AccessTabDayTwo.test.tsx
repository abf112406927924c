import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cloudRunIapApiRef } from '../../api';
import { accessRequest, deniedSelfCheck } from '../../testing/accessFixtures';
import { entity, report, service } from '../../testing/fixtures';
import { mockApi, responseError } from '../../testing/http';
import { EntityCloudRunIapContent } from '../EntityCloudRunIapCard';

/*
 * The day-two parts of the Access tab: everyone who can read the entity gets "Why can't I get
 * in?" and their own requests, even when the report is not theirs to read; managers get the
 * requests to decide and the change controls, and a decision reads the report again.
 */

jest.setTimeout(30_000);

// usePermission caches per entity for the whole file: each case uses its own app.
function renderTab(
  api: ReturnType<typeof mockApi>,
  name: string,
  allowed: boolean,
) {
  return renderInTestApp(
    <EntityProvider entity={entity(name)}>
      <EntityCloudRunIapContent />
    </EntityProvider>,
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

describe('the Access tab on day two', () => {
  it('lets someone without access to the report check their access and request it', async () => {
    const api = mockApi({
      getAccessReport: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            'NotAllowedError',
            403,
            'not allowed to read access',
          ),
        ),
      checkMyAccess: jest.fn().mockResolvedValue(deniedSelfCheck()),
      listAccessRequests: jest
        .fn()
        .mockResolvedValueOnce({ items: [] })
        .mockResolvedValue({ items: [accessRequest()] }),
      requestAccess: jest.fn().mockResolvedValue(accessRequest()),
    });
    renderTab(api, 'team-directory', false);
    expect(
      await screen.findByText('You may not see who can access this app'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('You have not asked for access to this app.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Check my access' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Request access' }),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Justification/ }),
      'Desk map',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send request' }));
    expect(await screen.findByText('Access requested')).toBeInTheDocument();
    // Their own list shows the new request.
    expect(await screen.findByText(/^Pending \(lapses /)).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: /^Change access/ }),
    ).toBeNull();
  });

  it('gives managers the requests to decide and the change controls; a decision reads the report again', async () => {
    const api = mockApi({
      getAccessReport: jest.fn(async () =>
        report([service('office-map', 'europe-west2')]),
      ),
      getAccessLevels: jest.fn(async () => ({
        projectId: 'acme-internal-apps',
        accessPolicy: 'accessPolicies/555000000001',
        accessLevels: [],
      })),
      listAccessRequests: jest.fn(async () => ({
        items: [accessRequest({ entityRef: 'component:default/office-map' })],
      })),
      decideAccessRequest: jest.fn(async () =>
        accessRequest({ status: 'approved' }),
      ),
    });
    renderTab(api, 'office-map', true);
    expect(
      await screen.findByRole('heading', {
        name: 'Change access to office-map (europe-west2)',
      }),
    ).toBeInTheDocument();
    const requests = await screen.findByRole('region', {
      name: 'Access requests',
    });
    expect(
      screen.queryByRole('heading', { name: 'Your access requests' }),
    ).toBeNull();
    expect(api.getAccessReport).toHaveBeenCalledTimes(1);
    await userEvent.click(
      await within(requests).findByRole('button', {
        name: 'Approve user:alan@example.com',
      }),
    );
    await waitFor(() =>
      expect(api.getAccessReport).toHaveBeenLastCalledWith(
        expect.objectContaining({ name: 'office-map' }),
        expect.objectContaining({ refresh: true }),
      ),
    );
  });
});
