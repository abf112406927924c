import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** What time it is, for request and grant expiry; tests install a clock they move by hand. */
export interface Clock {
  now(): Date;
}

/** The clock of the plugin (the system clock unless a test backend installs another). */
export const clockServiceRef = createServiceRef<Clock>({
  id: 'cloud-run-iap.clock',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => ({ now: () => new Date() }),
    }),
});
