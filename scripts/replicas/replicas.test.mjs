// The production profile on real servers: two backend replicas (app-config.yaml +
// app-config.production.yaml) on one PostgreSQL and one Redis, with the Google Cloud fake as
// Google. Run by scripts/test-replicas.sh (`./portal yarn test:replicas`, and inside `./portal test`).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  logDirectory,
  postgresDatabases,
  postgresQuery,
  redisCommand,
  root,
  startBackend,
  startRecordingProxy,
  startFake,
  startPostgres,
  startRedis,
  stop,
  stopAll,
} from './servers.mjs';

const TEAM = 'group:default/internal-apps-team';
const sleep = ms => new Promise(r => setTimeout(r, ms));

let logs;
let postgres;
let redis;
let fake;
let replicaA;
let replicaB;
let token;
/** What each replica asked Google (the fake), through its recording proxy. */
const proxies = {};

/**
 * The suite's overrides of the production profile: the fake (through the replica's recording
 * proxy), a test sign-in, a catalog.
 */
function testOverrides(name, endpoint) {
  const file = join(logs, `${name}.test-overrides.app-config.yaml`);
  const location = (target, allow) =>
    `    - type: file\n      target: ${join(root, target)}\n${
      allow ? `      rules:\n        - allow: [${allow}]\n` : ''
    }`;
  writeFileSync(
    file,
    [
      'auth:',
      '  providers:',
      '    guest:',
      '      userEntityRef: user:default/guest',
      // For this test only: production has no guest sign-in.
      '      dangerouslyAllowOutsideDevelopment: true',
      'catalog:',
      '  locations:',
      location('examples/entities.yaml'),
      location('examples/org.yaml', 'User, Group'),
      location('scripts/replicas/fixtures/template.yaml', 'Template'),
      'cloudRunIap:',
      '  google:',
      `    endpoint: ${endpoint}`,
      '',
    ].join('\n'),
  );
  return file;
}

async function api(replica, path, init = {}) {
  const response = await fetch(`${replica.baseUrl}/api/${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `${replica.name} ${path}: HTTP ${response.status} ${text.slice(0, 500)}`,
    );
  }
  return JSON.parse(text);
}

async function fakeRequests(since = 0) {
  const response = await fetch(`${fake.url}/__fake/requests?since=${since}`);
  return (await response.json()).requests;
}

async function lastSeq() {
  const requests = await fakeRequests();
  return requests.length ? requests[requests.length - 1].seq : 0;
}

async function eventually(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(500);
  }
  throw new Error(
    `${what}: not within ${timeoutMs / 1000}s${
      last ? ` (${last.message})` : ''
    }`,
  );
}

/** A report's services without the times each replica fetched and analysed them at. */
const withoutTimes = accessReport =>
  accessReport.services.map(({ analyzedAt, ...service }) => service);

/** A task log line without its terminal colours. */
const plain = message =>
  // eslint-disable-next-line no-control-regex
  String(message ?? '').replace(/\u001b\[\d+m/g, '');

const report = (replica, name) =>
  api(
    replica,
    `cloud-run-iap/entities/by-name/component/default/${name}/access`,
  );

describe('two backend replicas on PostgreSQL and Redis (app-config.production.yaml)', () => {
  before(
    async () => {
      logs = logDirectory();
      console.log(`# server logs: ${logs}`);
      [postgres, redis, fake] = await Promise.all([
        startPostgres(logs),
        startRedis(logs),
        startFake(logs),
      ]);
      proxies.a = await startRecordingProxy(fake.url);
      proxies.b = await startRecordingProxy(fake.url);
      const env = {
        POSTGRES_HOST: postgres.host,
        POSTGRES_PORT: String(postgres.port),
        POSTGRES_USER: postgres.user,
        POSTGRES_PASSWORD: postgres.password,
        REDIS_URL: redis.url,
      };
      // One after the other, as a rolling deployment starts them: on an empty database,
      // replicas starting together race for the catalog's migration lock and the loser stops.
      const start = (name, proxy) =>
        startBackend({
          name,
          logDir: logs,
          env,
          extraConfigFiles: [testOverrides(name, proxy.url)],
        });
      replicaA = await start('replica-a', proxies.a);
      replicaB = await start('replica-b', proxies.b);
      // Sign in once the catalog knows the user, so the token carries the team's ownership.
      const identity = await eventually(
        'guest sign-in with the team in its ownership claims',
        async () => {
          const response = await fetch(
            `${replicaA.baseUrl}/api/auth/guest/refresh`,
            {
              headers: { 'x-requested-with': 'XMLHttpRequest' },
            },
          );
          if (!response.ok) return undefined;
          const { backstageIdentity } = await response.json();
          return backstageIdentity.identity.ownershipEntityRefs.includes(TEAM)
            ? backstageIdentity
            : undefined;
        },
        90_000,
      );
      token = identity.token;
      await eventually(
        'the catalog has the apps and the template',
        async () => {
          await api(
            replicaB,
            'catalog/entities/by-name/component/default/data-sharing-api',
          );
          await api(
            replicaB,
            'catalog/entities/by-name/template/default/replicas-run-once',
          );
          return true;
        },
        90_000,
      );
    },
    { timeout: 240_000 },
  );

  after(async () => {
    await stopAll();
    await Promise.all(Object.values(proxies).map(proxy => proxy.close()));
  });

  test('the replicas keep their tables in PostgreSQL', async () => {
    const databases = postgresDatabases(postgres);
    assert.ok(
      databases.includes('backstage_plugin_catalog'),
      databases.join(', '),
    );
    assert.ok(
      databases.includes('backstage_plugin_scaffolder'),
      databases.join(', '),
    );
  });

  test('a report computed by replica A is served by replica B from the shared cache, with zero Google calls', async () => {
    const firstSeq = await lastSeq();
    const fromA = await report(replicaA, 'access-manager');
    assert.equal(fromA.fromCache, false);
    assert.ok(fromA.services.length > 0);
    const callsA = (await fakeRequests(firstSeq)).length;
    const keys = Number(
      /^:(\d+)/.exec(await redisCommand(redis, 'DBSIZE'))?.[1],
    );
    assert.ok(keys > 0, 'the report and its Google data are in Redis');
    assert.ok(callsA > 0, 'replica A fetched the report from Google');

    const mark = await lastSeq();
    const proxyMarkB = proxies.b.requests.length;
    const fromB = await report(replicaB, 'access-manager');
    assert.equal(fromB.fromCache, true);
    assert.equal(fromB.fetchedAt, fromA.fetchedAt);
    assert.deepEqual(fromB.services, fromA.services);
    assert.deepEqual(await fakeRequests(mark), [], 'the fake answered no call');
    assert.deepEqual(
      proxies.b.requests.slice(proxyMarkB),
      [],
      'replica B made no Google call',
    );
    console.log(
      `# cold report on A: ${callsA} Google calls; the same report on B: 0`,
    );
  });

  test('50 concurrent identical cold requests over both replicas fetch each source at most once per replica', async () => {
    const firstSeq = await lastSeq();
    const proxyMarks = {
      a: proxies.a.requests.length,
      b: proxies.b.requests.length,
    };
    const replicas = [replicaA, replicaB];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        report(replicas[i % 2], 'data-sharing-api'),
      ),
    );
    for (const answer of answers) {
      // Each replica analysed the data it fetched: the same but for the time it did so.
      assert.deepEqual(withoutTimes(answer), withoutTimes(answers[0]));
    }
    const requests = await fakeRequests(firstSeq);
    assert.ok(requests.length > 0, 'the report was cold');
    const perReplica = {};
    for (const [name, proxy] of Object.entries(proxies)) {
      const perSource = new Map();
      for (const r of proxy.requests.slice(proxyMarks[name])) {
        const source = `${r.httpMethod} ${r.url}`;
        perSource.set(source, (perSource.get(source) ?? 0) + 1);
      }
      const overFetched = [...perSource].filter(([, n]) => n > 1);
      assert.deepEqual(
        overFetched,
        [],
        `replica ${name} fetched no source twice`,
      );
      perReplica[name] = perSource.size;
    }
    assert.equal(
      requests.length,
      perReplica.a + perReplica.b,
      'every call the fake answered came through a replica',
    );
    console.log(
      `# 50 requests: ${requests.length} Google calls (replica A: ${perReplica.a} sources, replica B: ${perReplica.b}, each once)`,
    );
  });

  let taskId;
  const serviceId = `replicas-once-${randomBytes(3).toString('hex')}`;

  test(
    'a scaffolder task started on replica A runs exactly once',
    { timeout: 120_000 },
    async () => {
      const firstSeq = await lastSeq();
      ({ id: taskId } = await api(replicaA, 'scaffolder/v2/tasks', {
        method: 'POST',
        body: JSON.stringify({
          templateRef: 'template:default/replicas-run-once',
          values: { serviceId },
        }),
      }));
      const task = await eventually(
        'the task finished (read from replica B)',
        async () => {
          const t = await api(replicaB, `scaffolder/v2/tasks/${taskId}`);
          return ['completed', 'failed', 'cancelled'].includes(t.status)
            ? t
            : undefined;
        },
        90_000,
      );
      const events = await api(
        replicaB,
        `scaffolder/v2/tasks/${taskId}/events`,
      );
      const logText = events.map(e => plain(e.body?.message)).join('\n');
      assert.equal(task.status, 'completed', logText);

      const completions = events.filter(e => e.type === 'completion');
      assert.equal(completions.length, 1, 'one completion event');
      // debug:log logs its input (as JSON) and then the message itself, as `info: <message>`
      // (coloured).
      const announced = events.filter(
        e =>
          plain(e.body?.message) ===
          `info: replicas suite: creating ${serviceId}`,
      );
      assert.equal(
        announced.length,
        1,
        `the debug:log step ran once:\n${logText}`,
      );
      const stepStarts = events.filter(
        e => e.body?.stepId === 'create' && e.body?.status === 'processing',
      );
      assert.equal(stepStarts.length, 1, 'the create step started once');

      const creates = (await fakeRequests(firstSeq)).filter(
        r => r.methodId === 'run.projects.locations.services.create',
      );
      assert.equal(creates.length, 1, 'Cloud Run saw one create');
      assert.equal(creates[0].status, 200);
      assert.match(creates[0].query, new RegExp(`serviceId=${serviceId}`));
    },
  );

  let accessRequestId;

  test('an access request made on replica A is the same from replica B, and so is its decision', async () => {
    const app =
      'cloud-run-iap/entities/by-name/component/default/access-manager/access';
    const created = await api(replicaA, `${app}/requests`, {
      method: 'POST',
      body: JSON.stringify({
        service:
          'projects/acme-internal-apps/locations/europe-west2/services/access-manager',
        justification: 'Two-replica suite',
        duration: 'P1D',
      }),
    });
    accessRequestId = created.id;
    assert.equal(created.status, 'pending');
    assert.equal(created.member, 'user:guest@example.com');
    // The second request for the same app is refused by replica B: it sees A's pending one.
    const duplicate = await fetch(`${replicaB.baseUrl}/api/${app}/requests`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        service:
          'projects/acme-internal-apps/locations/europe-west2/services/access-manager',
        justification: 'Two-replica suite, again',
        duration: 'P7D',
      }),
    });
    assert.equal(duplicate.status, 409, await duplicate.text());
    const [onA, onB] = await Promise.all([
      api(replicaA, `${app}/requests`),
      api(replicaB, `${app}/requests`),
    ]);
    assert.deepEqual(onB, onA);
    assert.deepEqual(
      onB.items.map(r => r.id),
      [created.id],
    );
    const [pendingA, pendingB] = await Promise.all([
      api(replicaA, 'cloud-run-iap/access/requests?status=pending'),
      api(replicaB, 'cloud-run-iap/access/requests?status=pending'),
    ]);
    assert.deepEqual(pendingB, pendingA);
    assert.ok(pendingB.items.some(r => r.id === created.id));

    // Nobody approves their own request; the guest withdraws it by denying it on replica B.
    const denied = await api(
      replicaB,
      `cloud-run-iap/access/requests/${created.id}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'deny' }) },
    );
    assert.equal(denied.status, 'denied');
    const again = await fetch(
      `${replicaA.baseUrl}/api/cloud-run-iap/access/requests/${created.id}/decision`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ decision: 'deny' }),
      },
    );
    assert.equal(again.status, 409, 'replica A sees the decision B made');
    const [historyA, historyB] = await Promise.all([
      api(replicaA, `${app}/history`),
      api(replicaB, `${app}/history`),
    ]);
    assert.deepEqual(historyB, historyA);
    assert.deepEqual(
      historyA.items.map(e => e.kind),
      ['deny', 'request'],
    );
  });

  test('the database state read through either replica is the same', async () => {
    assert.ok(taskId, 'the scaffolder test created a task');
    const [taskA, taskB] = await Promise.all([
      api(replicaA, `scaffolder/v2/tasks/${taskId}`),
      api(replicaB, `scaffolder/v2/tasks/${taskId}`),
    ]);
    assert.deepEqual(taskA, taskB);
    const [eventsA, eventsB] = await Promise.all([
      api(replicaA, `scaffolder/v2/tasks/${taskId}/events`),
      api(replicaB, `scaffolder/v2/tasks/${taskId}/events`),
    ]);
    assert.deepEqual(eventsA, eventsB);
    const query =
      'catalog/entities/by-query?limit=500&orderField=metadata.name,asc&fields=kind,metadata.name,metadata.uid';
    const [entitiesA, entitiesB] = await Promise.all([
      api(replicaA, query),
      api(replicaB, query),
    ]);
    assert.deepEqual(entitiesA.items, entitiesB.items);
    // The cloud-run-iap backend keeps its reports in the shared cache and its access requests
    // and history in these tables, whose state the access request test compared through the
    // API from both replicas. A new table must be compared there too.
    assert.ok(accessRequestId, 'the access request test made a request');
    const tables = postgresQuery(
      postgres,
      'backstage_plugin_cloud-run-iap',
      "select table_name from information_schema.tables where table_schema = 'public' order by 1",
    ).map(([name]) => name);
    assert.deepEqual(
      tables.filter(
        name =>
          !name.startsWith('backstage_backend_public_keys__') &&
          !name.startsWith('backstage_backend_tasks__') &&
          !name.startsWith('knex_migrations'),
      ),
      ['access_events', 'access_requests'],
      `the cloud-run-iap plugin's tables (${tables.join(
        ', ',
      )}): compare the state of a new one from both replicas in the access request test`,
    );
  });

  test(
    'killing replica A mid-review leaves replica B answering',
    { timeout: 120_000 },
    async () => {
      const path = `cloud-run-iap/review?owner=${encodeURIComponent(TEAM)}`;
      const expected = await api(replicaB, path);
      assert.ok(expected.rows.length > 0);
      assert.deepEqual(expected.errors, []);

      // Cold again (the cache is shared, so this empties it for both), and slow: 150 ms per call.
      assert.match(await redisCommand(redis, 'FLUSHALL'), /^\+OK/);
      const response = await fetch(`${fake.url}/__fake/faults`, {
        method: 'POST',
        body: JSON.stringify({ path: '^/', latencyMs: 150 }),
      });
      assert.ok(response.ok);
      try {
        const mark = await lastSeq();
        const onA = api(replicaA, path);
        onA.catch(() => {});
        await eventually(
          'replica A is mid-review',
          async () => (await fakeRequests(mark)).length >= 3,
          30_000,
        );
        replicaA.child.kill('SIGKILL');
        await assert.rejects(onA, 'the review on A died with A');
        await stop(replicaA);

        const health = await fetch(
          `${replicaB.baseUrl}/.backstage/health/v1/readiness`,
        );
        assert.equal(health.status, 200);
        const onB = await api(replicaB, path);
        assert.deepEqual(onB.errors, []);
        assert.deepEqual(onB.rows, expected.rows);
        assert.deepEqual(onB.summary, expected.summary);
      } finally {
        await fetch(`${fake.url}/__fake/faults`, { method: 'DELETE' });
      }
    },
  );
});
