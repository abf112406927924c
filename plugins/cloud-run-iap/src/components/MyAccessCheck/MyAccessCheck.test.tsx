import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cloudRunIapApiRef } from '../../api';
import {
  accessRequest,
  allowedSelfCheck,
  deniedSelfCheck,
  TEAM_DIRECTORY,
  TEAM_DIRECTORY_REF,
} from '../../testing/accessFixtures';
import { mockApi, responseError } from '../../testing/http';
import { MyAccessCheck } from './MyAccessCheck';

function renderCheck(api = mockApi()) {
  renderInTestApp(<MyAccessCheck entityRef={TEAM_DIRECTORY_REF} />, {
    apis: [[cloudRunIapApiRef, api]],
  });
  return api;
}

async function checkDenied() {
  const api = renderCheck(
    mockApi({
      checkMyAccess: jest.fn().mockResolvedValue(deniedSelfCheck()),
      requestAccess: jest.fn().mockResolvedValue(accessRequest()),
    }),
  );
  await userEvent.click(
    await screen.findByRole('button', { name: 'Check my access' }),
  );
  await screen.findByText(/You cannot get in/);
  return api;
}

describe('MyAccessCheck', () => {
  it('says why the user cannot get in, with the IP they gave', async () => {
    const api = renderCheck(
      mockApi({
        checkMyAccess: jest.fn().mockResolvedValue(deniedSelfCheck()),
      }),
    );
    await userEvent.type(
      await screen.findByLabelText('Your IP address (optional)'),
      '203.0.113.7',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Check my access' }),
    );
    expect(
      await screen.findByText(
        'team-directory (europe-west2): You cannot get in',
      ),
    ).toBeInTheDocument();
    const missing = screen.getByRole('list', {
      name: 'What is missing for team-directory (europe-west2)',
    });
    expect(
      within(missing).getByText(/No grant on team-directory names/),
    ).toBeInTheDocument();
    expect(api.checkMyAccess).toHaveBeenCalledWith(TEAM_DIRECTORY_REF, {
      ip: '203.0.113.7',
    });
    expect(
      screen.getByRole('button', { name: 'Request access' }),
    ).toBeVisible();
  });

  it('refuses a malformed IP without asking the backend', async () => {
    const api = renderCheck();
    await userEvent.type(
      await screen.findByLabelText('Your IP address (optional)'),
      '10.0.0.999',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Check my access' }),
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Enter an IPv4 or IPv6 address, e.g. 203.0.113.7',
    );
    expect(api.checkMyAccess).not.toHaveBeenCalled();
  });

  it('says through which grant the user gets in, and when it ends', async () => {
    renderCheck(
      mockApi({
        checkMyAccess: jest.fn().mockResolvedValue(allowedSelfCheck()),
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Check my access' }),
    );
    expect(
      await screen.findByText('team-directory (europe-west2): You can get in'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Through Temporary access \(managed by Backstage\)/),
    ).toHaveTextContent(/Expires /);
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull();
  });

  it('shows a failed check with the server message', async () => {
    renderCheck(
      mockApi({
        checkMyAccess: jest
          .fn()
          .mockRejectedValue(
            await responseError(
              'InputError',
              400,
              'your user entity has no spec.profile.email',
            ),
          ),
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Check my access' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'your user entity has no spec.profile.email (HTTP 400)',
    );
  });

  it('requests access: justification required, then sent with the chosen duration', async () => {
    const api = await checkDenied();
    await userEvent.click(
      screen.getByRole('button', { name: 'Request access' }),
    );
    const form = screen.getByRole('form', {
      name: 'Request access to team-directory (europe-west2)',
    });
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send request' }),
    );
    expect(within(form).getByRole('alert')).toHaveTextContent(
      'Say why you need access',
    );
    expect(api.requestAccess).not.toHaveBeenCalled();

    await userEvent.type(
      within(form).getByRole('textbox', { name: /Justification/ }),
      'I maintain the desk map for the new office.',
    );
    await userEvent.click(within(form).getByRole('radio', { name: '30 days' }));
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send request' }),
    );
    expect(await screen.findByText('Access requested')).toBeInTheDocument();
    expect(api.requestAccess).toHaveBeenCalledWith(TEAM_DIRECTORY_REF, {
      service: TEAM_DIRECTORY,
      justification: 'I maintain the desk map for the new office.',
      duration: 'P30D',
    });
  });

  it('shows a refused permanent duration on the duration field', async () => {
    const api = await checkDenied();
    api.requestAccess.mockRejectedValue(
      await responseError(
        'InputError',
        400,
        'duration: permanent access is not allowed (cloudRunIap.requests.allowPermanent is false)',
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Request access' }),
    );
    const form = screen.getByRole('form', { name: /Request access to/ });
    await userEvent.type(
      within(form).getByRole('textbox', { name: /Justification/ }),
      'Audit',
    );
    await userEvent.click(
      within(form).getByRole('radio', { name: /Permanent/ }),
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send request' }),
    );
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      /^duration: permanent access is not allowed/,
    );
    expect(
      within(form).getByRole('radiogroup', { name: 'Duration' }),
    ).toHaveAttribute('aria-invalid', 'true');
  });

  it('says so when a request is already pending (409)', async () => {
    const api = await checkDenied();
    api.requestAccess.mockRejectedValue(
      await responseError(
        'ConflictError',
        409,
        'You already have a pending request for component:default/team-directory',
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Request access' }),
    );
    const form = screen.getByRole('form', { name: /Request access to/ });
    await userEvent.type(
      within(form).getByRole('textbox', { name: /Justification/ }),
      'Again',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send request' }),
    );
    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent('You already asked');
    expect(alert).toHaveTextContent('You already have a pending request');
  });
});
