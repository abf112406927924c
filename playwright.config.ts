import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real portal (`yarn start`: frontend dev server + backend with
 * the local Google Cloud fake; the root start script loads app-config.yaml and
 * app-config.local-fake.yaml) in the machine's Chromium. Ports come from the environment
 * (scripts/e2e.sh picks free ones) so a portal you are running yourself is not disturbed: the
 * APP_CONFIG_* variables below apply on top of both files.
 */
const appPort = process.env.E2E_APP_PORT ?? '3000';
const backendPort = process.env.E2E_BACKEND_PORT ?? '7007';
const fakePort = process.env.E2E_FAKE_PORT ?? '8085';
const appUrl = `http://127.0.0.1:${appPort}`;
const backendUrl = `http://127.0.0.1:${backendPort}`;

export default defineConfig({
  testDir: 'packages',
  testMatch: '*/e2e-tests/**/*.test.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'e2e-artifacts/results',
  webServer: {
    command: 'yarn start',
    url: `${backendUrl}/.backstage/health/v1/readiness`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: process.env.E2E_VERBOSE ? 'pipe' : 'ignore',
    env: {
      APP_CONFIG_app_baseUrl: appUrl,
      APP_CONFIG_backend_baseUrl: backendUrl,
      APP_CONFIG_backend_listen_port: backendPort,
      APP_CONFIG_backend_cors_origin: appUrl,
      APP_CONFIG_googleCloudFake_port: fakePort,
      APP_CONFIG_cloudRunIap_google_endpoint: `http://127.0.0.1:${fakePort}`,
    },
  },
  use: {
    baseURL: appUrl,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  metadata: { backendUrl },
});
