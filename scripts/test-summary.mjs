// Adds up the Jest, skeleton, replicas and Playwright JSON reports into one closing line, and
// fails when any step failed or when no test ran at all.
// Usage: node scripts/test-summary.mjs REPORT_DIR [FAILED_STEP ...]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [reportDir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

const jestReport = join(reportDir, 'jest.json');
if (existsSync(jestReport)) {
  const jest = JSON.parse(readFileSync(jestReport, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests + jest.numRuntimeErrorTestSuites;
  skipped += jest.numPendingTests + jest.numTodoTests;
}

// The templates' rendered skeletons (scripts/test-skeletons.mjs): pytest and node --test.
const skeletonsReport = join(reportDir, 'skeletons.json');
if (existsSync(skeletonsReport)) {
  const skeletons = JSON.parse(readFileSync(skeletonsReport, 'utf8'));
  passed += skeletons.passed;
  failed += skeletons.failed;
  skipped += skeletons.skipped;
}

// Two backend replicas on PostgreSQL and Redis (scripts/test-replicas.sh): node --test.
const replicasReport = join(reportDir, 'replicas.json');
if (existsSync(replicasReport)) {
  const replicas = JSON.parse(readFileSync(replicasReport, 'utf8'));
  passed += replicas.passed;
  failed += replicas.failed;
  skipped += replicas.skipped;
}

const playwrightReport = join(reportDir, 'playwright.json');
if (existsSync(playwrightReport)) {
  const { stats } = JSON.parse(readFileSync(playwrightReport, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
}

console.log();
if (failedSteps.length > 0) {
  console.log(`Failed steps: ${failedSteps.join(', ')}`);
}
if (passed + failed === 0) {
  console.log('No test ran.');
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
