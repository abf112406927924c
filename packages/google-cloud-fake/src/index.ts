/**
 * A local, faithful fake of the Google Cloud APIs behind direct IAP on Cloud Run.
 *
 * @packageDocumentation
 */
export { startGoogleCloudFake } from './server';
export type {
  GoogleCloudFake,
  GoogleCloudFakeOptions,
  RecordedRequest,
} from './server';
export { loadSeedFile, parseSeed, parseSeedText, SeedError } from './seed/load';
export type { SeedProblem } from './seed/load';
export type { Seed, SeedInput, FaultRule } from './seed/schema';
export { GoogleApiError } from './errors';
export type { CanonicalCode, GoogleErrorEnvelope } from './errors';
export { demoSeedPath } from './demoSeed';
export { runCli } from './cli';
