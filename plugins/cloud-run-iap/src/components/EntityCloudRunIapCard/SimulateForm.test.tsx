import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cloudRunIapApiRef } from '../../api';
import { mockApi, responseError } from '../../testing/http';
import { SimulateForm, validateContext } from './SimulateForm';

const ref = { kind: 'Component', namespace: 'default', name: 'access-manager' };
const NAME =
  'projects/acme-internal-apps/locations/europe-west2/services/access-manager';

function renderForm(api = mockApi()) {
  renderInTestApp(<SimulateForm entityRef={ref} />, {
    apis: [[cloudRunIapApiRef, api]],
  });
  return api;
}

describe('validateContext', () => {
  it.each([
    [
      { ip: '203.0.113.7', region: 'gb', member: '' },
      { ip: '203.0.113.7', region: 'GB' },
    ],
    [{ ip: '2001:db8::1', region: '', member: '' }, { ip: '2001:db8::1' }],
    [
      { ip: '', region: '', member: 'user:ada@example.com' },
      { member: 'user:ada@example.com' },
    ],
  ])('accepts %j', (fields, request) => {
    expect(validateContext(fields)).toEqual({ errors: {}, request });
  });

  it.each([
    [{ ip: '300.1.1.1', region: '', member: '' }, 'ip'],
    [{ ip: 'nope', region: '', member: '' }, 'ip'],
    [{ ip: '', region: 'GBR', member: '' }, 'region'],
    [{ ip: '', region: '', member: 'group:a@example.com' }, 'member'],
    [{ ip: '', region: '', member: '' }, 'ip'],
  ])('refuses %j naming the %s field', (fields, field) => {
    const result = validateContext(fields);
    expect(result.request).toBeUndefined();
    expect(Object.keys(result.errors)).toEqual([field]);
  });
});

describe('SimulateForm', () => {
  it('shows field errors without calling the backend', async () => {
    const api = renderForm();
    await userEvent.type(
      await screen.findByLabelText('IP address'),
      '10.0.0.999',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(
      screen.getByText('Enter an IPv4 or IPv6 address, e.g. 203.0.113.7'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('IP address')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(api.simulateAccess).not.toHaveBeenCalled();
  });

  it('sends IP and region and shows allow / deny / unknown per accessor', async () => {
    const api = mockApi({
      simulateAccess: jest.fn(async () => ({
        request: { ip: '203.0.113.7', region: 'GB' },
        services: [
          {
            resourceName: NAME,
            iapEnabled: true,
            notes: [],
            accessors: [
              {
                member: 'group:internal-apps-team@example.com',
                kind: 'group' as const,
                decision: 'allow' as const,
                reasons: ['203.0.113.7 is in corp_network.'],
              },
              {
                member: 'user:ada@example.com',
                kind: 'user' as const,
                decision: 'deny' as const,
                reasons: ['GB is not in uk_corp regions.'],
              },
              {
                member: 'group:callcentre-staff@example.com',
                kind: 'group' as const,
                decision: 'unknown' as const,
                reasons: ['Device policies cannot be evaluated.'],
              },
            ],
          },
        ],
      })),
    });
    renderForm(api);
    await userEvent.type(
      await screen.findByLabelText('IP address'),
      '203.0.113.7',
    );
    await userEvent.type(screen.getByLabelText('Region'), 'gb{Enter}');
    expect(api.simulateAccess).toHaveBeenCalledWith(ref, {
      ip: '203.0.113.7',
      region: 'GB',
    });
    const table = await screen.findByRole('grid', {
      name: 'Decisions for access-manager',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      // the accessor is the row header; kind, decision and why are grid cells
      rows.map(r => within(r).getAllByRole('gridcell')[1].textContent),
    ).toEqual(['Allow', 'Deny', 'Unknown']);
    expect(
      within(table).getByText('GB is not in uk_corp regions.'),
    ).toBeInTheDocument();
  });

  it('shows the backend refusal', async () => {
    const api = mockApi({
      simulateAccess: jest.fn(async () => {
        throw await responseError(
          'InputError',
          400,
          'ip: must be an IPv4 or IPv6 address',
        );
      }),
    });
    renderForm(api);
    await userEvent.type(
      await screen.findByLabelText('IP address'),
      '10.1.2.3',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(
      await screen.findByText('ip: must be an IPv4 or IPv6 address'),
    ).toBeInTheDocument();
  });
});
