import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderTemplatingExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import { LocalGitRepositories } from './LocalGitRepositories';
import { createPublishLocalGitAction } from './publishLocalGitAction';
import { repositoryHostFromConfig } from './repositoryHost';

/**
 * What the golden-path templates (templates/) need from the scaffolder: the
 * `repositoryHost` template global that picks their publish step from configuration, and,
 * in development (`localGit.enabled`), the `publish:local-git` action.
 */
export const scaffolderGoldenPathsModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        actions: scaffolderActionsExtensionPoint,
        templating: scaffolderTemplatingExtensionPoint,
      },
      async init({ config, logger, discovery, actions, templating }) {
        const repositoryHost = repositoryHostFromConfig(config);
        if (repositoryHost.type === 'unconfigured') {
          logger.warn(
            'Neither localGit.enabled nor templates.repositoryHost is set: the golden-path templates have nowhere to publish (see templates/README.md)',
          );
        }
        templating.addTemplateGlobals({
          repositoryHost: { ...repositoryHost },
        });
        const repositories = LocalGitRepositories.fromConfig(config);
        if (repositories) {
          actions.addActions(
            createPublishLocalGitAction({ repositories, discovery }),
          );
        }
      },
    });
  },
});
