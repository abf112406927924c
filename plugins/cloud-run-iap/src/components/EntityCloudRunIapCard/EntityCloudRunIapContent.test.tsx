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
} from '../../testing/fixtures';
import { mockApi } from '../../testing/http';
import { serviceSections } from './accessTabSections';
import { EntityCloudRunIapContent } from './EntityCloudRunIapContent';

jest.setTimeout(30_000);

function renderTab(api: CloudRunIapApi, e: Entity = entity()) {
  return renderInTestApp(
    <EntityProvider entity={e}>
      <EntityCloudRunIapContent />
    </EntityProvider>,
    { apis: [[cloudRunIapApiRef, api]] },
  );
}

describe('EntityCloudRunIapContent (the Access tab)', () => {
  it('shows each section of the service in a region of its own, then the context check', async () => {
    renderTab(
      mockApi({
        getAccessReport: jest.fn(async () => report([accessManagerService()])),
      }),
    );
    const accessors = await screen.findByRole('region', { name: 'Accessors' });
    expect(
      within(accessors).getByRole('grid', { name: 'Accessors' }),
    ).toBeInTheDocument();
    const findings = screen.getByRole('region', { name: /^Findings \(\d+\)$/ });
    expect(
      within(findings).getByRole('list', { name: 'Findings' }),
    ).toBeInTheDocument();
    const levels = screen.getByRole('region', { name: 'Access levels (1)' });
    expect(levels).toHaveTextContent(
      'Corporate network (corp_network): valid organization level',
    );
    expect(screen.getByText('IAP on')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'Context-aware access coverage',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('form', { name: 'Check a context' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', {
        name: 'Access through Identity-Aware Proxy',
      }),
    ).toBeInTheDocument();
  });

  it('has one place per service for further sections', () => {
    expect(serviceSections.map(s => s.id)).toEqual([
      'overview',
      'accessors',
      'findings',
      'access-levels',
      'notes',
    ]);
  });

  it('puts several services in tabs and refreshes from Google on request', async () => {
    const getAccessReport = jest.fn(async () => dataSharingReport());
    renderTab(mockApi({ getAccessReport }), entity('data-sharing-api'));
    const tabs = await screen.findAllByRole('tab');
    expect(tabs).toHaveLength(2);
    await userEvent.click(tabs[1]);
    expect(await screen.findByText('0 of 1')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh access report' }),
    );
    await waitFor(() =>
      expect(getAccessReport).toHaveBeenLastCalledWith(expect.anything(), {
        count: 1,
        refresh: true,
      }),
    );
  });
});
