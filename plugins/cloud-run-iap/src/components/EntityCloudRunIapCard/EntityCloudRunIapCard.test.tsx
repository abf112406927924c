import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CloudRunIapApi, cloudRunIapApiRef } from '../../api';
import {
  accessManagerService,
  dataSharingReport,
  entity,
  report,
  uptimeMonitorService,
} from '../../testing/fixtures';
import { mockApi, responseError } from '../../testing/http';
import { EntityCloudRunIapCard } from './EntityCloudRunIapCard';

function renderCard(api: CloudRunIapApi, e: Entity = entity()) {
  return renderInTestApp(
    <EntityProvider entity={e}>
      <EntityCloudRunIapCard />
    </EntityProvider>,
    { apis: [[cloudRunIapApiRef, api]] },
  );
}

const threeMinutesAgo = () => new Date(Date.now() - 3 * 60_000).toISOString();

describe('EntityCloudRunIapCard', () => {
  it('shows a skeleton while the report loads', async () => {
    const api = mockApi({
      getAccessReport: jest.fn(() => new Promise<never>(() => {})),
    });
    renderCard(api);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading access report' }),
    ).toBeInTheDocument();
    expect(api.getAccessReport).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'access-manager' },
      { count: 0, refresh: false },
    );
  });

  it('explains how to add the annotation when it is missing', async () => {
    const api = mockApi();
    renderCard(api, entity('access-manager', null));
    expect(
      await screen.findByText(/google.com\/cloud-run-service/),
    ).toBeInTheDocument();
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(api.getAccessReport).not.toHaveBeenCalled();
  });

  it('names the problem of a malformed annotation', async () => {
    renderCard(mockApi(), entity('x', 'projects/Bad/services/x'));
    expect(
      await screen.findByText(/annotation is malformed/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/expected projects\/<project-id>/),
    ).toBeInTheDocument();
  });

  it('shows IAP state, facts, coverage, accessors and findings of a service', async () => {
    const api = mockApi({
      getAccessReport: jest.fn(async () =>
        report([accessManagerService()], { fetchedAt: threeMinutesAgo() }),
      ),
    });
    renderCard(api);
    expect(await screen.findByText('IAP on')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'https://access-manager-100000000001.europe-west2.run.app',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('europe-west2')).toBeInTheDocument();
    expect(screen.getByText('All traffic')).toBeInTheDocument();
    expect(screen.getByText('Ready')).toBeInTheDocument();
    expect(screen.getByText(/Last checked 3 minutes ago/)).toBeInTheDocument();
    // coverage: a bar with the count in words
    expect(screen.getByText('2 of 3')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'Context-aware access coverage',
      }),
    ).toHaveAttribute('aria-valuetext', '2 of 3 accessors covered');
    // accessors with kind, organisation and restriction in text
    const table = screen.getByRole('grid', { name: 'Accessors' });
    expect(
      within(table).getByText('internal-apps-team@example.com'),
    ).toBeInTheDocument();
    expect(within(table).getAllByText('corp_network')).toHaveLength(2);
    expect(within(table).getByText('Unrestricted')).toBeInTheDocument();
    expect(within(table).getAllByText('Group')).toHaveLength(2);
    expect(within(table).getAllByText('Inside')).toHaveLength(3);
    // findings by severity, with what / why / fix and a copy button for the command
    const findings = within(screen.getByRole('list', { name: 'Findings' }))
      .getAllByRole('listitem')
      .map(li => li.textContent);
    expect(findings[0]).toMatch(/^Medium/);
    expect(findings[1]).toMatch(/^Low/);
    expect(
      screen.getByRole('button', {
        name: 'Copy the fix command for Access is inherited from the project',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/gcloud projects remove-iam-policy-binding/),
    ).toBeInTheDocument();
  });

  it('orders findings by severity even when the backend does not', async () => {
    const service = uptimeMonitorService();
    service.findings.reverse();
    renderCard(
      mockApi({ getAccessReport: jest.fn(async () => report([service])) }),
      entity('uptime-monitor'),
    );
    const list = await screen.findByRole('list', { name: 'Findings' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/^Critical.*IAP is off/);
    expect(items[1]).toHaveTextContent(/^High/);
  });

  it('makes IAP switched off prominent', async () => {
    renderCard(
      mockApi({
        getAccessReport: jest.fn(async () => report([uptimeMonitorService()])),
      }),
      entity('uptime-monitor'),
    );
    const alert = await screen.findByText('IAP is off for uptime-monitor');
    expect(alert.closest('[role="alert"]')).toHaveTextContent(
      /invoker check is disabled: anyone who knows the URL can use it/,
    );
    expect(screen.getByText('IAP off')).toBeInTheDocument();
    expect(screen.getByText('Outside')).toBeInTheDocument();
  });

  it('says when an annotated service does not exist', async () => {
    const missing =
      'projects/acme-internal-apps/locations/europe-west2/services/gone';
    renderCard(
      mockApi({
        getAccessReport: jest.fn(async () =>
          report([], {
            unavailableServices: [
              {
                ref: {
                  projectId: 'acme-internal-apps',
                  region: 'europe-west2',
                  serviceId: 'gone',
                  name: missing,
                },
                resourceName: missing,
                reason: 'not-found',
                message: 'Service not found',
              },
            ],
          }),
        ),
      }),
      entity('gone'),
    );
    expect(
      await screen.findByText('gone (europe-west2) is unavailable'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/does not exist in Google Cloud/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
    expect(screen.queryByText('Check a context')).not.toBeInTheDocument();
  });

  describe('a service that does not name the entity', () => {
    const squatted =
      'projects/acme-internal-apps/locations/europe-west2/services/payroll';
    const linkCommand =
      'gcloud run services update payroll --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/access-manager,backstage.io/owner-group=group:default/team-a';
    const notLinked = {
      ref: {
        projectId: 'acme-internal-apps',
        region: 'europe-west2',
        serviceId: 'payroll',
        name: squatted,
      },
      resourceName: squatted,
      reason: 'not-linked' as const,
      message: `${squatted} is not linked to component:default/access-manager. Someone who may update the service links it with: ${linkCommand} Or a portal operator adds it to cloudRunIap.links.`,
      linkCommand,
    };

    it.each([
      ['next to a linked service', [accessManagerService()]],
      ['as the only service', []],
    ])(
      'shows the command that links it, ready to copy, %s',
      async (_state, services) => {
        renderCard(
          mockApi({
            getAccessReport: jest.fn(async () =>
              report(services, { unavailableServices: [notLinked] }),
            ),
          }),
        );
        const title = await screen.findByText(
          'payroll (europe-west2) is not linked to this entity',
        );
        const alert = title.closest('[role="alert"]') as HTMLElement;
        expect(alert).toHaveTextContent(
          /does not name this entity, so the portal shows nothing about it/,
        );
        expect(within(alert).getByTestId('link-command')).toHaveTextContent(
          linkCommand,
        );
        expect(
          within(alert).getByRole('button', { name: /copy/i }),
        ).toBeInTheDocument();
        expect(alert).toHaveTextContent(/cloudRunIap\.links/);
        expect(screen.queryAllByRole('grid')).toHaveLength(services.length);
      },
    );

    it('shows the message when the backend sent no command', async () => {
      renderCard(
        mockApi({
          getAccessReport: jest.fn(async () =>
            report([], {
              unavailableServices: [{ ...notLinked, linkCommand: undefined }],
            }),
          ),
        }),
      );
      expect(
        await screen.findByText(/Details: .* is not linked to component/),
      ).toBeInTheDocument();
    });
  });

  it('shows no data and no retry when permission is denied', async () => {
    const api = mockApi({
      getAccessReport: jest.fn(async () => {
        throw await responseError('NotAllowedError', 403, 'Denied');
      }),
    });
    renderCard(api);
    expect(
      await screen.findByText('You may not see who can access this app'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(screen.queryByRole('grid')).toBeNull();
    expect(screen.queryByText(/Denied/)).toBeNull();
  });

  it('says the entity cannot be found on a 404', async () => {
    renderCard(
      mockApi({
        getAccessReport: jest.fn(async () => {
          throw await responseError('NotFoundError', 404, 'No entity');
        }),
      }),
    );
    expect(
      await screen.findByText('This entity could not be found'),
    ).toBeInTheDocument();
  });

  it('shows a Google outage with the message and retries on request', async () => {
    const getAccessReport = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await responseError(
          'ServiceUnavailableError',
          503,
          'Google Cloud did not answer',
        );
      })
      .mockImplementation(async () => report([accessManagerService()]));
    renderCard(mockApi({ getAccessReport }));
    expect(
      await screen.findByText('Google Cloud could not be reached'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Google Cloud did not answer \(HTTP 503\)/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('IAP on')).toBeInTheDocument();
    expect(getAccessReport).toHaveBeenLastCalledWith(expect.anything(), {
      count: 1,
      refresh: false,
    });
  });

  it('shows a backend error with its message', async () => {
    renderCard(
      mockApi({
        getAccessReport: jest.fn(async () => {
          throw await responseError('Error', 500, 'Something broke');
        }),
      }),
    );
    expect(
      await screen.findByText('The access report could not be loaded'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Something broke/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('shows a stale banner with the age and the error', async () => {
    renderCard(
      mockApi({
        getAccessReport: jest.fn(async () =>
          report([accessManagerService()], {
            fromCache: true,
            stale: { ageSeconds: 330, error: 'IAP API returned 500' },
          }),
        ),
      }),
    );
    expect(
      await screen.findByText('Showing data from 5 minutes ago'),
    ).toBeInTheDocument();
    expect(screen.getByText(/IAP API returned 500/)).toBeInTheDocument();
    expect(screen.getByText(/\(cached\)/)).toBeInTheDocument();
  });

  it('refreshes from Google on request, keeping the report meanwhile', async () => {
    let resolveRefresh: (v: unknown) => void = () => {};
    const getAccessReport = jest
      .fn()
      .mockImplementationOnce(async () => report([accessManagerService()]))
      .mockImplementationOnce(
        () =>
          new Promise(resolve => {
            resolveRefresh = resolve;
          }),
      );
    renderCard(mockApi({ getAccessReport }));
    const button = await screen.findByRole('button', {
      name: 'Refresh access report',
    });
    await userEvent.click(button);
    expect(getAccessReport).toHaveBeenLastCalledWith(expect.anything(), {
      count: 1,
      refresh: true,
    });
    expect(screen.getByText('IAP on')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Refresh access report' }),
    ).toBeDisabled();
    resolveRefresh(report([uptimeMonitorService()]));
    expect(await screen.findByText('IAP off')).toBeInTheDocument();
  });

  it('shows several services of one entity as tabs', async () => {
    renderCard(
      mockApi({ getAccessReport: jest.fn(async () => dataSharingReport()) }),
      entity('data-sharing-api'),
    );
    const tabs = await screen.findAllByRole('tab');
    expect(tabs.map(t => t.textContent)).toEqual([
      'data-sharing-api · europe-west2',
      'data-sharing-api · us-central1',
    ]);
    expect(screen.getByText('2 of 3')).toBeInTheDocument();
    await userEvent.click(tabs[1]);
    expect(await screen.findByText('0 of 1')).toBeInTheDocument();
    expect(screen.getByRole('tabpanel')).toHaveTextContent('us-central1');
  });

  it('is keyboard operable: tab to the refresh button and press Enter', async () => {
    const getAccessReport = jest.fn(async () =>
      report([accessManagerService()]),
    );
    renderCard(mockApi({ getAccessReport }));
    const button = await screen.findByRole('button', {
      name: 'Refresh access report',
    });
    button.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(getAccessReport).toHaveBeenCalledTimes(2));
  });
});
