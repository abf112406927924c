import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DevelopmentSignInPage } from './DevelopmentSignInPage';

const exampleUsers = {
  users: [
    {
      entityRef: 'user:default/alan',
      title: 'Alan Turing',
      description: 'Data team',
    },
    { entityRef: 'user:default/ada', title: 'Ada Lovelace' },
  ],
};

const withBackend = (providers: object) => ({
  backend: { baseUrl: 'http://localhost:7007' },
  auth: { providers },
});

/** A token of the shape the auth backend issues (the page reads its expiry). */
function token(sub: string) {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256' })}.${part({
    sub,
    exp: Math.floor(Date.now() / 1000) + 3600,
  })}.signature`;
}

function identityResponse(userEntityRef: string) {
  return {
    ok: true,
    status: 200,
    json: async () => ({
      profile: {},
      backstageIdentity: {
        token: token(userEntityRef),
        identity: {
          type: 'user',
          userEntityRef,
          ownershipEntityRefs: [userEntityRef],
        },
      },
    }),
  };
}

describe('DevelopmentSignInPage', () => {
  const originalFetch = global.fetch;
  afterEach(() => {
    global.fetch = originalFetch;
    localStorage.clear();
  });

  it('signs in as the chosen example user through the example-users provider', async () => {
    const fetch = jest.fn(async () => identityResponse('user:default/alan'));
    global.fetch = fetch as any;
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <DevelopmentSignInPage onSignInSuccess={onSignInSuccess} />,
      { config: withBackend({ 'example-users': exampleUsers }) },
    );
    expect(
      screen.getByText('Data team · user:default/alan'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Sign in as Alan Turing' }),
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toMatch(/\/api\/auth\/example-users\/refresh$/);
    expect(new Headers(init.headers).get('x-example-user')).toBe(
      'user:default/alan',
    );
    const identity = onSignInSuccess.mock.calls[0][0];
    expect((await identity.getBackstageIdentity()).userEntityRef).toBe(
      'user:default/alan',
    );
  });

  it('signs the guest in through the guest provider', async () => {
    const fetch = jest.fn(async () => identityResponse('user:default/guest'));
    global.fetch = fetch as any;
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <DevelopmentSignInPage onSignInSuccess={onSignInSuccess} />,
      { config: withBackend({ guest: {} }) },
    );
    expect(screen.queryByRole('button', { name: /^Sign in as / })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Enter' }));
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toMatch(
      /\/api\/auth\/guest\/refresh$/,
    );
  });

  it('offers another choice when the backend refuses the sign-in', async () => {
    global.fetch = jest.fn(async () => ({
      ok: false,
      status: 404,
      statusText: 'Not Found',
      json: async () => ({
        error: { name: 'NotFoundError', message: 'Unknown auth provider' },
      }),
      text: async () =>
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'Unknown auth provider' },
        }),
      headers: new Headers({ 'content-type': 'application/json' }),
    })) as any;
    await renderInTestApp(
      <DevelopmentSignInPage onSignInSuccess={jest.fn()} />,
      { config: withBackend({ 'example-users': exampleUsers }) },
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Sign in as Ada Lovelace' }),
    );
    expect(await screen.findByText('Sign-in failed')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Choose another user' }),
    );
    expect(
      screen.getByRole('button', { name: 'Sign in as Ada Lovelace' }),
    ).toBeInTheDocument();
  });
});
