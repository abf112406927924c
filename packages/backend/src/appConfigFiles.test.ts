import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigSources } from '@backstage/config-loader';
import { Config } from '@backstage/config';
import {
  GoogleCloudService,
  readCloudRunIapConfig,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { readCloudRunDiscoveryConfig } from '@internal-apps/plugin-catalog-backend-module-cloud-run-iap';

const root = path.resolve(__dirname, '../../..');

/** The values the production config substitutes, as a deployment would set them. */
const productionEnv: Record<string, string> = {
  APP_BASE_URL: 'https://portal.example.com',
  POSTGRES_HOST: 'db.internal',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'portal',
  POSTGRES_PASSWORD: 'test-password',
  REDIS_URL: 'redis://:test-redis-password@cache.internal:6379',
};

/**
 * Loads config files the way the backend does (`rootConfigServiceFactory`:
 * `ConfigSources.default` over `--config` arguments), with no APP_CONFIG_ overrides from the
 * test's own environment.
 */
async function loadAsBackend(files: string[]): Promise<Config> {
  const source = ConfigSources.default({
    argv: files.flatMap(file => ['--config', path.join(root, file)]),
    env: {},
    substitutionFunc: async name => productionEnv[name],
  });
  const config = await ConfigSources.toConfig(source);
  config.close();
  return config;
}

describe('the app-config files', () => {
  // The Dockerfile's command line: app-config.yaml and app-config.production.yaml.
  const dockerfile = readFileSync(
    path.join(root, 'packages/backend/Dockerfile'),
    'utf8',
  );
  const productionFiles = [
    ...dockerfile.matchAll(/"--config",\s*"([^"]+)"/g),
  ].map(m => m[1]);

  it('production loads app-config.yaml and app-config.production.yaml (the Dockerfile)', () => {
    expect(productionFiles).toEqual([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
  });

  it('production runs on PostgreSQL and a shared Redis cache, on every interface, with no example catalog', async () => {
    const config = await loadAsBackend(productionFiles);
    expect(config.getString('backend.database.client')).toBe('pg');
    expect(config.getString('backend.database.connection.host')).toBe(
      'db.internal',
    );
    expect(config.getString('backend.cache.store')).toBe('redis');
    expect(config.getString('backend.cache.connection')).toBe(
      'redis://:test-redis-password@cache.internal:6379',
    );
    // An object, as app-config.yaml's: a string here breaks the merged config at startup.
    expect(config.getConfig('backend.listen').get()).toEqual({
      host: '0.0.0.0',
      port: 7007,
    });
    expect(config.getConfigArray('catalog.locations')).toEqual([]);
    expect(config.getString('backend.baseUrl')).toBe(
      'https://portal.example.com',
    );
  });

  it('production has no development sign-in (auth.providers.example-users)', async () => {
    const config = await loadAsBackend(productionFiles);
    expect(config.has('auth.providers.example-users')).toBe(false);
    expect(
      Object.keys(config.getOptionalConfig('auth.providers')?.get() ?? {}),
    ).not.toContain('example-users');
  });

  it('production has no Google endpoint and no fake, and its cloudRunIap config is valid', async () => {
    const config = await loadAsBackend(productionFiles);
    expect(
      config.getOptionalString('backend.database.connection.password'),
    ).toBe('test-password');
    expect(config.has('cloudRunIap.google.endpoint')).toBe(false);
    expect(config.getOptionalBoolean('googleCloudFake.enabled') ?? false).toBe(
      false,
    );
    const cloudRunIap = readCloudRunIapConfig(config);
    expect(cloudRunIap.google.endpoint).toBeUndefined();
    expect(cloudRunIap.google.privateEndpoint).toBe(false);
    expect(cloudRunIap.projects.length).toBeGreaterThan(0);
    // What the root service builds at startup accepts it too.
    expect(GoogleCloudService.fromConfig(config).config.google.endpoint).toBe(
      undefined,
    );
  });

  it('both profiles discover every project of cloudRunIap.projects, unlinked services owned by the platform team of examples/org.yaml', async () => {
    const examples = readFileSync(path.join(root, 'examples/org.yaml'), 'utf8');
    expect(examples).toMatch(
      /kind: Group\nmetadata:\n {2}name: platform-team\n/,
    );
    for (const files of [
      productionFiles,
      ['app-config.yaml', 'app-config.local-fake.yaml'],
    ]) {
      const config = await loadAsBackend(files);
      const projects = readCloudRunIapConfig(config).projects.map(p => p.id);
      expect(readCloudRunDiscoveryConfig(config, projects)).toMatchObject({
        projects,
        unownedOwner: 'group:default/platform-team',
      });
    }
  });

  it('development (the start script) adds the local fake and points the endpoint at it', async () => {
    const packageJson = JSON.parse(
      readFileSync(path.join(root, 'package.json'), 'utf8'),
    );
    const files = [
      ...(packageJson.scripts.start as string).matchAll(/--config\s+(\S+)/g),
    ].map(m => path.relative(root, path.resolve(root, 'packages/app', m[1])));
    expect(files).toEqual(['app-config.yaml', 'app-config.local-fake.yaml']);
    const config = await loadAsBackend(files);
    expect(config.getBoolean('googleCloudFake.enabled')).toBe(true);
    expect(config.getString('cloudRunIap.google.endpoint')).toBe(
      `http://127.0.0.1:${config.getNumber('googleCloudFake.port')}`,
    );
    expect(readCloudRunIapConfig(config).google.endpoint).toBe(
      'http://127.0.0.1:8085',
    );
    // The development sign-in offers the example users of examples/org.yaml.
    expect(
      config
        .getConfigArray('auth.providers.example-users.users')
        .map(user => user.getString('entityRef')),
    ).toEqual(['user:default/alan', 'user:default/ada']);
  });
});
