import { Entity } from '@backstage/catalog-model';
import { cloudRunServiceRef } from './annotation';
import {
  serviceLinkCommand,
  UNOWNED_SERVICES_CATALOG_FILTER,
  unownedServiceOf,
} from './unownedServices';

const ref = cloudRunServiceRef('acme-internal-apps', 'europe-west2', 'wiki');

function resource(labels: Record<string, string>, type = 'cloud-run-service') {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'wiki.europe-west2.acme-internal-apps',
      labels,
      annotations: {
        'google.com/cloud-run-discovered-service': ref.name,
        'google.com/cloud-run-url': 'https://wiki-x.a.run.app',
      },
    },
    spec: { type, owner: 'group:default/platform-team' },
  } as Entity;
}

describe('serviceLinkCommand', () => {
  it('writes the entity ref, and the owner group when given', () => {
    expect(serviceLinkCommand(ref, 'component:default/wiki')).toBe(
      'gcloud run services update wiki --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/wiki',
    );
    expect(
      serviceLinkCommand(ref, 'component:default/wiki', 'group:default/team-a'),
    ).toMatch(
      /--update-annotations=backstage\.io\/entity-ref=component:default\/wiki,backstage\.io\/owner-group=group:default\/team-a$/,
    );
  });
});

describe('unownedServiceOf', () => {
  it('lists a service linked to no entity, with the command that links it', () => {
    expect(
      unownedServiceOf(
        resource({
          'google.com/cloud-run-linked': 'false',
          'google.com/cloud-run-iap-enabled': 'true',
        }),
      ),
    ).toEqual({
      entityRef: 'resource:default/wiki.europe-west2.acme-internal-apps',
      service: ref,
      owner: 'group:default/platform-team',
      url: 'https://wiki-x.a.run.app',
      reasons: ['not-linked'],
      linkCommand:
        'gcloud run services update wiki --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/APP,backstage.io/owner-group=group:default/TEAM',
    });
  });

  it('lists a linked service with IAP off, with the command that turns IAP on and no link command', () => {
    const row = unownedServiceOf(
      resource({
        'google.com/cloud-run-linked': 'true',
        'google.com/cloud-run-iap-enabled': 'false',
      }),
    );
    expect(row?.reasons).toEqual(['iap-off']);
    expect(row?.enableIapCommand).toBe(
      'gcloud run services update wiki --region=europe-west2 --project=acme-internal-apps --iap',
    );
    expect(row).not.toHaveProperty('linkCommand');
  });

  it('leaves out linked services with IAP on, and entities discovery did not make', () => {
    const linked = {
      'google.com/cloud-run-linked': 'true',
      'google.com/cloud-run-iap-enabled': 'true',
    };
    expect(unownedServiceOf(resource(linked))).toBeUndefined();
    expect(unownedServiceOf(resource({}, 'database'))).toBeUndefined();
    const malformed = resource({});
    malformed.metadata.annotations!['google.com/cloud-run-discovered-service'] =
      'nope';
    expect(unownedServiceOf(malformed)).toBeUndefined();
  });

  it('finds both reasons with the catalog filters', () => {
    expect(UNOWNED_SERVICES_CATALOG_FILTER).toEqual([
      {
        kind: 'resource',
        'spec.type': 'cloud-run-service',
        'metadata.labels.google.com/cloud-run-linked': 'false',
      },
      {
        kind: 'resource',
        'spec.type': 'cloud-run-service',
        'metadata.labels.google.com/cloud-run-iap-enabled': 'false',
      },
    ]);
  });
});
