// A node:test reporter that writes { passed, failed, skipped } as JSON (for
// scripts/test-summary.mjs). Counts tests, not suites; a cancelled test (its suite's setup
// failed) counts as failed, and so does a failed suite or file none of whose tests failed.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let failedContainers = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    const isSuite = data.details?.type === 'suite';
    if (data.skip || data.todo) skipped += 1;
    else if (event.type === 'test:pass') passed += isSuite ? 0 : 1;
    else if (isSuite || data.nesting === 0) failedContainers += 1;
    else failed += 1;
  }
  if (failed === 0 && failedContainers > 0) failed = 1;
  yield `${JSON.stringify({ passed, failed, skipped })}\n`;
}
