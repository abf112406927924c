/**
 * @jest-environment node
 */
import fs from 'node:fs';

const {
  renderOpenApiTypes,
  outFile,
} = require('../../../scripts/generate-openapi-types');

describe('src/api/generated/openapi.ts', () => {
  it('is what openapi-typescript makes of the backend spec now (regenerate with yarn openapi:generate)', async () => {
    expect(fs.readFileSync(outFile, 'utf8')).toBe(await renderOpenApiTypes());
    // openapi-typescript parses the whole spec: seconds on a loaded machine.
  }, 60_000);
});
