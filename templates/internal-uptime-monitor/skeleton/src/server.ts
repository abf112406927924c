// The HTTP server: /healthz open, everything else behind the IAP check; the status page and
// its JSON.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { IAP_HEADER, IapVerificationError, type IapVerifier } from './iap.ts';
import type { CheckResult, UptimeMonitor } from './monitor.ts';

export const HEALTH_PATH = '/healthz';

export function log(entry: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

export function statusPage(title: string, results: CheckResult[], email: string): string {
  const rows = results
    .map(
      r =>
        `<tr><td>${escapeHtml(r.name)}</td><td>${r.up ? 'Up' : 'Down'}</td><td>${
          r.status ?? escapeHtml(r.error ?? '')
        }</td><td>${r.latencyMs} ms</td><td>${escapeHtml(r.checkedAt)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<h1>${escapeHtml(title)}</h1><p>Signed in through Identity-Aware Proxy as <strong>${escapeHtml(email)}</strong>.</p>
<table><caption>Latest checks</caption><thead><tr><th>Target</th><th>State</th><th>Status</th><th>Latency</th><th>Checked</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5">No check has run yet</td></tr>'}</tbody></table></html>`;
}

export function createAppServer(options: { title: string; verifier: IapVerifier; monitor: UptimeMonitor }): Server {
  const { title, verifier, monitor } = options;
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
      res.end(body);
      log({ severity: status >= 500 ? 'ERROR' : 'INFO', message: 'request', method: req.method, path, status });
    };
    if (path === HEALTH_PATH) {
      send(200, 'application/json', JSON.stringify({ status: 'ok' }));
      return;
    }
    let email: string;
    try {
      const header = req.headers[IAP_HEADER];
      email = (await verifier.verify(Array.isArray(header) ? header[0] : header)).email;
    } catch (error) {
      if (!(error instanceof IapVerificationError)) throw error;
      log({ severity: 'WARNING', message: 'request refused', reason: error.message, path });
      send(401, 'text/plain; charset=utf-8', `Unauthorized: ${error.message}\n`);
      return;
    }
    if (path === '/api/status') {
      send(200, 'application/json', JSON.stringify({ results: monitor.results() }));
    } else if (path === '/') {
      send(200, 'text/html; charset=utf-8', statusPage(title, monitor.results(), email));
    } else {
      send(404, 'text/plain; charset=utf-8', 'Not found\n');
    }
  });
}
