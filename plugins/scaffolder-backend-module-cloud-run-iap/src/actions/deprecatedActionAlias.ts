import type { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * The same action under an id it had before, for templates that still use that id: same
 * schema and handler, a description starting "Deprecated: use <id>", and a warning in the
 * task log each time it runs.
 */
export function deprecatedActionAlias<A extends TemplateAction<any, any, any>>(
  action: A,
  deprecatedId: string,
  removal: string,
): A {
  const notice = `${deprecatedId} is deprecated: use ${action.id} instead (same inputs and outputs). The old id will be removed in ${removal}.`;
  return {
    ...action,
    id: deprecatedId,
    description: `Deprecated: use ${action.id}. ${
      action.description ?? ''
    }`.trim(),
    handler: async ctx => {
      ctx.logger.warn(notice);
      await action.handler(ctx);
    },
  };
}
