// Renders every template's skeleton (templates/*/skeleton) with sample values through the
// scaffolder's own fetch:template action, then runs the rendered app's tests: pytest on
// Debian's /usr/bin/python3 for the Python skeletons (the Debian packages are installed with
// apt-get when missing and running as root), node --test and tsc for the Node one.
// Writes REPORT_DIR/skeletons.json ({ passed, failed, skipped }) for scripts/test-summary.mjs
// and exits non-zero on any failure.
// Usage: node scripts/test-skeletons.mjs [REPORT_DIR]
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'packages/backend/package.json'));
const {
  createFetchTemplateAction,
} = require('@backstage/plugin-scaffolder-backend');
const { ScmIntegrations } = require('@backstage/integration');
const { ConfigReader } = require('@backstage/config');
const yaml = require('yaml');

const reportDir = resolve(process.argv[2] ?? join(root, '.toolchain/reports'));
mkdirSync(reportDir, { recursive: true });
const python = '/usr/bin/python3';
const pythonModules = [
  'flask',
  'fastapi',
  'uvicorn',
  'jwt',
  'cryptography',
  'pytest',
  'httpx',
];
const debianPackages = pythonModules.map(m => `python3-${m}`);

/** The sample form values each skeleton is rendered with (what a user would fill in). */
const samples = {
  name: 'sample-app',
  description: 'A "sample" app: quotes & <angle brackets> survive rendering',
  owner: 'group:default/internal-apps-team',
  system: 'system:default/internal-apps',
  projectId: 'acme-internal-apps',
  region: 'europe-west2',
  targets: [
    { name: 'Portal', url: 'https://backstage.example.com/healthcheck' },
  ],
};

function log(message) {
  process.stdout.write(`skeletons: ${message}\n`);
}

function ensureDebianPython() {
  const probe = () =>
    spawnSync(python, ['-c', `import ${pythonModules.join(', ')}`], {
      stdio: 'ignore',
    }).status === 0;
  if (probe()) return true;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    log(`installing Debian's ${debianPackages.join(' ')} (one time)`);
    const apt = spawnSync(
      'bash',
      [
        '-c',
        `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${debianPackages.join(
          ' ',
        )}`,
      ],
      { encoding: 'utf8' },
    );
    writeFileSync('/tmp/skeletons-apt.log', `${apt.stdout}\n${apt.stderr}`);
    if (apt.status !== 0)
      log('apt-get install failed, see /tmp/skeletons-apt.log');
  }
  if (probe()) return true;
  log(
    `${python} lacks ${pythonModules.join(', ')}: install ${debianPackages.join(
      ' ',
    )}`,
  );
  return false;
}

/** Renders templates/<name>/skeleton the way the template's fetch:template step does. */
async function render(templateName, into) {
  const templatePath = join(root, 'templates', templateName, 'template.yaml');
  const template = yaml.parse(readFileSync(templatePath, 'utf8'));
  const fetchStep = template.spec.steps.find(
    s => s.action === 'fetch:template',
  );
  // The step's values are `${{ parameters.x }}`: feed the samples under the same names.
  const values = Object.fromEntries(
    Object.entries(fetchStep.input.values).map(([key, expression]) => {
      const parameter = /^\$\{\{\s*parameters\.(\w+)\s*\}\}$/.exec(
        expression,
      )?.[1];
      if (!parameter || !(parameter in samples)) {
        throw new Error(
          `${templateName}: no sample for values.${key} (${expression})`,
        );
      }
      return [key, samples[parameter]];
    }),
  );
  const action = createFetchTemplateAction({
    reader: {
      readUrl: () => Promise.reject(new Error('no reads')),
      readTree: () => Promise.reject(new Error('no reads')),
    },
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const temporary = [];
  await action.handler({
    input: { ...fetchStep.input, values },
    workspacePath: into,
    templateInfo: {
      baseUrl: pathToFileURL(templatePath).href,
      entityRef: `template:default/${templateName}`,
    },
    logger: {
      info() {},
      warn() {},
      error() {},
      debug() {},
      child() {
        return this;
      },
    },
    output() {},
    createTemporaryDirectory: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'skeleton-fetch-'));
      temporary.push(dir);
      return dir;
    },
    checkpoint: async ({ fn }) => fn(),
    getInitiatorCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'none' },
    }),
    isDryRun: false,
    signal: new AbortController().signal,
  });
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  const leftover = spawnSync(
    'grep',
    ['-rlE', '\\$\\{\\{ *values\\.', into, '--exclude-dir=.github'],
    { encoding: 'utf8' },
  );
  if (leftover.stdout.trim())
    throw new Error(
      `${templateName}: unrendered values in ${leftover.stdout.trim()}`,
    );
}

/** Sums a JUnit XML report (pytest and node --test write one). */
function junitCounts(file) {
  const xml = existsSync(file) ? readFileSync(file, 'utf8') : '';
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const [, body] of xml.matchAll(
    /<testcase\b([\s\S]*?)(?:\/>|<\/testcase>)/g,
  )) {
    if (/<(failure|error)\b/.test(body)) failed += 1;
    else if (/<skipped\b/.test(body)) skipped += 1;
    else passed += 1;
  }
  return { passed, failed, skipped };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const add = (name, counts, ok) => {
  // A run that failed without reporting a failing test (it crashed, or ran nothing) counts as one failure.
  if (!ok && counts.failed === 0) counts.failed = 1;
  if (ok && counts.passed === 0) counts.failed += 1;
  log(
    `${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
  );
  for (const key of Object.keys(totals)) totals[key] += counts[key];
};

const templateNames = readdirSync(join(root, 'templates')).filter(name =>
  existsSync(join(root, 'templates', name, 'skeleton')),
);
const haveDebianPython = ensureDebianPython();
const work = mkdtempSync(join(tmpdir(), 'skeletons-'));
try {
  for (const name of templateNames) {
    const dir = join(work, name);
    mkdirSync(dir);
    try {
      await render(name, dir);
    } catch (error) {
      log(`${name}: rendering failed: ${error.message}`);
      add(`${name} (render)`, { passed: 0, failed: 1, skipped: 0 }, false);
      continue;
    }
    const report = join(reportDir, `skeleton-${name}.xml`);
    rmSync(report, { force: true });
    if (existsSync(join(dir, 'requirements.txt'))) {
      if (!haveDebianPython) {
        add(name, { passed: 0, failed: 1, skipped: 0 }, false);
        continue;
      }
      const run = spawnSync(
        python,
        [
          '-m',
          'pytest',
          '-q',
          '-p',
          'no:cacheprovider',
          `--junitxml=${report}`,
        ],
        {
          cwd: dir,
          stdio: 'inherit',
          env: {
            PATH: '/usr/bin:/bin',
            PYTHONDONTWRITEBYTECODE: '1',
            HOME: tmpdir(),
          },
        },
      );
      add(name, junitCounts(report), run.status === 0);
    } else if (existsSync(join(dir, 'package.json'))) {
      const run = spawnSync(
        process.execPath,
        [
          '--test',
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          '--test-reporter=junit',
          `--test-reporter-destination=${report}`,
          'test/**/*.test.ts',
        ],
        { cwd: dir, stdio: 'inherit' },
      );
      const counts = junitCounts(report);
      // Type-check with the repository's TypeScript and Node types.
      mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
      symlinkSync(
        join(root, 'node_modules/@types/node'),
        join(dir, 'node_modules/@types/node'),
      );
      const tsc = spawnSync(
        process.execPath,
        [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir],
        { stdio: 'inherit' },
      );
      if (tsc.status === 0) counts.passed += 1;
      else counts.failed += 1;
      add(name, counts, run.status === 0 && tsc.status === 0);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

writeFileSync(join(reportDir, 'skeletons.json'), `${JSON.stringify(totals)}\n`);
log(
  `total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
