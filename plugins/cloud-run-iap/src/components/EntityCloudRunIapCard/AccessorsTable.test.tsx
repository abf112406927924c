import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  accessManagerService,
  accessor,
  corpNetworkLevel,
  grant,
  manyAccessors,
  uptimeMonitorService,
} from '../../testing/fixtures';
import { AccessorsTable } from './AccessorsTable';

function renderTable(accessors = accessManagerService().accessors) {
  return renderInTestApp(
    <AccessorsTable
      accessors={accessors}
      levels={[corpNetworkLevel]}
      serviceKey="projects/p/locations/r/services/s"
    />,
  );
}

/** The principal column of the accessor rows (not the detail rows), in order. */
function principals() {
  const table = screen.getByRole('grid', { name: 'Accessors' });
  return within(table)
    .getAllByRole('row')
    .filter(r => r.querySelector('button[aria-expanded]'))
    .map(r => within(r).getByRole('rowheader').firstChild?.textContent);
}

/** Picks an option of a Backstage UI select by the select's label and the option's text. */
async function choose(label: string, option: string) {
  await userEvent.click(
    screen.getByRole('button', { name: new RegExp(label) }),
  );
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

const mixed = () => [
  ...accessManagerService().accessors,
  ...uptimeMonitorService().accessors,
  accessor(
    'serviceAccount:batch@acme-internal-apps.iam.gserviceaccount.com',
    [grant('projects/acme-internal-apps', undefined, { level: 'project' })],
    { inOrganization: 'unknown' },
  ),
];

jest.setTimeout(30_000);

describe('AccessorsTable', () => {
  it('filters by text', async () => {
    renderTable(mixed());
    await screen.findByRole('grid', { name: 'Accessors' });
    expect(principals()).toHaveLength(6);
    await userEvent.type(
      screen.getByLabelText('Filter accessors'),
      'contractor',
    );
    expect(principals()).toEqual(['contractor@partner-agency.com']);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Showing 1 of 6 accessors',
    );
  });

  it('filters by kind, organisation and restriction', async () => {
    renderTable(mixed());
    await screen.findByRole('grid', { name: 'Accessors' });
    await choose('Kind', 'Group');
    expect(principals()).toEqual([
      'gcp-admins@example.com',
      'internal-apps-team@example.com',
      'sre@example.com',
    ]);
    await choose('Kind', 'All kinds');
    await choose('Organisation', 'Outside only');
    expect(principals()).toEqual(['contractor@partner-agency.com']);
    await choose('Organisation', 'Unknown only');
    expect(principals()).toEqual([
      'batch@acme-internal-apps.iam.gserviceaccount.com',
    ]);
    await choose('Organisation', 'Inside or outside');
    await userEvent.click(screen.getByLabelText('Unrestricted only'));
    expect(principals()).toEqual([
      'batch@acme-internal-apps.iam.gserviceaccount.com',
      'contractor@partner-agency.com',
      'gcp-admins@example.com',
      'sre@example.com',
    ]);
  });

  it('says when nothing matches', async () => {
    renderTable();
    await userEvent.type(
      await screen.findByLabelText('Filter accessors'),
      'nobody-at-all',
    );
    expect(
      screen.getByText('No accessor matches the filters.'),
    ).toBeInTheDocument();
  });

  it('sorts by a column, both ways', async () => {
    renderTable();
    await screen.findByRole('grid', { name: 'Accessors' });
    expect(principals()).toEqual([
      'gcp-admins@example.com',
      'guest@example.com',
      'internal-apps-team@example.com',
    ]);
    await userEvent.click(
      screen.getByRole('columnheader', { name: /Principal/ }),
    );
    expect(principals()).toEqual([
      'internal-apps-team@example.com',
      'guest@example.com',
      'gcp-admins@example.com',
    ]);
    await userEvent.click(
      screen.getByRole('columnheader', { name: /Restricted by/ }),
    );
    expect(principals()[0]).toBe('gcp-admins@example.com');
    expect(
      screen.getByRole('columnheader', { name: /Restricted by/ }),
    ).toHaveAttribute('aria-sort', 'ascending');
  });

  it('does not paginate 20 accessors', async () => {
    renderTable(manyAccessors(20));
    await screen.findByRole('grid', { name: 'Accessors' });
    expect(principals()).toHaveLength(20);
    expect(
      screen.queryByRole('button', { name: 'Next table page' }),
    ).toBeNull();
  });

  it('paginates past 20 accessors', async () => {
    renderTable(manyAccessors(45, 10));
    await screen.findByRole('grid', { name: 'Accessors' });
    expect(principals()).toHaveLength(20);
    expect(principals()[0]).toBe('person01@example.com');
    expect(screen.getByText('1 - 20 of 45')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Next table page' }),
    );
    expect(principals()[0]).toBe('person21@example.com');
    await userEvent.click(
      screen.getByRole('button', { name: 'Next table page' }),
    );
    expect(principals()).toHaveLength(5);
    // filtering goes back to the first page
    await userEvent.click(screen.getByLabelText('Unrestricted only'));
    expect(principals()[0]).toBe('person11@example.com');
    expect(screen.getByText('1 - 20 of 35')).toBeInTheDocument();
  });

  it('expands an accessor to show its grants and the conditions of its levels', async () => {
    renderTable();
    const button = await screen.findByRole('button', {
      name: 'Show grants of user:guest@example.com',
    });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const details = document.getElementById(
      button.getAttribute('aria-controls')!,
    )!;
    expect(details).toHaveTextContent(
      'IP ranges: 203.0.113.0/24, 198.51.100.0/24, 2001:db8::/32',
    );
    expect(details).toHaveTextContent(
      'Corporate network (corp_network): valid organization level',
    );
    expect(details).toHaveTextContent('roles/iap.httpsResourceAccessor');
  });

  it('describes a restricting level in a tooltip', async () => {
    renderTable();
    const [chip] = await screen.findAllByText('corp_network');
    await userEvent.hover(chip);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /Corporate network .*IP ranges: 203.0.113.0\/24/,
    );
  });
});
