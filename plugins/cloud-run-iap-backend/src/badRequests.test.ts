import {
  GoogleCloudFake,
  demoSeedPath,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import fs from 'node:fs';
import path from 'node:path';
import {
  PluginTestBackend,
  startPluginTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

/** One file of `__fixtures__/bad-requests`: a request and the field its error must name. */
interface BadRequestCase {
  description: string;
  method: 'GET' | 'POST';
  path: string;
  /** JSON, or a string sent as it is; `{ repeat, times }` anywhere stands for a long string. */
  body?: unknown;
  field: string;
  /** 400 unless set. */
  status?: number;
  /**
   * A known defect: the request is refused safely, but the message does not name the field
   * yet. The test then checks that it still does not, so a fix turns it red until the gap goes.
   */
  gap?: string;
}

const corpusDir = path.join(__dirname, '__fixtures__', 'bad-requests');
const corpus: Array<[string, BadRequestCase]> = fs
  .readdirSync(corpusDir)
  .filter(file => file.endsWith('.json'))
  .sort()
  .map(file => [
    file,
    JSON.parse(fs.readFileSync(path.join(corpusDir, file), 'utf8')),
  ]);

function expand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expand);
  if (value && typeof value === 'object') {
    const { repeat, times } = value as { repeat?: unknown; times?: unknown };
    if (typeof repeat === 'string' && typeof times === 'number') {
      return repeat.repeat(times);
    }
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expand(v)]),
    );
  }
  return value;
}

const naming = (field: string) =>
  new RegExp(
    `(^|[^A-Za-z])${field.replace(
      /[.*+?^${}()|[\]\\/]/g,
      '\\$&',
    )}([^A-Za-z]|$)`,
    'i',
  );

const goodReport =
  '/api/cloud-run-iap/entities/by-name/component/default/app/access';

describe('every HTTP route refuses the bad-requests corpus before calling Google, and keeps answering', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: [
        {
          name: 'app',
          annotation:
            'projects/acme-internal-apps/locations/europe-west2/services/access-manager',
        },
        { name: 'broken', annotation: 'not a service name' },
        { name: 'no-annotation' },
      ],
    });
    // Warm the cache so that each good request after a bad one needs no Google call.
    const warm = await portal.request('GET', goodReport);
    if (warm.status !== 200) throw new Error(`warm-up answered ${warm.status}`);
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });
  beforeEach(() => fake.clearRequests());

  it('holds a case for every route', () => {
    const routes = new Set(
      corpus.map(
        ([, c]) =>
          `${c.method} ${c.path
            .replace(/\?.*$/, '')
            .replace(/by-name\/[^/]+\/[^/]+\/[^/]+/, 'by-name/:ref')
            .replace(/requests\/[^/]+\/decision/, 'requests/:id/decision')}`,
      ),
    );
    expect([...routes].sort()).toEqual([
      'GET /api/cloud-run-iap/access-levels',
      'GET /api/cloud-run-iap/entities/by-name/:ref/access',
      'GET /api/cloud-run-iap/review',
      'POST /api/cloud-run-iap/access/requests/:id/decision',
      'POST /api/cloud-run-iap/entities/by-name/:ref/access/changes',
      'POST /api/cloud-run-iap/entities/by-name/:ref/access/requests',
      'POST /api/cloud-run-iap/entities/by-name/:ref/access/self-check',
      'POST /api/cloud-run-iap/entities/by-name/:ref/access/simulate',
    ]);
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  async function send(testCase: BadRequestCase) {
    const res = await portal.request(testCase.method, testCase.path, {
      body: expand(testCase.body),
    });
    return { status: res.status, text: await res.text() };
  }

  it.each(corpus)('%s', async (_file, testCase) => {
    const { status, text } = await send(testCase);
    expect(status).toBe(testCase.status ?? 400);
    const error = JSON.parse(text).error;
    expect(error.name).toBe('InputError');
    // A known gap must still not name its field: once it does, remove the gap from the file.
    expect({
      message: error.message,
      namesField: naming(testCase.field).test(error.message),
    }).toEqual({ message: error.message, namesField: !testCase.gap });
    expect(fake.requests().filter(r => r.write)).toEqual([]);
    expect(fake.requests()).toEqual([]);

    const good = await portal.request('GET', goodReport);
    expect(good.status).toBe(200);
  });
});
