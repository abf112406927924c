// The real servers of the two-replica suite, on free 127.0.0.1 ports in temporary directories:
// Debian's PostgreSQL and Redis, the Google Cloud fake, and backend replicas (packages/backend
// from source, with app-config.yaml + app-config.production.yaml + the suite's overrides).
// Everything started here is stopped by stopAll(), and killed on exit if the run dies first.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import {
  createServer as createHttpServer,
  request as httpRequest,
} from 'node:http';
import { createRequire } from 'node:module';
import { Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const backendDir = join(root, 'packages/backend');
const requireFromBackend = createRequire(join(backendDir, 'package.json'));

/** Every process and directory started here, newest last. */
const started = [];
const directories = [];

function killEverything() {
  for (const server of started) {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', killEverything);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killEverything();
    process.exit(
      128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1),
    );
  });
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function temporaryDirectory(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  directories.push(dir);
  return dir;
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Runs a server process, its output in a log file; `exited` settles when it stops. */
function startProcess(name, command, args, options) {
  const logFile = join(options.logDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise(r =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const server = { name, child, logFile, exited };
  started.push(server);
  return server;
}

async function waitFor(
  server,
  what,
  check,
  timeoutMs,
  failedToStart = () => false,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(
        `${server.name} exited (code ${server.child.exitCode}) before ${what}; see ${server.logFile}`,
      );
    }
    if (failedToStart()) {
      throw new Error(
        `${server.name} failed to start; see ${server.logFile}:\n${tail(
          server.logFile,
        )}`,
      );
    }
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(
    `${server.name}: ${what} not within ${timeoutMs / 1000}s${
      lastError ? ` (${lastError.message})` : ''
    }; see ${server.logFile}`,
  );
}

function tail(file, lines = 15) {
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Stops one server: `signal` first, SIGKILL after a grace period. */
export async function stop(server, signal = 'SIGTERM', graceMs = 10_000) {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill(signal);
    const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
    await server.exited;
    clearTimeout(timer);
  }
  const index = started.indexOf(server);
  if (index >= 0) started.splice(index, 1);
}

/** Stops everything still running, newest first, and removes the temporary directories. */
export async function stopAll() {
  for (const server of [...started].reverse()) {
    await stop(server, server.stopSignal ?? 'SIGTERM');
  }
  for (const dir of directories.splice(0))
    rmSync(dir, { recursive: true, force: true });
}

/** Where the servers' logs go; kept after the run, for a failure's post-mortem. */
export function logDirectory() {
  return mkdtempSync(join(tmpdir(), 'replicas-logs-'));
}

function postgresBin() {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base).filter(v => existsSync(join(base, v, 'bin/postgres')))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL is missing: apt-get install -y postgresql (scripts/test-replicas.sh does it as root)',
    );
  }
  versions.sort((a, b) => Number(b) - Number(a));
  return join(base, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: as root, it runs as the `postgres` user. */
function asDatabaseUser(command, args) {
  if (process.getuid?.() !== 0) return [command, args];
  return [
    'setpriv',
    ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args],
  ];
}

/** A fresh PostgreSQL cluster with a password-protected superuser. */
export async function startPostgres(logDir) {
  const bin = postgresBin();
  const dir = temporaryDirectory('replicas-pg-');
  const user = 'portal';
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'password'), password);
  if (process.getuid?.() === 0) {
    const { uid, gid } = userIds('postgres');
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'password'), uid, gid);
  }
  const [initdb, initdbArgs] = asDatabaseUser(join(bin, 'initdb'), [
    '-D',
    join(dir, 'data'),
    '-U',
    user,
    `--pwfile=${join(dir, 'password')}`,
    '--auth=scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const init = spawnSync(initdb, initdbArgs, { encoding: 'utf8' });
  if (init.status !== 0)
    throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const [postgres, postgresArgs] = asDatabaseUser(join(bin, 'postgres'), [
    '-D',
    join(dir, 'data'),
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=300',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const server = startProcess('postgres', postgres, postgresArgs, { logDir });
  // SIGINT: PostgreSQL's fast shutdown.
  server.stopSignal = 'SIGINT';
  const pgIsReady = join(bin, 'pg_isready');
  await waitFor(
    server,
    'accepting connections',
    async () =>
      spawnSync(pgIsReady, ['-h', '127.0.0.1', '-p', String(port), '-q'])
        .status === 0,
    30_000,
  );
  return { ...server, host: '127.0.0.1', port, user, password };
}

function userIds(name) {
  const id = flag =>
    Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Redis with a password, no persistence. */
export async function startRedis(logDir) {
  const dir = temporaryDirectory('replicas-redis-');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = startProcess(
    'redis',
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--requirepass',
      password,
    ],
    { logDir },
  );
  await waitFor(
    server,
    'accepting connections',
    () => redisPing(port, password),
    15_000,
  );
  return { ...server, port, url: `redis://:${password}@127.0.0.1:${port}` };
}

function redisPing(port, password) {
  return new Promise(resolvePing => {
    const socket = new Socket();
    socket.once('error', () => resolvePing(false));
    socket.connect(port, '127.0.0.1', () => {
      socket.write(`AUTH ${password}\r\nPING\r\n`);
    });
    let reply = '';
    socket.on('data', chunk => {
      reply += chunk;
      if (reply.includes('PONG')) {
        socket.destroy();
        resolvePing(true);
      }
    });
  });
}

/** The Google Cloud fake (its CLI, demo seed), with its request log at /__fake/requests. */
export async function startFake(logDir) {
  const port = await freePort();
  const server = startProcess(
    'google-cloud-fake',
    process.execPath,
    [
      join(root, 'packages/google-cloud-fake/bin/google-cloud-fake'),
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { logDir, cwd: root },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    server,
    'healthy',
    async () => (await fetch(`${url}/__fake/health`)).ok,
    60_000,
  );
  return { ...server, url };
}

/**
 * A pass-through HTTP proxy to the fake that records what one replica asked, so the fake's
 * calls can be told apart per replica (the fake's own log does not know the caller).
 */
export function startRecordingProxy(targetUrl) {
  const target = new URL(targetUrl);
  const requests = [];
  const server = createHttpServer((req, res) => {
    requests.push({ httpMethod: req.method, url: req.url });
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      response => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', error => {
      res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(upstream);
  });
  return new Promise(resolveProxy => {
    server.listen(0, '127.0.0.1', () => {
      resolveProxy({
        url: `http://127.0.0.1:${server.address().port}`,
        requests,
        close: () =>
          new Promise(r => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * One backend replica: packages/backend/src/index.ts run the way `backstage-cli package start`
 * runs it (Node with Backstage's TypeScript transform), as NODE_ENV=production with
 * app-config.yaml, app-config.production.yaml and then `extraConfigFiles`.
 */
export async function startBackend({
  name,
  logDir,
  env,
  extraConfigFiles,
  timeoutMs = 180_000,
}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const replicaConfig = join(logDir, `${name}.app-config.yaml`);
  writeFileSync(
    replicaConfig,
    [
      `backend:`,
      `  baseUrl: ${baseUrl}`,
      `  listen: { host: 127.0.0.1, port: ${port} }`,
      ``,
    ].join('\n'),
  );
  const configArgs = [
    join(root, 'app-config.yaml'),
    join(root, 'app-config.production.yaml'),
    ...extraConfigFiles,
    replicaConfig,
  ].flatMap(file => ['--config', file]);
  const server = startProcess(
    name,
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      requireFromBackend.resolve(
        '@backstage/cli-node/config/nodeTransform.cjs',
      ),
      join(backendDir, 'src/index.ts'),
      ...configArgs,
    ],
    {
      logDir,
      cwd: backendDir,
      env: {
        ...process.env,
        ...env,
        NODE_ENV: 'production',
        APP_BASE_URL: baseUrl,
        ESBK_TSCONFIG_PATH: join(root, 'tsconfig.json'),
      },
    },
  );
  // The backend logs a failed start (and keeps running) rather than exiting.
  const failedToStart = () =>
    /Backend failed to start|Unhandled rejection/.test(
      readFileSync(server.logFile, 'utf8'),
    );
  // Ready once every plugin has started.
  await waitFor(
    server,
    'ready',
    async () => (await fetch(`${baseUrl}/.backstage/health/v1/readiness`)).ok,
    timeoutMs,
    failedToStart,
  );
  return { ...server, port, baseUrl };
}

/** Sends one command to Redis (after AUTH) and resolves with the raw reply. */
export function redisCommand(redis, command) {
  const password = new URL(redis.url).password;
  return new Promise((resolveReply, reject) => {
    const socket = new Socket();
    let reply = '';
    socket.once('error', reject);
    socket.connect(redis.port, '127.0.0.1', () => {
      socket.write(`AUTH ${password}\r\n${command}\r\n`);
    });
    socket.on('data', chunk => {
      reply += chunk;
      // The AUTH reply and the command's.
      if (reply.split('\r\n').length > 2) {
        socket.destroy();
        resolveReply(reply.split('\r\n').slice(1).join('\r\n'));
      }
    });
  });
}

/** Runs one query with psql and returns its rows, each a list of column values. */
export function postgresQuery(postgres, database, sql) {
  const result = spawnSync(
    'psql',
    [
      '-h',
      postgres.host,
      '-p',
      String(postgres.port),
      '-U',
      postgres.user,
      '-d',
      database,
      '-AtF',
      '\t',
      '-c',
      sql,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: postgres.password },
    },
  );
  if (result.status !== 0)
    throw new Error(`psql ${database}: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map(line => line.split('\t'));
}

/** The databases of the PostgreSQL server (Backstage makes one per plugin). */
export function postgresDatabases(postgres) {
  return postgresQuery(
    postgres,
    'postgres',
    'select datname from pg_database where not datistemplate order by datname',
  ).map(([name]) => name);
}
