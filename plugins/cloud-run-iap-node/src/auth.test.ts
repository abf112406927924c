import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PLACEHOLDER_ACCESS_TOKEN } from './auth';
import { GoogleCloudService } from './GoogleCloudService';

/** A local server standing in for an endpoint: records each request's headers. */
async function startRecordingServer() {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name: 'projects/42', projectId: 'acme' }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

describe('credentials go to Google only', () => {
  const logger = mockServices.logger.mock();
  let server: Awaited<ReturnType<typeof startRecordingServer>>;
  let keyDir: string;
  let credentials: string;
  const adcBefore = process.env.GOOGLE_APPLICATION_CREDENTIALS;

  beforeAll(async () => {
    server = await startRecordingServer();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    credentials = JSON.stringify({
      type: 'service_account',
      project_id: 'acme-internal-apps',
      client_email: 'portal@acme-internal-apps.iam.gserviceaccount.com',
      client_id: '1',
      private_key_id: 'k1',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      // Were the key ever used, its token request would come here too, and be seen.
      token_uri: `${server.url}/token`,
    });
    keyDir = mkdtempSync(path.join(tmpdir(), 'cloud-run-iap-adc-'));
    const keyFile = path.join(keyDir, 'key.json');
    writeFileSync(keyFile, credentials);
    // Application Default Credentials that a lookup would find and use.
    process.env.GOOGLE_APPLICATION_CREDENTIALS = keyFile;
  });
  afterAll(async () => {
    if (adcBefore === undefined)
      delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    else process.env.GOOGLE_APPLICATION_CREDENTIALS = adcBefore;
    rmSync(keyDir, { recursive: true, force: true });
    await server.stop();
  });
  beforeEach(() => {
    server.seen.length = 0;
  });

  it('sends only the placeholder token to an endpoint, even with ADC at hand', async () => {
    const google = GoogleCloudService.fromConfig(
      new ConfigReader({ cloudRunIap: { google: { endpoint: server.url } } }),
    );
    const client = google.forLogger(logger);
    expect((await client.resolveProject('acme')).projectNumber).toBe('42');
    await client.resolveProject('acme');
    expect(server.seen.length).toBe(2);
    for (const headers of server.seen) {
      expect(headers.authorization).toBe(`Bearer ${PLACEHOLDER_ACCESS_TOKEN}`);
    }
    const everything = JSON.stringify(server.seen);
    // A JWT is three base64url parts; a signed one from the key starts with eyJ.
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(everything).not.toContain('portal@acme-internal-apps');
  });

  it('never reaches the endpoint with configured credentials: the config is refused first', () => {
    expect(() =>
      GoogleCloudService.fromConfig(
        new ConfigReader({
          cloudRunIap: { google: { endpoint: server.url, credentials } },
        }),
      ),
    ).toThrow(
      /cloudRunIap\.google\.credentials must not be set together with cloudRunIap\.google\.endpoint/,
    );
    expect(server.seen).toEqual([]);
  });
});
