import { dirname, resolve } from 'node:path';

/** Path of the demo seed shipped with the package: the portal's default world. */
export const demoSeedPath = resolve(
  dirname(require.resolve('@internal-apps/google-cloud-fake/package.json')),
  'seeds/demo.yaml',
);
