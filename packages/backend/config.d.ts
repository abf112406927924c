export interface Config {
  permission?: {
    /**
     * Groups whose members are the portal's admins (full refs such as
     * `group:default/portal-admins`): they may delete any catalog entity and any location.
     * Without admins, entities can only be deleted by their owners, and locations by nobody.
     */
    adminGroups?: string[];
  };
  /** The local Google Cloud fake, started inside the backend for development. */
  googleCloudFake?: {
    /** Start it (development only; leave unset in production). */
    enabled?: boolean;
    /** Port on 127.0.0.1; 8085 by default. */
    port?: number;
    /** Seed file (YAML); the demo seed when unset. */
    seed?: string;
    /** Latency added to every call, in milliseconds. */
    latencyMs?: number;
  };
  /**
   * Development only: git repositories the portal keeps on this machine, for the templates'
   * publish step when no git host is reachable (`publish:local-git`, served read-only at
   * /api/local-git).
   */
  localGit?: {
    /** Register publish:local-git and the read routes. Leave unset in production. */
    enabled?: boolean;
    /** Where the bare repositories live; `.data/local-git` under the backend's directory by default. */
    dataDir?: string;
  };
  /** The golden-path templates (templates/). */
  templates?: {
    /**
     * The git host the templates publish to when localGit is not enabled: github.com, or a host
     * of integrations.github or integrations.gitlab.
     */
    repositoryHost?: string;
  };
}
