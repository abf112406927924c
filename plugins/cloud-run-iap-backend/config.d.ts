import { HumanDuration } from '@backstage/types';

export interface Config {
  cloudRunIap?: {
    cache?: {
      /**
       * How long a report may still be served, marked stale with its age and the error, when
       * Google fails and the report is older than `ttl`. Default 24 hours.
       */
      serveStaleFor?: HumanDuration;
    };
  };
}
