import { Entity } from '@backstage/catalog-model';
import {
  DeclaredLevelsContext,
  IAP_ACCESS_LEVELS_ANNOTATION,
  MemberPolicy,
  ServiceAccessReport,
  parseDeclaredAccess,
  withDeclaredAccess,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { GoogleAccessData } from './GoogleAccessData';
import { describeForUser } from './googleErrors';

/**
 * The entity's declared access (its `google.com/iap-accessors` and `google.com/iap-access-levels`
 * annotations) compared with one service's report. Judged on every request, from the entity as
 * the caller loaded it, so a merged pull request shows without waiting for the report's cache.
 * Declared levels resolve against the organisation's access policy (read once per TTL, shared).
 */
export class DeclaredAccessData {
  readonly #data: GoogleAccessData;
  readonly #members: MemberPolicy;

  constructor(options: { data: GoogleAccessData; members: MemberPolicy }) {
    this.#data = options.data;
    this.#members = options.members;
  }

  async compare(
    entity: Entity,
    report: ServiceAccessReport,
    options: { signal?: AbortSignal } = {},
  ): Promise<ServiceAccessReport> {
    const annotations = entity.metadata.annotations;
    const levels =
      annotations?.[IAP_ACCESS_LEVELS_ANNOTATION] === undefined
        ? {}
        : await this.#levels(report.projectId, options.signal);
    return withDeclaredAccess(
      report,
      parseDeclaredAccess(annotations, this.#members, levels),
    );
  }

  async #levels(
    projectId: string,
    signal: AbortSignal | undefined,
  ): Promise<DeclaredLevelsContext> {
    try {
      const project = await this.#data.project(projectId, { signal });
      const policies = await this.#data.organizationAccessPolicies(
        project.organizationId,
        { signal },
      );
      return {
        organizationPolicy: policies.organizationPolicy,
        scopedPolicies: policies.scopedPolicies,
      };
    } catch (error) {
      // The report itself was served: an unreadable policy leaves short level names unresolved.
      return { organizationPolicy: { error: describeForUser(error) } };
    }
  }
}
