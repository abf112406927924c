import { AuditorService, AuthService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AccessReportService } from '../services/AccessReportService';
import { AccessRequestService } from '../services/AccessRequestService';
import { EntityAccessAuthorizer } from '../services/EntityAccessAuthorizer';
import { ReviewService } from '../services/ReviewService';
import { SimulationService } from '../services/SimulationService';
import { registerGetAppAccessAction } from './getAppAccessAction';
import { registerListAccessFindingsAction } from './listAccessFindingsAction';
import { registerRequestAppAccessAction } from './requestAppAccessAction';
import { registerSimulateAppAccessAction } from './simulateAppAccessAction';

/**
 * The plugin's answers for AI agents, in Backstage's actions registry (served over MCP by
 * `@backstage/plugin-mcp-actions-backend`). Each runs with its caller's credentials through the
 * same services, permissions and checks as its HTTP route.
 */
export function registerCloudRunIapActions(
  actionsRegistry: ActionsRegistryService,
  options: {
    auth: AuthService;
    auditor: AuditorService;
    /** The overall deadline of one report or review (`cloudRunIap.report.deadline`). */
    deadlineMs: number;
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
    simulations: SimulationService;
    reviews: ReviewService;
    accessRequests: AccessRequestService;
  },
) {
  registerGetAppAccessAction(actionsRegistry, options);
  registerSimulateAppAccessAction(actionsRegistry, options);
  registerListAccessFindingsAction(actionsRegistry, options);
  registerRequestAppAccessAction(actionsRegistry, options);
}
