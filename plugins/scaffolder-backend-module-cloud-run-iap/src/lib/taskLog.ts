import type { LoggerService } from '@backstage/backend-plugin-api';
import { scrubGoogleText } from '@internal-apps/plugin-cloud-run-iap-node';

/*
 * A task's log is shown to whoever can open the task, so it never carries a service-account
 * address, a token or a key: the actions log through this wrapper, and their errors (which the
 * scaffolder writes to the same log) are scrubbed the same way.
 */

function scrubMeta(meta: unknown): any {
  if (meta === undefined || meta === null) return meta;
  if (meta instanceof Error) return scrubError(meta);
  return JSON.parse(scrubGoogleText(JSON.stringify(meta)));
}

/** A logger that scrubs every message and its metadata before writing them. */
export function scrubbingLogger(logger: LoggerService): LoggerService {
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, meta?: Error | object) =>
      logger[level](scrubGoogleText(message), scrubMeta(meta));
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: meta => scrubbingLogger(logger.child(scrubMeta(meta))),
  };
}

/** The same error, with its message and stack scrubbed (its class is kept for the status). */
export function scrubError<T>(error: T): T {
  if (error instanceof Error) {
    error.message = scrubGoogleText(error.message);
    if (error.stack) error.stack = scrubGoogleText(error.stack);
  }
  return error;
}

/**
 * The action with its task log scrubbed: the handler logs through {@link scrubbingLogger}, and
 * whatever it throws is scrubbed before the scaffolder writes it to the log.
 */
export function withTaskLogScrubbing<
  A extends { handler: (ctx: any) => Promise<void> },
>(action: A): A {
  const handler = action.handler;
  return {
    ...action,
    handler: async (ctx: Parameters<A['handler']>[0]) => {
      try {
        await handler({ ...ctx, logger: scrubbingLogger(ctx.logger) });
      } catch (error) {
        throw scrubError(error);
      }
    },
  };
}
