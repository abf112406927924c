import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
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
import { EntityCloudRunIapOverviewCard } from './EntityCloudRunIapOverviewCard';

jest.setTimeout(30_000);

function renderCard(api: CloudRunIapApi, e: Entity = entity()) {
  return renderInTestApp(
    <EntityProvider entity={e}>
      <EntityCloudRunIapOverviewCard />
    </EntityProvider>,
    {
      apis: [[cloudRunIapApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

/** The value next to a term of a service's summary. */
function fact(summary: HTMLElement, term: string) {
  return within(summary).getByText(term).nextElementSibling?.textContent;
}

describe('EntityCloudRunIapOverviewCard', () => {
  it('sums up IAP state, coverage, accessors and critical findings, and links to the Access tab', async () => {
    renderCard(
      mockApi({
        getAccessReport: jest.fn(async () => report([accessManagerService()])),
      }),
    );
    const summary = await screen.findByLabelText(
      'Access summary of access-manager · europe-west2',
    );
    expect(fact(summary, 'IAP')).toBe('IAP on');
    expect(fact(summary, 'Context-aware coverage')).toBe(
      '2 of 3 accessors (67%)',
    );
    expect(fact(summary, 'Accessors')).toBe('3');
    expect(fact(summary, 'Critical findings')).toBe('None');
    expect(
      screen.getByRole('link', { name: 'See who can get in' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/access-manager/access',
    );
    // the compact card leaves the table, findings and context check to the tab
    expect(screen.queryByRole('grid')).toBeNull();
    expect(screen.queryByRole('list', { name: 'Findings' })).toBeNull();
    expect(screen.queryByText('Check a context')).toBeNull();
    expect(screen.getByText(/Last checked/)).toBeInTheDocument();
  });

  it('names the critical findings of a service with IAP off', async () => {
    renderCard(
      mockApi({
        getAccessReport: jest.fn(async () => report([uptimeMonitorService()])),
      }),
      entity('uptime-monitor'),
    );
    const summary = await screen.findByLabelText(
      'Access summary of uptime-monitor · europe-west2',
    );
    expect(fact(summary, 'IAP')).toBe('IAP off');
    expect(fact(summary, 'Context-aware coverage')).toBe(
      '0 of 2 accessors (0%)',
    );
    // one critical finding (the high one is for the tab)
    expect(fact(summary, 'Critical findings')).toBe('1IAP is off');
  });

  it('sums up every service of a multi-region entity under its name', async () => {
    renderCard(
      mockApi({ getAccessReport: jest.fn(async () => dataSharingReport()) }),
      entity('data-sharing-api'),
    );
    expect(
      await screen.findByRole('heading', {
        name: 'data-sharing-api · europe-west2',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'data-sharing-api · us-central1' }),
    ).toBeInTheDocument();
    expect(
      fact(
        screen.getByLabelText(
          'Access summary of data-sharing-api · us-central1',
        ),
        'Context-aware coverage',
      ),
    ).toMatch(/^0 of 1 /);
  });

  it('says how many annotated services it leaves out', async () => {
    const missing =
      'projects/acme-internal-apps/locations/europe-west2/services/gone';
    renderCard(
      mockApi({
        getAccessReport: jest.fn(async () =>
          report([accessManagerService()], {
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
    );
    expect(
      await screen.findByText(
        '1 annotated service is not shown: the Access tab says why.',
      ),
    ).toBeInTheDocument();
  });

  it('shows no data when permission is denied, and retries other errors', async () => {
    const getAccessReport = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await responseError('Error', 500, 'Something broke');
      })
      .mockImplementation(async () => {
        throw await responseError('NotAllowedError', 403, 'Denied');
      });
    renderCard(mockApi({ getAccessReport }));
    expect(
      await screen.findByText('The access report could not be loaded'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('You may not see who can access this app'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(screen.queryByText('IAP on')).toBeNull();
  });

  it('explains the missing annotation without calling the backend', async () => {
    const api = mockApi();
    renderCard(api, entity('access-manager', null));
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(api.getAccessReport).not.toHaveBeenCalled();
  });
});
