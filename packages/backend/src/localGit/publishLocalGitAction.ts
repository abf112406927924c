import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  LocalGitRepositories,
  parseRepositoryRef,
} from './LocalGitRepositories';

export const PUBLISH_LOCAL_GIT_ACTION_ID = 'publish:local-git';

/**
 * `publish:local-git` (development only): commits the workspace to a bare repository of
 * the local git server and outputs URLs its read route serves. Running it again with the same
 * files makes no new commit.
 */
export function createPublishLocalGitAction(options: {
  repositories: LocalGitRepositories;
  discovery: DiscoveryService;
}) {
  const { repositories, discovery } = options;
  return createTemplateAction({
    id: PUBLISH_LOCAL_GIT_ACTION_ID,
    description:
      'Development only: publishes the workspace to a git repository the portal keeps on this machine (no git host needed) and serves it read-only over HTTP so the catalog can read catalog-info.yaml.',
    supportsDryRun: true,
    schema: {
      input: {
        repo: z =>
          z
            .string()
            .describe(
              'owner/name of the repository, lowercase letters, digits, ".", "_" or "-". Example: internal-apps/access-manager',
            ),
        description: z =>
          z.string().optional().describe('Repository description'),
        defaultBranch: z =>
          z.string().optional().describe('Branch to commit to. Default main'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory of the workspace to publish. Default: the whole workspace',
            ),
        gitCommitMessage: z =>
          z
            .string()
            .optional()
            .describe('Commit message. Default: Initial commit'),
      },
      output: {
        remoteUrl: z =>
          z.string().describe('URL of the repository (what it holds, as JSON)'),
        repoContentsUrl: z =>
          z
            .string()
            .describe(
              'URL of the default branch; append /<path> for one file (raw)',
            ),
        catalogInfoUrl: z =>
          z.string().describe('URL of catalog-info.yaml on the default branch'),
        commitHash: z => z.string().describe('The head commit'),
      },
    },
    async handler(ctx) {
      const { owner, name } = parseRepositoryRef(ctx.input.repo, 'repo');
      const branch = ctx.input.defaultBranch ?? 'main';
      const base = `${await discovery.getExternalBaseUrl(
        'local-git',
      )}/repos/${owner}/${name}`;
      const repoContentsUrl = `${base}/blob/${branch}`;
      ctx.output('remoteUrl', base);
      ctx.output('repoContentsUrl', repoContentsUrl);
      ctx.output('catalogInfoUrl', `${repoContentsUrl}/catalog-info.yaml`);
      const sourceDir = ctx.input.sourcePath
        ? resolveSafeChildPath(ctx.workspacePath, ctx.input.sourcePath)
        : ctx.workspacePath;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would publish ${sourceDir} to ${owner}/${name} (${branch}); nothing was written`,
        );
        ctx.output('commitHash', '0'.repeat(40));
        return;
      }

      const user = ctx.user?.entity;
      const result = await ctx.checkpoint({
        key: `local-git:${owner}/${name}:${branch}`,
        fn: () =>
          repositories.publish({
            owner,
            name,
            sourceDir,
            defaultBranch: branch,
            message: ctx.input.gitCommitMessage ?? 'Initial commit',
            description: ctx.input.description,
            author: {
              name:
                (user?.spec?.profile as { displayName?: string } | undefined)
                  ?.displayName ?? 'Backstage Scaffolder',
              email:
                (user?.spec?.profile as { email?: string } | undefined)
                  ?.email ?? 'scaffolder@backstage.invalid',
            },
          }),
      });
      ctx.logger.info(
        `${result.created ? 'Created' : 'Found'} ${owner}/${name}; ${
          result.changed
            ? `committed ${result.commit} on ${branch}`
            : `${branch} already held these files at ${result.commit}: no new commit`
        }`,
      );
      ctx.output('commitHash', result.commit);
    },
  });
}
