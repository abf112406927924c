import { resolve } from 'node:path';

/** Path of the demo seed shipped with the package: the portal's default world. */
export const demoSeedPath = resolve(__dirname, '../seeds/demo.yaml');
