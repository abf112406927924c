import { makeValidator } from '@backstage/catalog-model';
import { cloudRunServiceRef } from '@internal-apps/plugin-cloud-run-iap-common';
import {
  cloudRunServiceEntity,
  cloudRunServiceEntityName,
} from './serviceEntity';

const options = {
  unownedOwner: 'group:default/platform-team',
  configuredLinks: [],
  location: 'cloud-run-iap:projects/acme-internal-apps',
};

describe('cloudRunServiceEntityName', () => {
  it('names a service <service>.<region>.<project> when that fits', () => {
    expect(
      cloudRunServiceEntityName(
        cloudRunServiceRef('acme-internal-apps', 'europe-west2', 'hr-portal'),
      ),
    ).toBe('hr-portal.europe-west2.acme-internal-apps');
  });

  it('keeps long names valid, at most 63 characters and distinct', () => {
    const project = 'a-very-long-project-id-ab-cd-e';
    const service = `s${'x'.repeat(47)}`;
    const names = [
      cloudRunServiceRef(project, 'northamerica-northeast1', service),
      cloudRunServiceRef(project, 'northamerica-northeast2', service),
      cloudRunServiceRef(project, 'northamerica-northeast1', `${service}y`),
      cloudRunServiceRef('acme-x1', 'us-central1', `a${'-'.repeat(52)}b`),
    ].map(cloudRunServiceEntityName);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(makeValidator().isValidEntityName(name)).toBe(true);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('cloudRunServiceEntity', () => {
  const ref = cloudRunServiceRef('acme-internal-apps', 'europe-west2', 'app');

  it('depends on the entity the service names and is owned by the group it records', () => {
    const entity = cloudRunServiceEntity(
      ref,
      {
        iapEnabled: true,
        uri: 'https://app-x.a.run.app',
        annotations: {
          'backstage.io/entity-ref': 'Component:default/App',
          'backstage.io/owner-group': 'team-a',
        },
      },
      { ...options, configuredLinks: ['component:default/app'] },
    );
    expect(entity.spec).toEqual({
      type: 'cloud-run-service',
      owner: 'group:default/team-a',
      dependencyOf: ['component:default/app'],
    });
    expect(entity.metadata.labels).toMatchObject({
      'google.com/cloud-run-linked': 'true',
      'google.com/cloud-run-iap-enabled': 'true',
    });
    expect(entity.metadata.links?.[0]).toEqual({
      url: 'https://app-x.a.run.app',
      title: 'Service URL',
    });
  });

  it('links nothing from malformed annotations, and the platform group owns what records no group', () => {
    const entity = cloudRunServiceEntity(
      ref,
      {
        annotations: {
          'backstage.io/entity-ref': 'app',
          'backstage.io/owner-group': 'user:default/ada',
        },
      },
      options,
    );
    expect(entity.spec).toEqual({
      type: 'cloud-run-service',
      owner: 'group:default/platform-team',
    });
    expect(entity.metadata.labels).toMatchObject({
      'google.com/cloud-run-linked': 'false',
      'google.com/cloud-run-iap-enabled': 'false',
    });
    expect(entity.metadata.annotations).not.toHaveProperty(
      'google.com/cloud-run-url',
    );
  });
});
