import { Entity } from '@backstage/catalog-model';
import { parseCloudRunServiceAnnotation } from '@internal-apps/plugin-cloud-run-iap-common';
import { ServiceLinks, linkFactsOf } from './ServiceLinks';

const [ref] = parseCloudRunServiceAnnotation(
  'projects/acme-internal-apps/locations/europe-west2/services/payroll',
);

function component(name: string, owner?: string, namespace?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

describe('ServiceLinks', () => {
  const none = ServiceLinks.fromConfig([]);

  it('links a service to the entity its entity-ref annotation names, compared normalized', () => {
    const facts = linkFactsOf({
      annotations: { 'backstage.io/entity-ref': 'Component:Default/Payroll' },
    });
    expect(none.isLinked(component('payroll'), ref, facts)).toBe(true);
    expect(
      none.isLinked(component('payroll', 'team-a', 'other'), ref, facts),
    ).toBe(false);
    expect(none.isLinked(component('payroll-copy'), ref, facts)).toBe(false);
  });

  it('links nothing from an annotation without a kind, or a service it could not read', () => {
    const facts = linkFactsOf({
      annotations: { 'backstage.io/entity-ref': 'payroll' },
    });
    expect(none.isLinked(component('payroll'), ref, facts)).toBe(false);
    expect(none.isLinked(component('payroll'), ref, undefined)).toBe(false);
    expect(none.isLinked(component('payroll'), ref, linkFactsOf({}))).toBe(
      false,
    );
  });

  it('needs the recorded owner group to own the entity (bare owner names are groups)', () => {
    const facts = linkFactsOf({
      annotations: {
        'backstage.io/entity-ref': 'component:default/payroll',
        'backstage.io/owner-group': 'group:default/team-a',
      },
    });
    expect(none.isLinked(component('payroll', 'team-a'), ref, facts)).toBe(
      true,
    );
    expect(
      none.isLinked(component('payroll', 'group:default/team-a'), ref, facts),
    ).toBe(true);
    expect(none.isLinked(component('payroll', 'team-b'), ref, facts)).toBe(
      false,
    );
    expect(none.isLinked(component('payroll'), ref, facts)).toBe(false);
    const malformed = linkFactsOf({
      annotations: {
        'backstage.io/entity-ref': 'component:default/payroll',
        'backstage.io/owner-group': '',
      },
    });
    expect(none.isLinked(component('payroll', 'team-a'), ref, malformed)).toBe(
      false,
    );
  });

  it('links the pairs config lists, still under the recorded owner group', () => {
    const links = ServiceLinks.fromConfig([
      { service: ref.name, entityRef: 'component:default/payroll' },
    ]);
    expect(links.isLinked(component('payroll'), ref, undefined)).toBe(true);
    expect(links.isLinked(component('other'), ref, undefined)).toBe(false);
    expect(
      links.isLinked(
        component('payroll', 'team-b'),
        ref,
        linkFactsOf({
          annotations: { 'backstage.io/owner-group': 'group:default/team-a' },
        }),
      ),
    ).toBe(false);
  });

  it('answers not-linked with the command that links the service, from what the caller sent only', () => {
    expect(none.notLinked(component('payroll', 'team-a'), ref)).toEqual({
      ref,
      resourceName: ref.name,
      reason: 'not-linked',
      message: expect.stringContaining(
        'gcloud run services update payroll --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/payroll,backstage.io/owner-group=group:default/team-a',
      ),
      linkCommand:
        'gcloud run services update payroll --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/payroll,backstage.io/owner-group=group:default/team-a',
    });
    expect(
      none.notLinked(component('payroll', 'user:default/ada'), ref).linkCommand,
    ).toBe(
      'gcloud run services update payroll --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/payroll',
    );
  });

  it('says why an entity may not act for a service: not linked, or another owner recorded', () => {
    const named = linkFactsOf({
      annotations: {
        'backstage.io/entity-ref': 'component:default/payroll',
        'backstage.io/owner-group': 'group:default/team-a',
      },
    });
    expect(
      none.whyNotLinked(component('payroll', 'team-a'), ref, named),
    ).toBeUndefined();
    expect(
      none.whyNotLinked(component('payroll', 'team-b'), ref, named),
    ).toMatch(
      /^component:default\/payroll is owned by group:default\/team-b in the catalog, but .*payroll records "group:default\/team-a" as its owner \(backstage.io\/owner-group\).*gcloud run services update payroll/,
    );
    expect(
      none.whyNotLinked(component('other', 'team-a'), ref, linkFactsOf({})),
    ).toMatch(/^projects\/.*payroll is not linked to component:default\/other/);
  });
});
