import { InputError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { actionServices } from '../__testUtils__/backstageServices';
import { parseActionInput } from '../lib/inputSchemas';
import { createCreateIapServiceAction } from './createIapService';
import {
  createIapServiceInputSchema,
  CreateIapServiceInput,
} from './createIapServiceInput';

const valid: CreateIapServiceInput = {
  projectId: 'acme-internal-apps',
  region: 'europe-west2',
  serviceId: 'access-manager',
  image: 'europe-west2-docker.pkg.dev/acme-internal-apps/apps/x:1.0',
  owner: 'group:default/team-a',
};

/** The `field rule` parts of the error the schema gives, or [] when it accepts the input. */
function problems(
  change: Partial<Record<keyof CreateIapServiceInput, unknown>>,
) {
  try {
    parseActionInput('test', createIapServiceInputSchema, {
      ...valid,
      ...change,
    });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message
      .replace(/^Invalid input for test: /, '')
      .split('; ');
  }
}

describe('the create input schema', () => {
  it('applies the defaults', () => {
    expect(createIapServiceInputSchema.parse(valid)).toEqual({
      ...valid,
      port: 8080,
      env: {},
      ingress: 'all',
      labels: {},
      accessors: [],
      accessLevels: [],
      waitForReady: true,
    });
  });

  it.each([
    ['a', true],
    ['access-manager', true],
    [`a${'b'.repeat(48)}`, true],
    [`a${'b'.repeat(49)}`, false],
    ['1app', false],
    ['app-', false],
    ['App', false],
    ['my_app', false],
  ])('service id %s is valid: %s', (serviceId, ok) => {
    expect(problems({ serviceId }).length === 0).toBe(ok);
  });

  it('names the field, the rule and the value', () => {
    expect(problems({ projectId: 'acme' })).toEqual([
      'projectId must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "acme")',
    ]);
    expect(problems({ port: 0, maxInstances: 1.5 })).toEqual([
      'port must be a whole number from 1 to 65535 (got 0)',
      'maxInstances must be a whole number from 1 to 1000 (got 1.5)',
    ]);
    expect(problems({ owner: undefined, image: 7 })).toEqual([
      'image is required (a string)',
      'owner is required (a string)',
    ]);
  });

  it.each([
    ['europe-west2-docker.pkg.dev/p/r/app:1.0', true],
    ['gcr.io/p/app', true],
    [`localhost:5000/app@sha256:${'a'.repeat(64)}`, true],
    ['us-docker.pkg.dev/cloudrun/container/hello', true],
    ['app', true],
    ['Upper/app:1', false],
    ['gcr.io/p/app:', false],
    ['gcr.io/p/app:1 2', false],
    ['https://gcr.io/p/app', false],
  ])('image %s is valid: %s', (image, ok) => {
    expect(problems({ image }).length === 0).toBe(ok);
  });

  it('checks labels and env without echoing env values', () => {
    expect(
      problems({ labels: { team: 'sre', 'cost-centre': '1234' } }),
    ).toEqual([]);
    expect(problems({ labels: { 'run.googleapis.com/x': 'y' } })[0]).toMatch(
      /reserved/,
    );
    expect(problems({ labels: { team: 'SRE' } })).toEqual([
      'labels.team value must be at most 63 lowercase letters, digits, underscores or hyphens (got "SRE")',
    ]);
    const found = problems({
      env: {
        OK: 'plain',
        DB_PASSWORD: 'hunter2',
        'BAD-NAME': 'x',
        K_SERVICE: 'x',
        SECRET_REF: { secret: 'db', version: 'v1' },
      },
    });
    // One rule itself holds "; " (K_SERVICE's), so only the parts naming a field count.
    const fields = found
      .filter(problem => problem.startsWith('env.'))
      .map(problem => problem.split(' ')[0]);
    expect(fields).toEqual([
      'env.DB_PASSWORD',
      'env.BAD-NAME',
      'env.K_SERVICE',
      'env.SECRET_REF.version',
    ]);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });

  it('gives the scaffolder a JSON Schema with the patterns, ranges, enums and defaults', () => {
    const action = createCreateIapServiceAction({
      clientFor: () => {
        throw new Error('not called');
      },
      permissions: mockServices.permissions(),
      ...actionServices(),
    });
    const schema = action.schema!.input as any;
    expect(schema.required).toEqual([
      'projectId',
      'region',
      'serviceId',
      'image',
      'owner',
    ]);
    expect(schema.properties.serviceId.pattern).toBe(
      '^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$',
    );
    expect(schema.properties.port).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      default: 8080,
    });
    expect(schema.properties.ingress).toMatchObject({
      enum: ['all', 'internal', 'internal-and-cloud-load-balancing'],
      default: 'all',
    });
    expect(schema.properties.description.maxLength).toBe(512);
    // /create/actions shows each input's description: the rules in words.
    for (const [name, property] of Object.entries<any>(schema.properties)) {
      expect([name, typeof property.description]).toEqual([name, 'string']);
    }
  });
});
