import type { Config } from '@backstage/config';

/** Where the golden-path templates publish, as the `repositoryHost` template global. */
export interface RepositoryHost {
  /** Which publish step of the templates runs. */
  type: 'local-git' | 'github' | 'gitlab' | 'unconfigured';
  host: string;
}

/**
 * `local-git` when `localGit.enabled` (development), otherwise the host of
 * `templates.repositoryHost`, typed by the `integrations` entry that has it
 * (github.com counts as GitHub without one).
 */
export function repositoryHostFromConfig(config: Config): RepositoryHost {
  if (config.getOptionalBoolean('localGit.enabled')) {
    return {
      type: 'local-git',
      host: new URL(config.getString('backend.baseUrl')).host,
    };
  }
  const host = config.getOptionalString('templates.repositoryHost');
  if (!host) return { type: 'unconfigured', host: '' };
  const hosts = (kind: string) =>
    (config.getOptionalConfigArray(`integrations.${kind}`) ?? []).map(
      c => c.getOptionalString('host') ?? '',
    );
  if (host === 'github.com' || hosts('github').includes(host)) {
    return { type: 'github', host };
  }
  if (hosts('gitlab').includes(host)) return { type: 'gitlab', host };
  throw new Error(
    `templates.repositoryHost ${host} is neither github.com nor a host of integrations.github or integrations.gitlab`,
  );
}
