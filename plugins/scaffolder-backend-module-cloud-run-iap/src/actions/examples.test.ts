import { mockServices } from '@backstage/backend-test-utils';
import { actionServices } from '../__testUtils__/backstageServices';
import { createCreateIapServiceAction } from './createIapService/action';
import { createUpdateIapAccessAction } from './updateIapAccess/action';

const clientFor = () => {
  throw new Error('not called');
};
const permissions = mockServices.permissions();

const deps = { clientFor, permissions, ...actionServices() };

describe.each([
  createCreateIapServiceAction(deps),
  createUpdateIapAccessAction(deps),
])('the examples of $id', action => {
  const schema = action.schema?.input as {
    properties: Record<string, unknown>;
    required?: string[];
  };
  const properties = Object.keys(schema.properties);

  it.each(action.examples!.map(e => [e.description, e.example]))(
    '%s: uses the action with inputs it declares',
    (_description, example) => {
      const step = example
        .split(/\n {2}- id: /)
        .find(s => s.includes(`action: ${action.id}`));
      expect(step).toBeDefined();
      const keys = [...step!.matchAll(/^ {6}([A-Za-z]+):/gm)].map(m => m[1]);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(properties).toContain(key);
      for (const key of schema.required ?? []) expect(keys).toContain(key);
    },
  );
});
