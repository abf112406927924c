export interface Config {
  cloudRunIap?: {
    google?: {
      /**
       * A service-account key (JSON) for the portal's Google identity. Application Default
       * Credentials are used when absent.
       * @visibility secret
       */
      credentials?: string;
      /**
       * Base URL of a fake or emulator serving every Google API on one port (for example
       * http://127.0.0.1:8085). Real Google endpoints when absent.
       */
      endpoint?: string;
    };
    organization?: {
      /** Domains whose users, groups and domain members may be granted access. */
      domains?: string[];
      /** Allow accessors outside `domains`. Default false. */
      allowExternalMembers?: boolean;
    };
    /** Projects where the portal may create services, with their allowed regions. */
    projects?: Array<{
      id: string;
      regions: string[];
    }>;
    cache?: {
      ttl?: { seconds?: number; minutes?: number };
    };
    /** Parallel Google calls per backend instance. Default 16. */
    concurrency?: number;
  };
}
