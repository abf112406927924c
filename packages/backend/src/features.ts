import appBackend from '@backstage/plugin-app-backend';
import authBackend from '@backstage/plugin-auth-backend';
import guestAuthProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogLogsModule from '@backstage/plugin-catalog-backend-module-logs';
import catalogScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import eventsBackend from '@backstage/plugin-events-backend';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import scaffolderCloudRunIapModule from '@internal-apps/plugin-scaffolder-backend-module-cloud-run-iap';
import catalogCloudRunIapModule from '@internal-apps/plugin-catalog-backend-module-cloud-run-iap';
import cloudRunIapBackend from '@internal-apps/plugin-cloud-run-iap-backend';
import { exampleUsersAuthModule } from './exampleUsers/exampleUsersAuthModule';
import { googleCloudFakePlugin } from './googleCloudFakePlugin';
import { scaffolderGoldenPathsModule } from './localGit/goldenPathsModule';
import { localGitPlugin } from './localGit/localGitPlugin';
import { permissionPolicyModule } from './permissionPolicy';

/**
 * Every feature this backend runs. `index.ts` starts them; `features.test.ts` boots the
 * same list in a test backend, so a plugin that fails to start fails the tests.
 */
export const backendFeatures = [
  appBackend,
  authBackend,
  // Guest sign-in for local development; replace with your identity provider in production.
  guestAuthProvider,
  // Development only: sign in as an example user (auth.providers.example-users, which only
  // app-config.local-fake.yaml sets; without it the provider is not mounted).
  exampleUsersAuthModule,
  catalogBackend,
  catalogScaffolderEntityModel,
  catalogLogsModule,
  // Every Cloud Run service of the configured projects as a Resource (catalog.providers.cloudRunIap).
  catalogCloudRunIapModule,
  eventsBackend,
  // Notifications (access requests, decisions and expiries) and signals, their live update.
  notificationsBackend,
  signalsBackend,
  scaffolderBackend,
  scaffolderCloudRunIapModule,
  // The templates' publish step chosen by config, and publish:local-git when localGit.enabled.
  scaffolderGoldenPathsModule,
  // Read-only HTTP access to the local git repositories (development, localGit.enabled).
  localGitPlugin,
  cloudRunIapBackend,
  // The actions of backend.actions.pluginSources as MCP tools for AI agents, at /api/mcp-actions/v1.
  mcpActionsBackend,
  permissionBackend,
  // Owners may see and change who can reach their apps; everything else is allowed.
  permissionPolicyModule,
  // Serves the Google APIs locally when googleCloudFake.enabled is set (development).
  googleCloudFakePlugin,
];
