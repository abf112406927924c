import { FindingRule } from './types';
import {
  createIapServiceAgentCommand,
  enableIapCommand,
  enableInvokerCheckCommand,
  grantIapAgentInvokerCommand,
  removeInvokerGrantCommand,
  removeRunInvokerCommand,
} from '../gcloud';
import { commands, listOf } from './types';

/** IAP_DISABLED: `iapEnabled` is false (critical on a service the portal manages). */
export const iapDisabled: FindingRule = (facts, options) =>
  facts.iapEnabled
    ? undefined
    : {
        id: 'IAP_DISABLED',
        severity: options.managed ? 'critical' : 'high',
        title: 'IAP is off',
        what: `Identity-Aware Proxy is disabled on ${facts.resourceName}.`,
        why: `${
          options.managed
            ? 'The portal created this service to sit behind IAP. '
            : ''
        }Without IAP nobody's identity or access level is checked before the app: who can call it depends only on Cloud Run IAM and ingress, and the IAP accessor grants have no effect.`,
        fix: {
          text: 'Turn IAP on for the service; the IAP service agent must also hold roles/run.invoker.',
          command: commands([
            enableIapCommand(facts.ref),
            ...(facts.runInvoker.iapAgentIsInvoker === true
              ? []
              : [grantIapAgentInvokerCommand(facts.ref, facts.projectNumber)]),
          ]),
        },
      };

/** PUBLIC_INVOKER: `allUsers`/`allAuthenticatedUsers` hold a role carrying `run.routes.invoke`, on the service or above. */
export const publicInvoker: FindingRule = facts => {
  const publicMembers = facts.runInvoker.publicMembers;
  if (publicMembers.length === 0) {
    return undefined;
  }
  const grants = facts.runInvoker.publicInvokers ?? [];
  const described =
    grants.length > 0
      ? grants.map(
          grant =>
            `${grant.member} (${grant.role} on ${
              grant.level === 'service' ? 'the service' : grant.resource
            })`,
        )
      : publicMembers.map(
          member => `${member} (roles/run.invoker on the service)`,
        );
  return {
    id: 'PUBLIC_INVOKER',
    severity: facts.iapEnabled ? 'high' : 'critical',
    title: 'Public Cloud Run invoker binding',
    what: `${listOf(
      described,
    )}: a role carrying run.routes.invoke lets anyone call the service.`,
    why: facts.iapEnabled
      ? 'IAP still checks every request today, but the binding is fragile: turning IAP off (one flag) makes the app public at once. With direct IAP only the IAP service agent needs roles/run.invoker.'
      : 'IAP is off, so anyone allowed by this binding can call the service right now.',
    fix: {
      text: 'Remove the public invoker binding; keep roles/run.invoker for the IAP service agent only.',
      command: commands(
        grants.length > 0
          ? grants.map(grant => removeInvokerGrantCommand(facts.ref, grant))
          : publicMembers.map(member =>
              removeRunInvokerCommand(facts.ref, member),
            ),
      ),
    },
    subjects: publicMembers,
  };
};

/** INVOKER_CHECK_DISABLED: `invokerIamDisabled` is true. */
export const invokerCheckDisabled: FindingRule = facts =>
  facts.invokerIamDisabled
    ? {
        id: 'INVOKER_CHECK_DISABLED',
        severity: facts.iapEnabled ? 'high' : 'critical',
        title: 'Cloud Run invoker check disabled',
        what: 'The Cloud Run invoker IAM check is disabled (invokerIamDisabled is true).',
        why: facts.iapEnabled
          ? 'IAP still gates requests, but the service has no second line of defence: turning IAP off makes it public to anyone who can reach its URL.'
          : 'IAP is off, so the service is open to anyone who can reach its URL.',
        fix: {
          text: 'Make sure the IAP service agent holds roles/run.invoker, then turn the invoker check back on.',
          command: commands([
            ...(facts.runInvoker.iapAgentIsInvoker === true
              ? []
              : [grantIapAgentInvokerCommand(facts.ref, facts.projectNumber)]),
            enableInvokerCheckCommand(facts.ref),
          ]),
        },
      }
    : undefined;

/** IAP_AGENT_NOT_INVOKER: IAP on, invoker check on, and the IAP service agent lacks `roles/run.invoker`. */
export const iapAgentNotInvoker: FindingRule = facts =>
  facts.iapEnabled &&
  !facts.invokerIamDisabled &&
  facts.runInvoker.iapAgentIsInvoker === false
    ? {
        id: 'IAP_AGENT_NOT_INVOKER',
        severity: 'high',
        title: 'IAP service agent cannot invoke the service',
        what: `${facts.runInvoker.iapServiceAgent} does not hold roles/run.invoker on the service.`,
        why: 'After admitting a user, IAP calls Cloud Run as its service agent. Without the role every request fails and users see "IAP for Cloud Run app is not set up correctly", which tempts people to add allUsers as invoker.',
        fix: {
          text: 'Make sure the IAP service agent exists, then grant it roles/run.invoker on the service.',
          command: commands([
            createIapServiceAgentCommand(facts.ref),
            grantIapAgentInvokerCommand(facts.ref, facts.projectNumber),
          ]),
        },
        subjects: [facts.runInvoker.iapServiceAgent],
      }
    : undefined;
