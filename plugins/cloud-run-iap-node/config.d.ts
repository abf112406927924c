import { HumanDuration } from '@backstage/types';

export interface Config {
  cloudRunIap?: {
    google?: {
      /**
       * A service-account key (JSON) for the portal's Google identity. Application Default
       * Credentials are used when absent. Refused together with `endpoint`, unless
       * `privateEndpoint` is true: credentials go to Google only.
       * @visibility secret
       */
      credentials?: string;
      /**
       * Base URL of a fake or emulator serving every Google API on one port (for example
       * http://127.0.0.1:8085). Real Google endpoints when absent. With an endpoint the
       * client sends a fixed placeholder token, never real credentials.
       */
      endpoint?: string;
      /**
       * The endpoint is a Google private endpoint (Private Service Connect), https only: the
       * real credentials (ADC or `credentials`) are used with it. Default false.
       */
      privateEndpoint?: boolean;
      /**
       * How long one attempt of one Google call may take before it is abandoned (and, for
       * reads, retried). Default { seconds: 30 }.
       */
      timeout?: HumanDuration | string;
    };
    organization?: {
      /** Domains whose users, groups and domain members may be granted access. */
      domains?: string[];
      /** Allow accessors outside `domains`. Default false. */
      allowExternalMembers?: boolean;
      /**
       * Workforce pool IDs whose principals (`principal://…/workforcePools/POOL/…`,
       * `principalSet://…/workforcePools/POOL/…`) count as inside the organisation. Principals
       * of other pools are outside. Default none.
       */
      workforcePools?: string[];
    };
    /** Projects where the portal may create services, with their allowed regions. */
    projects?: Array<{
      id: string;
      regions: string[];
      /**
       * Existing service accounts (emails) a new app in this project may run as, given as the
       * create action's `serviceAccount`. Without it, each app gets its own new account.
       */
      serviceAccounts?: string[];
    }>;
    images?: {
      /**
       * Registry prefixes (whole path components, such as
       * `europe-west2-docker.pkg.dev/acme-internal-apps/apps`) the create action's `image`
       * must start with. Any registry when unset.
       */
      allowedRegistries?: string[];
    };
    secrets?: {
      /**
       * When true, every Secret Manager secret an app's env names must carry the label
       * `backstage-app: <service id>`. Default false.
       */
      requireAppLabel?: boolean;
    };
    cache?: {
      /**
       * How long a report and shared Google data stay fresh: a HumanDuration such as
       * { seconds: 60 } or { minutes: 5 }, or a string such as '5m'. Zero: every report reads
       * Google afresh. Default { seconds: 60 }.
       */
      ttl?: HumanDuration | string;
    };
    /**
     * Links of services the portal did not create to their catalog entity, set by an operator. A
     * service is reported for an entity only when the service names it (its
     * `backstage.io/entity-ref` annotation) or a link here does.
     */
    links?: Array<{
      /** `projects/<project-id>/locations/<region>/services/<service-id>`, in a configured project. */
      service: string;
      /** The full entity ref, such as `component:default/legacy-intranet`. */
      entityRef: string;
    }>;
    review?: {
      /** At most this many entities in one access review; more is a 400. Default 500. */
      maxEntities?: number;
    };
    report?: {
      /**
       * The overall deadline of one access report or review, over all its Google calls. Past it
       * the answer is a stale copy, if one is cached, or a 503. Default { seconds: 60 }.
       */
      deadline?: HumanDuration | string;
    };
    /** Parallel Google reads per backend instance. Default 16. */
    concurrency?: number;
    /** Parallel Google writes (creates, patches, IAM changes) per backend instance. Default 4. */
    writeConcurrency?: number;
  };
}
