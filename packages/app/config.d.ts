export interface Config {
  auth?: {
    providers?: {
      /**
       * Development only: the example users the sign-in page offers, each signed in without a
       * password by the backend's example-users provider (packages/backend/src/exampleUsers).
       * Set in app-config.local-fake.yaml; never in production.
       */
      'example-users'?: {
        users: Array<{
          /**
           * Full user entity ref of the catalog, e.g. user:default/alan.
           * @visibility frontend
           */
          entityRef: string;
          /**
           * The name on the sign-in page.
           * @visibility frontend
           */
          title: string;
          /**
           * One line about who this is.
           * @visibility frontend
           */
          description?: string;
        }>;
      };
    };
  };
}
