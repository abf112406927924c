import {
  CLOUD_RUN_REGION_PATTERN,
  PROJECT_ID_PATTERN,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { addIssue, z } from './inputSchemas';
import {
  ProjectsConfig,
  projectNotAllowedProblem,
  regionNotAllowedProblem,
  ServiceTarget,
} from './validation';

/**
 * Refuses a project that `cloudRunIap.projects` does not list, or a region it does not allow
 * for that project. Ids the schema already refused are skipped, so each field gets one issue.
 */
export function addAllowedTargetIssues(
  ctx: z.RefinementCtx,
  target: Pick<ServiceTarget, 'projectId' | 'region' | 'serviceId'>,
  config: ProjectsConfig,
  fields = { projectId: 'projectId', region: 'region' },
) {
  if (!PROJECT_ID_PATTERN.test(target.projectId)) return;
  const projectProblem = projectNotAllowedProblem(target.projectId, config);
  addIssue(ctx, fields.projectId, projectProblem);
  if (!projectProblem && CLOUD_RUN_REGION_PATTERN.test(target.region)) {
    addIssue(
      ctx,
      fields.region,
      regionNotAllowedProblem(target.region, target.projectId, config),
    );
  }
}
