export interface Config {
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
}
