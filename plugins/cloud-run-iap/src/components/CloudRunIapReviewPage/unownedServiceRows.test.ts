import { Entity } from '@backstage/catalog-model';
import {
  unownedServiceRow,
  unownedServiceRows,
  unownedServicesFilter,
} from './unownedServiceRows';

const WIKI = 'projects/acme-legacy-apps/locations/europe-west2/services/wiki';

/** A Resource as discovery writes it. */
function discovered(
  name: string,
  service: string,
  labels: { linked: string; iap: string },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      annotations: {
        'google.com/cloud-run-discovered-service': service,
        'google.com/cloud-run-url': 'https://wiki-abc.a.run.app',
      },
      labels: {
        'google.com/cloud-run-linked': labels.linked,
        'google.com/cloud-run-iap-enabled': labels.iap,
      },
    },
    spec: { type: 'cloud-run-service', owner: 'group:default/platform-team' },
  };
}

const LINK_COMMAND =
  'gcloud run services update wiki --project=acme-legacy-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/APP,backstage.io/owner-group=group:default/TEAM';
const IAP_COMMAND =
  'gcloud run services update wiki --region=europe-west2 --project=acme-legacy-apps --iap';

describe('unownedServiceRow', () => {
  it('lists a service linked to nothing with IAP off, with both commands', () => {
    const row = unownedServiceRow(
      discovered('wiki', WIKI, { linked: 'false', iap: 'false' }),
    );
    expect(row).toEqual({
      id: 'resource:default/wiki',
      service: {
        projectId: 'acme-legacy-apps',
        region: 'europe-west2',
        serviceId: 'wiki',
        name: WIKI,
      },
      url: 'https://wiki-abc.a.run.app',
      reasons: ['iap-off', 'not-linked'],
      reasonText: 'IAP off, not linked',
      fixes: [
        { title: 'Turn IAP on', command: IAP_COMMAND },
        {
          title: 'Link the service to its component',
          placeholders: expect.stringContaining('Replace APP'),
          command: LINK_COMMAND,
        },
      ],
    });
  });

  it('gives a linked service with IAP off only the IAP command', () => {
    const row = unownedServiceRow(
      discovered('wiki', WIKI, { linked: 'true', iap: 'false' }),
    );
    expect(row?.reasonText).toBe('IAP off');
    expect(row?.fixes.map(f => f.command)).toEqual([IAP_COMMAND]);
  });

  it('gives a service linked to nothing with IAP on only the link command', () => {
    const row = unownedServiceRow(
      discovered('wiki', WIKI, { linked: 'false', iap: 'true' }),
    );
    expect(row?.reasonText).toBe('Not linked');
    expect(row?.fixes.map(f => f.command)).toEqual([LINK_COMMAND]);
  });

  it('lists nothing for a linked service with IAP on', () => {
    expect(
      unownedServiceRow(
        discovered('wiki', WIKI, { linked: 'true', iap: 'true' }),
      ),
    ).toBeUndefined();
  });

  it('names the annotation or label that is not as discovery writes it', () => {
    const noService = discovered('wiki', WIKI, {
      linked: 'false',
      iap: 'true',
    });
    delete noService.metadata.annotations![
      'google.com/cloud-run-discovered-service'
    ];
    expect(() => unownedServiceRow(noService)).toThrow(
      'annotation google.com/cloud-run-discovered-service is missing; it must name the service, projects/<project-id>/locations/<region>/services/<service-id>',
    );
    expect(() =>
      unownedServiceRow(
        discovered(
          'wiki',
          'projects/Acme/locations/europe-west2/services/wiki',
          {
            linked: 'false',
            iap: 'true',
          },
        ),
      ),
    ).toThrow(
      'annotation google.com/cloud-run-discovered-service "projects/Acme/locations/europe-west2/services/wiki" must be projects/<project-id>/locations/<region>/services/<service-id>, each part a valid Google Cloud name',
    );
    expect(() =>
      unownedServiceRow(
        discovered('wiki', WIKI, { linked: 'no', iap: 'true' }),
      ),
    ).toThrow(
      'label google.com/cloud-run-linked is "no"; it must be "true" or "false"',
    );
    const badUrl = discovered('wiki', WIKI, { linked: 'false', iap: 'true' });
    badUrl.metadata.annotations!['google.com/cloud-run-url'] =
      'data:text/html,hi';
    expect(() => unownedServiceRow(badUrl)).toThrow(
      'annotation google.com/cloud-run-url "data:text/html,hi" must be an https URL',
    );
  });
});

describe('unownedServiceRows', () => {
  it('sorts the rows by service name and keeps each unreadable entity with why', () => {
    const other =
      'projects/acme-internal-apps/locations/us-central1/services/legacy';
    const broken = discovered('broken', WIKI, { linked: 'false', iap: 'true' });
    delete broken.metadata.labels!['google.com/cloud-run-iap-enabled'];
    const { rows, unreadable } = unownedServiceRows([
      discovered('wiki', WIKI, { linked: 'false', iap: 'true' }),
      broken,
      discovered('legacy', other, { linked: 'true', iap: 'false' }),
    ]);
    expect(rows.map(r => r.service.name)).toEqual([other, WIKI]);
    expect(unreadable).toEqual([
      {
        entityRef: 'resource:default/broken',
        message:
          'label google.com/cloud-run-iap-enabled is missing; it must be "true" or "false"',
      },
    ]);
  });
});

describe('unownedServicesFilter', () => {
  it("adds the owner, as a full ref, to each of -common's filters", () => {
    const filter = unownedServicesFilter('platform-team');
    expect(filter).toHaveLength(2);
    for (const f of filter) {
      expect(f).toMatchObject({
        kind: 'resource',
        'spec.type': 'cloud-run-service',
        'spec.owner': 'group:default/platform-team',
      });
    }
    expect(filter[0]).toHaveProperty(
      ['metadata.labels.google.com/cloud-run-linked'],
      'false',
    );
    expect(filter[1]).toHaveProperty(
      ['metadata.labels.google.com/cloud-run-iap-enabled'],
      'false',
    );
  });
});
