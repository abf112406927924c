import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { IapVerifier } from '../src/iap.ts';
import { parseTargets, UptimeMonitor } from '../src/monitor.ts';
import { createAppServer } from '../src/server.ts';
import { AUDIENCE, LocalIap } from './localIap.ts';

function listen(server: Server): Promise<string> {
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

describe('the uptime monitor behind IAP', () => {
  const iap = new LocalIap();
  let targetsServer: Server;
  let app: Server;
  let appUrl: string;
  let monitor: UptimeMonitor;
  const changes: Array<Record<string, unknown>> = [];
  let healthy = true;

  before(async () => {
    targetsServer = createServer((req, res) => {
      res.writeHead(req.url === '/ok' && healthy ? 200 : 503).end();
    });
    const targetsUrl = await listen(targetsServer);
    // A port nobody listens on any more.
    const gone = createServer();
    const goneUrl = await listen(gone);
    await new Promise(resolve => gone.close(resolve));
    monitor = new UptimeMonitor(
      parseTargets(
        JSON.stringify([
          { name: 'Good', url: `${targetsUrl}/ok` },
          { name: 'Broken', url: `${targetsUrl}/broken` },
          { name: 'Nobody home', url: `${goneUrl}/` },
        ]),
      ),
      entry => changes.push(entry),
    );
    app = createAppServer({
      title: 'Status',
      verifier: new IapVerifier({ audience: AUDIENCE, keys: iap.keySet() }),
      monitor,
    });
    appUrl = await listen(app);
  });
  after(() => {
    app.close();
    targetsServer.close();
  });

  it('checks every target and records up, down and unreachable', async () => {
    const results = await monitor.checkAll();
    assert.deepEqual(
      results.map(r => [r.name, r.up, r.status]),
      [
        ['Good', true, 200],
        ['Broken', false, 503],
        ['Nobody home', false, undefined],
      ],
    );
    assert.match(results[2].error ?? '', /ECONNREFUSED/);
  });

  it('logs a target going down', async () => {
    healthy = false;
    await monitor.checkAll();
    healthy = true;
    assert.deepEqual(
      changes.map(c => c.message),
      ['Good is down'],
    );
  });

  it('answers the health check without an assertion', async () => {
    const response = await fetch(`${appUrl}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('refuses a request without a valid assertion with 401 and a one-line reason', async () => {
    const response = await fetch(`${appUrl}/api/status`, {
      headers: { 'x-goog-authenticated-user-email': 'accounts.google.com:ada@example.com' },
    });
    assert.equal(response.status, 401);
    assert.equal(
      await response.text(),
      'Unauthorized: missing x-goog-iap-jwt-assertion header (the request did not come through IAP)\n',
    );
  });

  it('shows the status page to a signed-in user', async () => {
    const headers = { 'x-goog-iap-jwt-assertion': iap.token({ email: 'lead@example.com' }) };
    const status = await fetch(`${appUrl}/api/status`, { headers });
    assert.equal(status.status, 200);
    const { results } = (await status.json()) as { results: Array<{ name: string }> };
    assert.deepEqual(results.map(r => r.name), ['Good', 'Broken', 'Nobody home']);
    const page = await (await fetch(`${appUrl}/`, { headers })).text();
    assert.match(page, /Signed in through Identity-Aware Proxy as <strong>lead@example.com<\/strong>/);
    assert.match(page, /<td>Broken<\/td><td>Down<\/td><td>503<\/td>/);
  });

  it('refuses a malformed target list, naming the entry', () => {
    assert.throws(() => parseTargets('[{"url": "ftp://x"}]'), /targets\[0\]\.url must be an http\(s\) URL/);
    assert.throws(() => parseTargets('{}'), /must be a JSON array/);
  });
});
