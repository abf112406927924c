import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createTestActionContext } from '../__testUtils__/actionContext';
import { deprecatedActionAlias } from './deprecatedActionAlias';
import { z } from '../lib/inputSchemas';

describe('deprecatedActionAlias', () => {
  const received: unknown[] = [];
  const action = createTemplateAction({
    id: 'gcp:thing:create',
    description: 'Creates a thing.',
    schema: { input: () => z.object({ name: z.string() }) },
    async handler(ctx) {
      received.push(ctx.input);
    },
  });

  it('is the same action under the old id, described and logged as deprecated', async () => {
    const alias = deprecatedActionAlias(action, 'gcp:create-thing', '0.3.0');
    expect(alias.id).toBe('gcp:create-thing');
    expect(alias.description).toBe(
      'Deprecated: use gcp:thing:create. Creates a thing.',
    );
    expect(alias.schema).toBe(action.schema);

    const test = createTestActionContext({ name: 'x' });
    await alias.handler(test.ctx);
    expect(received).toEqual([{ name: 'x' }]);
    expect(test.logger.lines).toEqual([
      {
        level: 'warn',
        message:
          'gcp:create-thing is deprecated: use gcp:thing:create instead (same inputs and outputs). The old id will be removed in 0.3.0.',
        meta: undefined,
      },
    ]);
  });
});
