import { Entity } from '@backstage/catalog-model';
import {
  CLOUD_RUN_SERVICE_ANNOTATION,
  getCloudRunServiceRefs,
  isCloudRunIapAvailable,
  parseCloudRunServiceAnnotation,
} from './annotation';

const HELLO = 'projects/acme-apps/locations/europe-west2/services/hello';
const HELLO_US = 'projects/acme-apps/locations/us-central1/services/hello';

function entity(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'hello', ...(annotations ? { annotations } : {}) },
  };
}

describe('parseCloudRunServiceAnnotation', () => {
  it('parses one service', () => {
    expect(parseCloudRunServiceAnnotation(HELLO)).toEqual([
      {
        projectId: 'acme-apps',
        region: 'europe-west2',
        serviceId: 'hello',
        name: HELLO,
      },
    ]);
  });

  it('parses several services with whitespace and drops duplicates', () => {
    expect(
      parseCloudRunServiceAnnotation(
        ` ${HELLO} ,\n  ${HELLO_US}, ${HELLO}`,
      ).map(ref => ref.name),
    ).toEqual([HELLO, HELLO_US]);
  });

  it('accepts the longest valid ids', () => {
    const project = `a${'b'.repeat(28)}c`;
    const service = `s${'x'.repeat(47)}9`;
    expect(
      parseCloudRunServiceAnnotation(
        `projects/${project}/locations/northamerica-northeast1/services/${service}`,
      )[0],
    ).toMatchObject({ projectId: project, serviceId: service });
  });

  it.each([
    [
      'services/hello',
      'Invalid google.com/cloud-run-service entry "services/hello": expected projects/<project-id>/locations/<region>/services/<service-id>',
    ],
    [
      'projects/acme-apps/regions/europe-west2/services/hello',
      'expected projects/<project-id>/locations/<region>/services/<service-id>',
    ],
    [
      'projects/Acme-apps/locations/europe-west2/services/hello',
      'project id "Acme-apps" must be 6-30 lowercase letters',
    ],
    [
      'projects/acme/locations/europe-west2/services/hello',
      'project id "acme" must be',
    ],
    [
      'projects/acme-apps-/locations/europe-west2/services/hello',
      'project id "acme-apps-" must be',
    ],
    [
      'projects/acme-apps/locations/europe/services/hello',
      'region "europe" must be a Cloud Run region',
    ],
    [
      'projects/acme-apps/locations/europe-west2/services/Hello',
      'service id "Hello" must be at most 49',
    ],
    [
      `projects/acme-apps/locations/europe-west2/services/s${'x'.repeat(49)}`,
      'service id',
    ],
    [
      'projects/acme-apps/locations/europe-west2/services/hello-',
      'service id "hello-" must be',
    ],
    [
      'projects/acme-apps/locations/europe-west2/services/hello/extra',
      'expected projects/<project-id>',
    ],
  ])('rejects %s', (value, message) => {
    expect(() => parseCloudRunServiceAnnotation(value)).toThrow(message);
  });

  it('rejects empty values and empty entries', () => {
    expect(() => parseCloudRunServiceAnnotation('  ')).toThrow(
      'Invalid google.com/cloud-run-service: the value is empty',
    );
    expect(() =>
      parseCloudRunServiceAnnotation(`${HELLO},,${HELLO_US}`),
    ).toThrow('entry 2 is empty');
  });
});

describe('isCloudRunIapAvailable', () => {
  it('is true when the annotation has a value', () => {
    expect(
      isCloudRunIapAvailable(entity({ [CLOUD_RUN_SERVICE_ANNOTATION]: HELLO })),
    ).toBe(true);
  });

  it('is false without the annotation or with a blank one', () => {
    expect(isCloudRunIapAvailable(entity())).toBe(false);
    expect(
      isCloudRunIapAvailable(entity({ [CLOUD_RUN_SERVICE_ANNOTATION]: ' ' })),
    ).toBe(false);
  });
});

describe('getCloudRunServiceRefs', () => {
  it('returns the parsed services, or none', () => {
    expect(
      getCloudRunServiceRefs(
        entity({ [CLOUD_RUN_SERVICE_ANNOTATION]: `${HELLO},${HELLO_US}` }),
      ),
    ).toHaveLength(2);
    expect(getCloudRunServiceRefs(entity())).toEqual([]);
  });
});
