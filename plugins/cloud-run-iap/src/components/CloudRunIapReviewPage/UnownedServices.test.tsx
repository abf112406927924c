import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UnownedServices } from './UnownedServices';

const PLATFORM = 'group:default/platform-team';

function discovered(
  service: string,
  region: string,
  labels: { linked: boolean; iap: boolean },
  owner = PLATFORM,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${service}.${region}.acme-legacy-apps`,
      annotations: {
        'google.com/cloud-run-discovered-service': `projects/acme-legacy-apps/locations/${region}/services/${service}`,
        'google.com/cloud-run-url': `https://${service}-abc.a.run.app`,
      },
      labels: {
        'google.com/cloud-run-linked': String(labels.linked),
        'google.com/cloud-run-iap-enabled': String(labels.iap),
      },
    },
    spec: { type: 'cloud-run-service', owner },
  };
}

function renderSection(catalogApi: ReturnType<typeof catalogApiMock>) {
  return renderInTestApp(<UnownedServices owner={PLATFORM} />, {
    apis: [catalogApi],
  });
}

function rowOf(service: string) {
  const table = screen.getByRole('grid', { name: 'Unowned services' });
  const cell = within(table).getByRole('rowheader', {
    name: new RegExp(`^${service}`),
  });
  return cell.closest('tr')!;
}

describe('UnownedServices', () => {
  it("lists the owner's services with IAP off or linked to nothing, why, and the commands", async () => {
    renderSection(
      catalogApiMock({
        entities: [
          discovered('wiki', 'europe-west2', { linked: false, iap: false }),
          discovered('legacy', 'us-central1', { linked: true, iap: false }),
          discovered('intranet', 'europe-west2', { linked: false, iap: true }),
          discovered('payroll', 'europe-west2', { linked: true, iap: true }),
          discovered(
            'team-app',
            'europe-west2',
            { linked: false, iap: false },
            'group:default/team-a',
          ),
        ],
      }),
    );
    const table = await screen.findByRole('grid', { name: 'Unowned services' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => within(r).getByRole('rowheader').textContent)).toEqual(
      [
        'intranethttps://intranet-abc.a.run.app',
        'wikihttps://wiki-abc.a.run.app',
        'legacyhttps://legacy-abc.a.run.app',
      ],
    );

    const wiki = rowOf('wiki');
    expect(wiki).toHaveTextContent('acme-legacy-apps');
    expect(wiki).toHaveTextContent('europe-west2');
    expect(wiki).toHaveTextContent('IAP off, not linked');
    expect(within(wiki).getByRole('link')).toHaveAttribute(
      'href',
      'https://wiki-abc.a.run.app',
    );
    expect(wiki).toHaveTextContent(
      'gcloud run services update wiki --region=europe-west2 --project=acme-legacy-apps --iap',
    );
    expect(wiki).toHaveTextContent(
      'gcloud run services update wiki --project=acme-legacy-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/APP,backstage.io/owner-group=group:default/TEAM',
    );
    expect(
      within(wiki).getByRole('button', {
        name: 'Copy the command for wiki: Turn IAP on',
      }),
    ).toBeInTheDocument();
    expect(
      within(wiki).getByRole('button', {
        name: 'Copy the command for wiki: Link the service to its component',
      }),
    ).toBeInTheDocument();

    const legacy = rowOf('legacy');
    expect(legacy).toHaveTextContent('IAP off');
    expect(legacy).not.toHaveTextContent('not linked');
    expect(legacy).not.toHaveTextContent('--update-annotations');

    const intranet = rowOf('intranet');
    expect(intranet).toHaveTextContent('Not linked');
    expect(intranet).not.toHaveTextContent('--iap');
  });

  it('asks the catalog for the owner’s discovered services by kind, type, owner and label', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntities: jest.fn(async () => ({ items: [] })),
    });
    renderSection(catalogApi);
    await screen.findByText('No unowned services.');
    const [request] = catalogApi.getEntities.mock.calls[0];
    expect(request?.filter).toEqual([
      {
        kind: 'resource',
        'spec.type': 'cloud-run-service',
        'spec.owner': PLATFORM,
        'metadata.labels.google.com/cloud-run-linked': 'false',
      },
      {
        kind: 'resource',
        'spec.type': 'cloud-run-service',
        'spec.owner': PLATFORM,
        'metadata.labels.google.com/cloud-run-iap-enabled': 'false',
      },
    ]);
  });

  it('says when the owner has none', async () => {
    renderSection(
      catalogApiMock({
        entities: [
          discovered('payroll', 'europe-west2', { linked: true, iap: true }),
        ],
      }),
    );
    expect(await screen.findByText('No unowned services.')).toBeInTheDocument();
    expect(
      screen.queryByRole('grid', { name: 'Unowned services' }),
    ).not.toBeInTheDocument();
  });

  it('lists an entity that is not as discovery writes it, with why', async () => {
    const broken = discovered('wiki', 'europe-west2', {
      linked: false,
      iap: true,
    });
    broken.metadata.annotations!['google.com/cloud-run-url'] = 'http://wiki';
    renderSection(catalogApiMock({ entities: [broken] }));
    expect(
      await screen.findByText(
        /resource:default\/wiki\.europe-west2\.acme-legacy-apps: annotation google\.com\/cloud-run-url "http:\/\/wiki" must be an https URL/,
      ),
    ).toBeInTheDocument();
  });

  it('says when the catalog cannot be read, and retries', async () => {
    const getEntities = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog is down'))
      .mockResolvedValue({
        items: [
          discovered('wiki', 'europe-west2', { linked: false, iap: true }),
        ],
      });
    renderSection(catalogApiMock.mock({ getEntities }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The unowned services could not be read from the catalog',
    );
    expect(alert).toHaveTextContent('catalog is down');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('grid', { name: 'Unowned services' }),
    ).toBeInTheDocument();
    expect(getEntities).toHaveBeenCalledTimes(2);
  });
});
