import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { LocalGitRepositories } from './LocalGitRepositories';

/**
 * Serves the local git repositories (development only, `localGit.enabled`) read-only over
 * HTTP at `/api/local-git/repos/:owner/:name` (what the repository holds) and
 * `/api/local-git/repos/:owner/:name/blob/:ref/<path>` (one file, raw). The catalog reads
 * `catalog-info.yaml` from there, allowed by `backend.reading.allow`; it sends no Backstage
 * token, so these read routes are unauthenticated.
 */
export const localGitPlugin = createBackendPlugin({
  pluginId: 'local-git',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpRouter }) {
        const repositories = LocalGitRepositories.fromConfig(config);
        if (!repositories) return;
        logger.info(
          `Local git repositories (development only) in ${repositories.dataDir}`,
        );
        httpRouter.use(localGitRouter(repositories));
        httpRouter.addAuthPolicy({ path: '/repos', allow: 'unauthenticated' });
      },
    });
  },
});

export function localGitRouter(
  repositories: LocalGitRepositories,
): express.Router {
  const router = Router();
  router.get('/repos/:owner/:name', async (req, res) => {
    const summary = await repositories
      .describe(req.params.owner, req.params.name)
      .catch(() => undefined);
    if (!summary) {
      res.status(404).json({
        error: { name: 'NotFoundError', message: 'No such repository' },
      });
      return;
    }
    res.json(summary);
  });
  router.get('/repos/:owner/:name/blob/:ref/*', async (req, res) => {
    const filePath = (req.params as Record<string, string>)[0] ?? '';
    const file = await repositories
      .readFile(req.params.owner, req.params.name, req.params.ref, filePath)
      .catch(() => undefined);
    if (!file) {
      res
        .status(404)
        .json({ error: { name: 'NotFoundError', message: 'No such file' } });
      return;
    }
    if (req.headers['if-none-match'] === `"${file.etag}"`) {
      res.status(304).end();
      return;
    }
    res.setHeader('ETag', `"${file.etag}"`);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(file.content);
  });
  return router;
}
