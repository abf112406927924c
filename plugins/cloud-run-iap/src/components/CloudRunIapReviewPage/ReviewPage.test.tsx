import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessEvent, CloudRunIapApi, cloudRunIapApiRef } from '../../api';
import { accessRequest } from '../../testing/accessFixtures';
import { reviewResponse } from '../../testing/fixtures';
import { mockApi, responseError } from '../../testing/http';
import { formatTime } from '../shared/time';
import { ReviewPageContent } from './ReviewPageContent';

jest.setTimeout(30_000);

const TEAM = 'group:default/internal-apps-team';

/** The API of the page: no pending request unless the test gives some. */
function reviewApi(overrides: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    listPendingAccessRequests: jest.fn(async () => ({ items: [] })),
    ...overrides,
  });
}

function renderPage(
  api: CloudRunIapApi,
  initialRoute = '/cloud-run-iap/review',
  catalogEntities: Entity[] = [],
) {
  return renderInTestApp(<ReviewPageContent />, {
    apis: [
      [cloudRunIapApiRef, api],
      catalogApiMock({ entities: catalogEntities }),
      mockApis.identity({
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: ['user:default/guest', TEAM],
      }),
    ],
    initialRouteEntries: [initialRoute],
    mountPath: '/cloud-run-iap/review',
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

function members() {
  const table = screen.getByRole('grid', { name: 'Access review' });
  return Array.from(table.querySelectorAll('tbody tr')).map(
    r => r.querySelectorAll('td')[2]?.textContent,
  );
}

/** The button of that name outside the pending requests (whose table pages on its own), if any. */
function reviewButton(name: string) {
  const pending = screen.getByRole('region', {
    name: 'Pending access requests',
  });
  const [button] = screen
    .queryAllByRole('button', { name })
    .filter(b => !pending.contains(b));
  return button ?? null;
}

/** Picks an option of the "Top finding" select (a button that opens a list box). */
async function chooseTopFinding(option: string) {
  await userEvent.click(screen.getByRole('button', { name: /Top finding/ }));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

describe('ReviewPageContent', () => {
  it("defaults to the signed-in user's group and shows the counts", async () => {
    const api = reviewApi({ getReview: jest.fn(async () => reviewResponse()) });
    renderPage(api);
    const summary = await screen.findByRole('list', { name: 'Review summary' });
    expect(api.getReview).toHaveBeenCalledWith(TEAM);
    expect(within(summary).getByLabelText('Apps: 2')).toBeInTheDocument();
    expect(within(summary).getByLabelText('Accessors: 5')).toBeInTheDocument();
    expect(within(summary).getByLabelText('Coverage: 60%')).toBeInTheDocument();
    expect(
      within(summary).getByLabelText('Critical findings: 1'),
    ).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Owner' })).toHaveValue(TEAM);
    expect(members()).toHaveLength(5);
    expect(
      screen.getAllByRole('link', { name: /access-manager/ }).length,
    ).toBeGreaterThan(0);
  });

  it('reads the owner from the address', async () => {
    const api = reviewApi({ getReview: jest.fn(async () => reviewResponse()) });
    renderPage(api, '/cloud-run-iap/review?owner=user%3Adefault%2Fada');
    await screen.findByRole('list', { name: 'Review summary' });
    expect(api.getReview).toHaveBeenCalledWith('user:default/ada');
  });

  it('filters external, unrestricted and by finding severity', async () => {
    renderPage(reviewApi({ getReview: jest.fn(async () => reviewResponse()) }));
    await screen.findByRole('grid', { name: 'Access review' });
    await userEvent.click(screen.getByLabelText('External only'));
    expect(members()).toEqual([
      'user:contractor@partner-agency.com',
      'allAuthenticatedUsers',
    ]);
    expect(screen.getByRole('status')).toHaveTextContent('Showing 2 of 5 rows');
    await userEvent.click(screen.getByLabelText('External only'));
    await userEvent.click(screen.getByLabelText('Unrestricted only'));
    expect(members()).toEqual([
      'group:gcp-admins@example.com',
      'user:contractor@partner-agency.com',
      'allAuthenticatedUsers',
    ]);
    await chooseTopFinding('Critical');
    expect(members()).toEqual(['allAuthenticatedUsers']);
    await chooseTopFinding('Medium');
    expect(screen.getByText('No row matches the filters.')).toBeInTheDocument();
    await chooseTopFinding('With a finding');
    expect(members()).toHaveLength(3);
  });

  it('sorts by a column, both ways, and says so in aria-sort', async () => {
    renderPage(reviewApi({ getReview: jest.fn(async () => reviewResponse()) }));
    await screen.findByRole('grid', { name: 'Access review' });
    const header = screen.getByRole('columnheader', { name: 'Accessor' });
    await userEvent.click(header);
    expect(header).toHaveAttribute('aria-sort', 'ascending');
    expect(members()).toEqual([
      'allAuthenticatedUsers',
      'group:gcp-admins@example.com',
      'group:internal-apps-team@example.com',
      'user:ada@example.com',
      'user:contractor@partner-agency.com',
    ]);
    await userEvent.click(header);
    expect(header).toHaveAttribute('aria-sort', 'descending');
    expect(members()[0]).toBe('user:contractor@partner-agency.com');

    const finding = screen.getByRole('columnheader', { name: 'Top finding' });
    await userEvent.click(finding);
    expect(members().slice(0, 3)).toEqual([
      'allAuthenticatedUsers',
      'user:contractor@partner-agency.com',
      'group:gcp-admins@example.com',
    ]);
  });

  it('pages past 50 rows, and a filter goes back to the first page', async () => {
    const review = reviewResponse();
    const template = review.rows[2];
    review.rows = Array.from({ length: 55 }, (_, i) => ({
      ...template,
      member: `user:person-${String(i).padStart(3, '0')}@example.com`,
    }));
    renderPage(reviewApi({ getReview: jest.fn(async () => review) }));
    await screen.findByRole('grid', { name: 'Access review' });
    expect(members()).toHaveLength(50);
    expect(members()[0]).toBe('user:person-000@example.com');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Showing 55 of 55 rows',
    );
    await userEvent.click(reviewButton('Next table page'));
    expect(members()).toHaveLength(5);
    expect(members()[0]).toBe('user:person-050@example.com');
    expect(reviewButton('Next table page')).toBeDisabled();

    await userEvent.click(screen.getByLabelText('Filter rows'));
    await userEvent.paste('person-00');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Showing 10 of 55 rows',
    );
    expect(members()[0]).toBe('user:person-000@example.com');
    expect(reviewButton('Next table page')).toBeNull();
  });

  it('downloads the CSV from the backend', async () => {
    const blob = new Blob(['entityRef,service,member\n'], { type: 'text/csv' });
    const api = reviewApi({
      getReview: jest.fn(async () => reviewResponse()),
      getReviewCsv: jest.fn(async () => blob),
    });
    const createObjectURL = jest.fn(() => 'blob:review');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicks: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicks.push(this);
      });
    renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download CSV' }),
    );
    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(api.getReviewCsv).toHaveBeenCalledWith(TEAM);
    expect(createObjectURL).toHaveBeenCalledWith(blob);
    expect(clicks[0].getAttribute('href')).toBe('blob:review');
    expect(clicks[0].download).toMatch(
      /^iap-access-review-group-default-internal-apps-team-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    click.mockRestore();
  });

  it('says when the CSV cannot be downloaded', async () => {
    const api = reviewApi({
      getReview: jest.fn(async () => reviewResponse()),
      getReviewCsv: jest.fn(async () => {
        throw await responseError(
          'ServiceUnavailableError',
          503,
          'Google is down',
        );
      }),
    });
    renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download CSV' }),
    );
    expect(
      await screen.findByText(
        'The CSV could not be downloaded: Google is down',
      ),
    ).toBeInTheDocument();
  });

  it('says through which members a person expanded from a group gets in', async () => {
    const review = reviewResponse();
    review.rows = [
      {
        ...review.rows[0],
        member: 'user:carol@example.com',
        kind: 'user',
        via: ['group:internal-apps-team@example.com'],
      },
      { ...review.rows[1], via: [review.rows[1].member] },
    ];
    renderPage(reviewApi({ getReview: jest.fn(async () => review) }));
    expect(
      await screen.findByText('through group:internal-apps-team@example.com'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/^through /)).toHaveLength(1);
  });

  it('asks for one row per person when the switch is on, and keeps it in the address', async () => {
    const api = reviewApi({
      getReview: jest.fn(async () => reviewResponse()),
      getReviewCsv: jest.fn(async () => new Blob(['a,b\n'])),
    });
    renderPage(api);
    await screen.findByRole('list', { name: 'Review summary' });
    expect(api.getReview).toHaveBeenLastCalledWith(TEAM);
    await userEvent.click(
      screen.getByRole('switch', {
        name: 'One row per person (groups expanded)',
      }),
    );
    await waitFor(() =>
      expect(api.getReview).toHaveBeenLastCalledWith(TEAM, {
        expand: 'people',
      }),
    );
    expect(
      screen.getByRole('switch', {
        name: 'One row per person (groups expanded)',
      }),
    ).toBeChecked();
  });

  it('lists apps missing from the review', async () => {
    const review = reviewResponse();
    review.errors = [
      {
        entityRef: 'component:default/callcentre-assistant',
        message: 'Google timed out',
      },
    ];
    renderPage(reviewApi({ getReview: jest.fn(async () => review) }));
    expect(
      await screen.findByText('Some apps are missing from this review'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'component:default/callcentre-assistant: Google timed out',
      ),
    ).toBeInTheDocument();
  });

  it('shows permission denied without data', async () => {
    renderPage(
      reviewApi({
        getReview: jest.fn(async () => {
          throw await responseError('NotAllowedError', 403, 'no');
        }),
      }),
    );
    expect(
      await screen.findByText("You may not review this owner's apps"),
    ).toBeInTheDocument();
    expect(screen.queryByRole('grid', { name: 'Access review' })).toBeNull();
  });

  it('shows an error with a retry', async () => {
    const getReview = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await responseError('Error', 500, 'Boom');
      })
      .mockImplementation(async () => reviewResponse());
    renderPage(reviewApi({ getReview }));
    expect(await screen.findByText('Boom')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('grid', { name: 'Access review' }),
    ).toBeInTheDocument();
  });

  it('switches owner when another is typed', async () => {
    const api = reviewApi({ getReview: jest.fn(async () => reviewResponse()) });
    renderPage(api);
    await screen.findByRole(
      'grid',
      { name: 'Access review' },
      { timeout: 10_000 },
    );
    const owner = screen.getByRole('combobox', { name: 'Owner' });
    await userEvent.clear(owner);
    await userEvent.type(owner, 'group:default/sre{Enter}');
    await waitFor(
      () => expect(api.getReview).toHaveBeenLastCalledWith('group:default/sre'),
      { timeout: 10_000 },
    );
  });

  it("lists the chosen owner's unowned services below the review", async () => {
    const service = (name: string, owner: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: `${name}.europe-west2.acme-legacy-apps`,
        annotations: {
          'google.com/cloud-run-discovered-service': `projects/acme-legacy-apps/locations/europe-west2/services/${name}`,
        },
        labels: {
          'google.com/cloud-run-linked': 'false',
          'google.com/cloud-run-iap-enabled': 'true',
        },
      },
      spec: { type: 'cloud-run-service', owner },
    });
    renderPage(
      reviewApi({ getReview: jest.fn(async () => reviewResponse()) }),
      '/cloud-run-iap/review?owner=group%3Adefault%2Fplatform-team',
      [
        service('wiki', 'group:default/platform-team'),
        service('payroll', TEAM),
      ],
    );
    const section = await screen.findByRole('region', {
      name: 'Unowned services',
    });
    const table = await within(section).findByRole('grid', {
      name: 'Unowned services',
    });
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map(h => h.textContent),
    ).toEqual(['wiki']);
    expect(table).toHaveTextContent('Not linked');
  });

  it('says when the owner has no unowned services', async () => {
    renderPage(reviewApi({ getReview: jest.fn(async () => reviewResponse()) }));
    const section = await screen.findByRole('region', {
      name: 'Unowned services',
    });
    expect(
      await within(section).findByText('No unowned services.'),
    ).toBeInTheDocument();
  });

  describe('pending access requests', () => {
    it('lists the requests the user may decide and approves one, then reads the review again', async () => {
      const request = accessRequest();
      const api = reviewApi({
        getReview: jest.fn(async () => reviewResponse()),
        listPendingAccessRequests: jest
          .fn()
          .mockResolvedValueOnce({ items: [request] })
          .mockResolvedValue({ items: [] }),
        decideAccessRequest: jest.fn(async () => ({
          ...request,
          status: 'approved',
        })),
      });
      renderPage(api);
      const section = await screen.findByRole('region', {
        name: 'Pending access requests',
      });
      await screen.findByRole('grid', { name: 'Access review' });
      expect(api.getReview).toHaveBeenCalledTimes(1);
      await userEvent.click(
        await within(section).findByRole('button', {
          name: 'Approve user:alan@example.com',
        }),
      );
      await waitFor(() =>
        expect(api.decideAccessRequest).toHaveBeenCalledWith(request.id, {
          decision: 'approve',
        }),
      );
      expect(
        await within(section).findByText('No pending requests.'),
      ).toBeInTheDocument();
      await waitFor(() => expect(api.getReview).toHaveBeenCalledTimes(2));
    });

    it('says when none waits', async () => {
      renderPage(
        reviewApi({ getReview: jest.fn(async () => reviewResponse()) }),
      );
      const section = await screen.findByRole('region', {
        name: 'Pending access requests',
      });
      expect(
        await within(section).findByText('No pending requests.'),
      ).toBeInTheDocument();
    });

    it('says when they cannot be loaded, and still shows the review', async () => {
      renderPage(
        reviewApi({
          getReview: jest.fn(async () => reviewResponse()),
          listPendingAccessRequests: jest.fn(async () => {
            throw await responseError('Error', 500, 'database is locked');
          }),
        }),
      );
      const section = await screen.findByRole('region', {
        name: 'Pending access requests',
      });
      expect(
        await within(section).findByText(
          'The access requests could not be loaded',
        ),
      ).toBeInTheDocument();
      expect(
        within(section).getByText('database is locked'),
      ).toBeInTheDocument();
      expect(
        await screen.findByRole('grid', { name: 'Access review' }),
      ).toBeInTheDocument();
    });
  });

  describe('the end of access', () => {
    const NOW = Date.parse('2026-12-01T12:00:00Z');
    let clock: jest.SpyInstance;
    beforeEach(() => {
      clock = jest.spyOn(Date, 'now').mockReturnValue(NOW);
    });
    afterEach(() => clock.mockRestore());

    function expiringReview() {
      const review = reviewResponse();
      review.rows[2] = { ...review.rows[2], expiresAt: '2026-12-04T12:00:00Z' };
      review.rows[3] = { ...review.rows[3], expiresAt: '2026-12-31T12:00:00Z' };
      return review;
    }

    it('shows when each row’s access ends', async () => {
      renderPage(
        reviewApi({ getReview: jest.fn(async () => expiringReview()) }),
      );
      const table = await screen.findByRole('grid', { name: 'Access review' });
      const ada = within(table)
        .getByText('user:ada@example.com')
        .closest('tr')!;
      expect(ada).toHaveTextContent(formatTime('2026-12-04T12:00:00Z'));
      expect(ada).toHaveTextContent('in 3 days');
      const admins = within(table)
        .getByText('group:gcp-admins@example.com')
        .closest('tr')!;
      expect(admins).toHaveTextContent('Permanent');
    });

    it('keeps only the rows expiring within 7 days', async () => {
      renderPage(
        reviewApi({ getReview: jest.fn(async () => expiringReview()) }),
      );
      await screen.findByRole('grid', { name: 'Access review' });
      await userEvent.click(screen.getByLabelText('Expiring within 7 days'));
      expect(members()).toEqual(['user:ada@example.com']);
      expect(screen.getByRole('status')).toHaveTextContent(
        'Showing 1 of 5 rows',
      );
      await userEvent.click(screen.getByLabelText('Expiring within 7 days'));
      expect(members()).toHaveLength(5);
    });
  });

  describe("an app's history", () => {
    const events: AccessEvent[] = [
      {
        id: '2',
        entityRef: 'component:default/access-manager',
        service: `projects/acme-internal-apps/locations/europe-west2/services/access-manager`,
        kind: 'approve',
        actor: 'user:default/guest',
        members: ['user:alan@example.com'],
        detail: 'Approved P7D access until 2026-12-08T12:00:00Z',
        requestId: 'r1',
        at: '2026-12-01T12:00:00Z',
      },
      {
        id: '1',
        entityRef: 'component:default/access-manager',
        service: `projects/acme-internal-apps/locations/europe-west2/services/access-manager`,
        kind: 'request',
        actor: 'user:default/alan',
        members: ['user:alan@example.com'],
        detail: 'Asked for P7D access: desk map',
        requestId: 'r1',
        at: '2026-12-01T09:00:00Z',
      },
    ];

    async function openHistory(api: CloudRunIapApi) {
      renderPage(api);
      const [button] = await screen.findAllByRole('button', {
        name: 'History of component:default/access-manager',
      });
      await userEvent.click(button);
      return screen.findByRole('dialog', {
        name: 'Access history of component:default/access-manager',
      });
    }

    it('opens from the table and lists the events, newest first', async () => {
      const api = reviewApi({
        getReview: jest.fn(async () => reviewResponse()),
        getAccessHistory: jest.fn(async () => ({ items: events })),
      });
      const dialog = await openHistory(api);
      expect(api.getAccessHistory).toHaveBeenCalledWith({
        kind: 'component',
        namespace: 'default',
        name: 'access-manager',
      });
      const table = await within(dialog).findByRole('grid');
      const rows = within(table).getAllByRole('row').slice(1);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toHaveTextContent('Request approved');
      expect(rows[0]).toHaveTextContent('access-manager (europe-west2)');
      expect(rows[0]).toHaveTextContent('user:default/guest');
      expect(rows[0]).toHaveTextContent('user:alan@example.com');
      expect(rows[0]).toHaveTextContent(
        'Approved P7D access until 2026-12-08T12:00:00Z',
      );
      expect(rows[1]).toHaveTextContent('Access requested');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Close' }),
      );
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    });

    it('says when nothing is recorded', async () => {
      const dialog = await openHistory(
        reviewApi({
          getReview: jest.fn(async () => reviewResponse()),
          getAccessHistory: jest.fn(async () => ({ items: [] })),
        }),
      );
      expect(
        await within(dialog).findByText(
          'No access event is recorded for this app yet.',
        ),
      ).toBeInTheDocument();
    });

    it('says when the history cannot be read, and retries', async () => {
      const getAccessHistory = jest
        .fn()
        .mockRejectedValueOnce(
          await responseError('Error', 500, 'database is locked'),
        )
        .mockResolvedValue({ items: events });
      const dialog = await openHistory(
        reviewApi({
          getReview: jest.fn(async () => reviewResponse()),
          getAccessHistory,
        }),
      );
      expect(
        await within(dialog).findByText('The history could not be loaded'),
      ).toBeInTheDocument();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Retry' }),
      );
      expect(
        await within(dialog).findByText('Request approved'),
      ).toBeInTheDocument();
    });

    it('says when the user may not see it', async () => {
      const dialog = await openHistory(
        reviewApi({
          getReview: jest.fn(async () => reviewResponse()),
          getAccessHistory: jest.fn(async () => {
            throw await responseError('NotAllowedError', 403, 'not allowed');
          }),
        }),
      );
      expect(
        await within(dialog).findByText("You may not see this app's history"),
      ).toBeInTheDocument();
    });
  });
});
