import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Discovery of Cloud Run services by this catalog module:
       * every service of each project becomes a Resource of type cloud-run-service. Without
       * this block the module discovers nothing.
       */
      cloudRunIap?: {
        /**
         * Project ids to discover, one services.list call each over every region. Default: the
         * ids of `cloudRunIap.projects`.
         */
        projects?: string[];
        /**
         * When discovery runs, once across replicas. Default: every 30 minutes, at most 10
         * minutes per run, the first run 10 seconds after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * The group (`group:default/platform-team`, or a bare group name) that owns each service
         * that records no owner group of its own (`backstage.io/owner-group` on the service).
         */
        unownedOwner: string;
      };
    };
  };
}
