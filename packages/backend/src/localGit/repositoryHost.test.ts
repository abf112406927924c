import { ConfigReader } from '@backstage/config';
import { repositoryHostFromConfig } from './repositoryHost';

describe('repositoryHostFromConfig', () => {
  const host = (data: object) =>
    repositoryHostFromConfig(
      new ConfigReader({
        backend: { baseUrl: 'http://localhost:7007' },
        ...data,
      }),
    );

  it('is the local git of this backend in development', () => {
    expect(
      host({
        localGit: { enabled: true },
        templates: { repositoryHost: 'github.com' },
      }),
    ).toEqual({ type: 'local-git', host: 'localhost:7007' });
  });

  it('is GitHub or GitLab by the integration that has the host', () => {
    expect(host({ templates: { repositoryHost: 'github.com' } })).toEqual({
      type: 'github',
      host: 'github.com',
    });
    expect(
      host({
        templates: { repositoryHost: 'git.example.com' },
        integrations: { gitlab: [{ host: 'git.example.com' }] },
      }),
    ).toEqual({ type: 'gitlab', host: 'git.example.com' });
    expect(
      host({
        templates: { repositoryHost: 'ghe.example.com' },
        integrations: { github: [{ host: 'ghe.example.com' }] },
      }),
    ).toEqual({ type: 'github', host: 'ghe.example.com' });
  });

  it('refuses a host no integration knows, and says when nothing is set', () => {
    expect(() =>
      host({ templates: { repositoryHost: 'git.example.com' } }),
    ).toThrow(
      'templates.repositoryHost git.example.com is neither github.com nor a host of integrations.github or integrations.gitlab',
    );
    expect(host({})).toEqual({ type: 'unconfigured', host: '' });
  });
});
