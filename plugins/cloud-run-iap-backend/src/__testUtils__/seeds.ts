import {
  Seed,
  demoSeedPath,
  loadSeedFile,
} from '@internal-apps/google-cloud-fake';
import {
  ENTITY_REF_ANNOTATION,
  OWNER_GROUP_ANNOTATION,
} from '@internal-apps/plugin-cloud-run-iap-common';

/** What a test service names: its entity and, optionally, the owning group. */
export interface ServiceLink {
  entityRef: string;
  ownerGroup?: string;
}

/**
 * The demo seed, with each service's `backstage.io/entity-ref` and `backstage.io/owner-group`
 * annotations set by `link` (removed where it answers undefined), as someone with rights on
 * the services would set them with `gcloud run services update --update-annotations`.
 */
export function demoSeedLinkedTo(
  link: (service: {
    projectId: string;
    region: string;
    id: string;
  }) => ServiceLink | undefined,
): Seed {
  const seed = loadSeedFile(demoSeedPath);
  for (const project of seed.projects) {
    for (const service of project.services ?? []) {
      const annotations: Record<string, string> = {
        ...(service.annotations ?? {}),
      };
      delete annotations[ENTITY_REF_ANNOTATION];
      delete annotations[OWNER_GROUP_ANNOTATION];
      const linked = link({
        projectId: project.id,
        region: service.region,
        id: service.id,
      });
      if (linked) {
        annotations[ENTITY_REF_ANNOTATION] = linked.entityRef;
        if (linked.ownerGroup) {
          annotations[OWNER_GROUP_ANNOTATION] = linked.ownerGroup;
        }
      }
      service.annotations = annotations;
    }
  }
  return seed;
}
