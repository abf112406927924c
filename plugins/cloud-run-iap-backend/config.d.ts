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
    /** Access requests (`POST .../access/requests`) and the expiry of the grants they give. */
    requests?: {
      /** Whether a request may ask for permanent access (else only 1, 7 or 30 days). Default false. */
      allowPermanent?: boolean;
      /** How long a request waits for a decision before it expires. Default 7 days. */
      pendingFor?: HumanDuration | string;
      /**
       * How often the task that removes expired time-bound grants and expires undecided requests
       * runs (once across replicas). Default 5 minutes.
       */
      expiryCheckFrequency?: HumanDuration | string;
    };
  };
}
