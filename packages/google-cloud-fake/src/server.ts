import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { accessContextManagerRoutes } from './apis/accessContextManager';
import { cloudIdentityRoutes } from './apis/cloudIdentity';
import { iamRoleRoutes } from './apis/iamRoles';
import { iamServiceAccountRoutes } from './apis/iamServiceAccounts';
import { iapRoutes } from './apis/iap';
import { orgPolicyRoutes } from './apis/orgPolicy';
import { resourceManagerRoutes } from './apis/resourceManager';
import { runRoutes } from './apis/run';
import { secretManagerRoutes } from './apis/secretManager';
import { serviceUsageRoutes } from './apis/serviceUsage';
import { GoogleApiError } from './errors';
import { FaultInjector } from './http/faults';
import { methodMessages } from './http/messages';
import {
  decodeRequest,
  encodeIntegerEnums,
  wantsIntegerEnums,
} from './http/proto3';
import { Route } from './http/routes';
import { resolveSeed } from './seed/load';
import { SeedInput } from './seed/schema';
import { FakeWorld } from './world';

/** One request the fake answered, as listed by `/__fake/requests`. */
export interface RecordedRequest {
  seq: number;
  time: string;
  httpMethod: string;
  path: string;
  query: string;
  methodId?: string;
  write: boolean;
  status: number;
  durationMs: number;
  fault?: string;
}

export interface GoogleCloudFakeOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Host to bind; 127.0.0.1 by default. */
  host?: string;
  /** A seed file path (YAML or JSON) or a seed object. */
  seed?: string | SeedInput;
  /** Latency added to every API call, in milliseconds (on top of the seed's). */
  latencyMs?: number;
  /** Fault rules added at start (on top of the seed's). */
  faults?: unknown[];
  /**
   * Bearer tokens accepted. When absent any bearer token (or `?key=`) is accepted, and a
   * request with neither is refused with 401 as Google does.
   */
  tokens?: string[];
  /** Seed of the PRNG behind probabilistic faults. */
  randomSeed?: number;
  callerEmail?: string;
  /** Keep at most this many requests in the log (oldest dropped). */
  requestLogLimit?: number;
}

export interface GoogleCloudFake {
  /** Base URL, e.g. `http://127.0.0.1:8085`; use it as every API's `rootUrl`. */
  url: string;
  port: number;
  world: FakeWorld;
  faults: FaultInjector;
  /** Current state as JSON (what `/__fake/state` returns). */
  state(): ReturnType<FakeWorld['dump']>;
  /** Requests answered since start or the last `clearRequests()`. */
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** Back to the seed: state, faults (seeded ones come back) and request log. */
  reset(): void;
  stop(): Promise<void>;
}

const routes: Route[] = [
  ...runRoutes,
  ...iapRoutes,
  ...accessContextManagerRoutes,
  ...resourceManagerRoutes,
  ...serviceUsageRoutes,
  ...iamServiceAccountRoutes,
  ...secretManagerRoutes,
  ...cloudIdentityRoutes,
  ...iamRoleRoutes,
  ...orgPolicyRoutes,
];

function send(res: ServerResponse, status: number, body: unknown) {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Invalid JSON payload received. Unexpected token.\n${text.slice(
        0,
        80,
      )}\n^`,
    );
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Starts the fake on 127.0.0.1 (by default on a free port). */
export async function startGoogleCloudFake(
  options: GoogleCloudFakeOptions = {},
): Promise<GoogleCloudFake> {
  const seed = resolveSeed(options.seed);
  const world = new FakeWorld(seed, {
    callerEmail:
      options.callerEmail ?? 'backstage@example.iam.gserviceaccount.com',
    now: Date.now,
  });
  const faults = new FaultInjector(options.randomSeed);
  const initialFaults = [...seed.faults, ...(options.faults ?? [])];
  const addInitialFaults = () => initialFaults.forEach(f => faults.add(f));
  addInitialFaults();
  const baseLatency = seed.latencyMs + (options.latencyMs ?? 0);
  const logLimit = options.requestLogLimit ?? 10_000;
  let log: RecordedRequest[] = [];
  let seq = 0;

  const authorized = (req: IncomingMessage, query: URLSearchParams) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (options.tokens)
      return token !== undefined && options.tokens.includes(token);
    return Boolean(token) || query.has('key');
  };

  function reset() {
    world.reset();
    faults.clear();
    addInitialFaults();
    log = [];
  }

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    query: URLSearchParams,
  ) {
    const method = req.method ?? 'GET';
    if (pathname === '/__fake/health') return send(res, 200, { status: 'ok' });
    if (pathname === '/__fake/state' && method === 'GET') {
      return send(res, 200, world.dump());
    }
    if (pathname === '/__fake/reset' && method === 'POST') {
      reset();
      return send(res, 200, { reset: true });
    }
    if (pathname === '/__fake/requests') {
      if (method === 'DELETE') {
        log = [];
        return send(res, 200, { cleared: true });
      }
      const since = Number(query.get('since') ?? 0);
      return send(res, 200, { requests: log.filter(r => r.seq > since) });
    }
    if (pathname === '/__fake/faults') {
      if (method === 'GET') return send(res, 200, { faults: faults.list() });
      if (method === 'POST') {
        const body = await readBody(req);
        const added = (Array.isArray(body) ? body : [body]).map(f =>
          faults.add(f),
        );
        return send(res, 200, { faults: added });
      }
      if (method === 'DELETE') {
        const id = query.get('id');
        if (id) faults.remove(id);
        else faults.clear();
        return send(res, 200, { faults: faults.list() });
      }
    }
    throw new GoogleApiError(
      'NOT_FOUND',
      `No control endpoint ${method} ${pathname}`,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const pathname = url.pathname;
    const query = url.searchParams;
    const httpMethod = (req.method ?? 'GET').toUpperCase();
    if (pathname.startsWith('/__fake/')) {
      try {
        await handleControl(req, res, pathname, query);
      } catch (error) {
        const e =
          error instanceof GoogleApiError
            ? error
            : new GoogleApiError('INTERNAL', String(error));
        send(res, e.httpStatus, e.toJSON());
      }
      return;
    }
    let route: Route | undefined;
    let params: string[] = [];
    for (const candidate of routes) {
      if (candidate.httpMethod !== httpMethod) continue;
      const match = candidate.pattern.exec(pathname);
      if (match) {
        route = candidate;
        params = match
          .slice(1)
          .map(p => (p === undefined ? p : decodeURIComponent(p)));
        break;
      }
    }
    const record: RecordedRequest = {
      seq: ++seq,
      time: new Date().toISOString(),
      httpMethod,
      path: pathname,
      query: url.search,
      methodId: route?.methodId,
      write: Boolean(route?.write),
      status: 200,
      durationMs: 0,
    };
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let status = 200;
    let body: unknown;
    try {
      if (!route) {
        throw new GoogleApiError(
          'NOT_FOUND',
          `The requested URL ${pathname} was not found on this server.`,
        );
      }
      if (!authorized(req, query)) {
        throw new GoogleApiError('UNAUTHENTICATED', undefined, [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'CREDENTIALS_MISSING',
            domain: 'googleapis.com',
          },
        ]);
      }
      const decision = faults.decide(httpMethod, pathname, route.methodId);
      const latency = baseLatency + decision.latencyMs;
      if (latency > 0) await sleep(latency);
      if (decision.fault) record.fault = decision.fault.id;
      const lostAnswer = decision.fault?.applied ? decision.error : undefined;
      if (decision.error && !lostAnswer) throw decision.error;
      const rawBody = await readBody(req);
      const messages = methodMessages[route.methodId];
      const requestBody =
        messages?.body && rawBody !== undefined
          ? decodeRequest(
              messages.body.api,
              messages.body.schema,
              rawBody,
              messages.body.field,
            )
          : rawBody;
      body = await route.handle({
        params,
        query,
        body: requestBody,
        world,
        signal: abort.signal,
      });
      if (lostAnswer) throw lostAnswer;
      if (messages?.response && wantsIntegerEnums(query)) {
        body = encodeIntegerEnums(
          messages.response.api,
          messages.response.schema,
          body,
        );
      }
    } catch (error) {
      const e =
        error instanceof GoogleApiError
          ? error
          : new GoogleApiError(
              'INTERNAL',
              `Internal error in the fake: ${(error as Error).message}`,
            );
      status = e.httpStatus;
      body = e.toJSON();
    }
    record.status = status;
    record.durationMs = Math.round((performance.now() - started) * 100) / 100;
    log.push(record);
    if (log.length > logLimit) log = log.slice(log.length - logLimit);
    if (!res.destroyed) send(res, status, body ?? {});
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(error => {
      if (!res.headersSent)
        send(res, 500, new GoogleApiError('INTERNAL', String(error)).toJSON());
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(
      {
        port: options.port ?? 0,
        host: options.host ?? '127.0.0.1',
        backlog: 4096,
      },
      () => {
        server.off('error', reject);
        resolve();
      },
    );
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  const fake: GoogleCloudFake = {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    world,
    faults,
    state: () => world.dump(),
    requests: () => [...log],
    clearRequests: () => {
      log = [];
    },
    reset,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close(err => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return fake;
}
