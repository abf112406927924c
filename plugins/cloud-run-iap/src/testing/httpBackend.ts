import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the test backend received. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, below the plugin's base URL. */
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, when there was one. */
  body?: unknown;
}

/** What the test backend answers to one request. */
export interface Answer {
  status: number;
  body?: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 (a port the system picks) that plays the cloud-run-iap
 * backend: each request is recorded and answered by `answer`. Stop it with `close()`.
 */
export async function startHttpBackend(
  answer: (request: ReceivedRequest) => Answer,
): Promise<{
  baseUrl: string;
  requests: ReceivedRequest[];
  close: () => Promise<void>;
}> {
  const requests: ReceivedRequest[] = [];
  const prefix = '/api/cloud-run-iap';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '').slice(prefix.length),
        headers: req.headers,
        ...(text ? { body: JSON.parse(text) } : {}),
      };
      requests.push(received);
      const { status, body } = answer(received);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}

/** Backstage's error JSON, as the backend sends it. */
export function errorAnswer(
  status: number,
  name: string,
  message: string,
  extra: Record<string, unknown> = {},
): Answer {
  return {
    status,
    body: {
      error: { name, message },
      request: { method: 'POST', url: '/api/cloud-run-iap' },
      response: { statusCode: status },
      ...extra,
    },
  };
}
