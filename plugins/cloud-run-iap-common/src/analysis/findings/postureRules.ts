import {
  addToPerimeterCommand,
  enforceDryRunPerimeterCommand,
  setServiceAccountCommand,
  showIapSettingsCommand,
} from '../gcloud';
import { isComputeDefaultServiceAccount } from '../serviceFacts';
import { FindingRule, listOf } from './types';

/** NOT_IN_PERIMETER: the project is in no enforced VPC-SC perimeter restricting Cloud Run. */
export const notInPerimeter: FindingRule = facts => {
  if (facts.perimeter.inPerimeter !== false) {
    return undefined;
  }
  const dryRun = facts.perimeter.perimeters.find(
    p => p.dryRun && p.restrictsRun,
  );
  const notRestricting = facts.perimeter.perimeters.find(
    p => !p.dryRun && !p.restrictsRun,
  );
  let command: string;
  let text: string;
  if (dryRun) {
    text = `Enforce the dry-run perimeter ${dryRun.name} once its violations are reviewed.`;
    command = enforceDryRunPerimeterCommand(dryRun.name);
  } else if (notRestricting) {
    text = `Add run.googleapis.com to the restricted services of ${notRestricting.name}.`;
    command = addToPerimeterCommand(notRestricting.name, facts.projectNumber);
  } else {
    text =
      'Add the project to a service perimeter that restricts run.googleapis.com (dry-run first).';
    command = addToPerimeterCommand(
      'accessPolicies/POLICY_NUMBER/servicePerimeters/PERIMETER_NAME',
      facts.projectNumber,
    );
  }
  return {
    id: 'NOT_IN_PERIMETER',
    severity: 'low',
    title: 'Not in a VPC Service Controls perimeter',
    what: `Project ${facts.projectId} (projects/${
      facts.projectNumber
    }) is in no enforced perimeter that restricts run.googleapis.com${
      dryRun ? ` (only in the dry-run configuration of ${dryRun.name})` : ''
    }.`,
    why: 'A perimeter that restricts run.googleapis.com guards both the Cloud Run admin API and invocations of the service (its run.app URL and custom domains): requests from outside the perimeter are refused even with valid credentials, so a stolen account alone can neither reach the app from an untrusted network nor reconfigure the service or its IAM.',
    fix: { text, command },
  };
};

function dedicatedServiceAccount(facts: Parameters<FindingRule>[0]): string {
  let accountId = `${facts.ref.serviceId}-runtime`.slice(0, 30);
  while (accountId.endsWith('-')) {
    accountId = accountId.slice(0, -1);
  }
  return `${accountId}@${facts.projectId}.iam.gserviceaccount.com`;
}

/** DEFAULT_COMPUTE_SERVICE_ACCOUNT: the runtime identity is the Compute default service account. */
export const defaultComputeServiceAccount: FindingRule = facts => {
  const account = facts.runtimeServiceAccount;
  if (!account || !isComputeDefaultServiceAccount(account)) {
    return undefined;
  }
  const dedicated = dedicatedServiceAccount(facts);
  return {
    id: 'DEFAULT_COMPUTE_SERVICE_ACCOUNT',
    severity: 'low',
    title: 'Runs as the Compute default service account',
    what: `The service runs as ${account}.`,
    why: 'The default service account is shared by every workload of the project and often holds Editor, so a compromise of this app reaches the whole project.',
    fix: {
      text: 'Create a dedicated service account with only the roles the app needs and run the service as it.',
      command: [
        `gcloud iam service-accounts create ${
          dedicated.split('@')[0]
        } --project=${facts.projectId}`,
        setServiceAccountCommand(facts.ref, dedicated),
      ].join('\n'),
    },
    subjects: [account],
  };
};

/** PROGRAMMATIC_CLIENTS: OAuth clients are allowlisted for programmatic access (informational). */
export const programmaticClients: FindingRule = facts => {
  const clients = facts.iapSettings.programmaticClients;
  if (clients.length === 0) {
    return undefined;
  }
  return {
    id: 'PROGRAMMATIC_CLIENTS',
    severity: 'info',
    title: 'Programmatic OAuth clients allowlisted',
    what: `${listOf(clients)} may call the app programmatically through IAP.`,
    why: 'Any holder of a token minted for an allowlisted client, with an accessor grant, reaches the app without a browser sign-in; unused clients widen that path.',
    fix: {
      text: 'Review the allowlisted clients and remove those no longer needed (gcloud iap settings set).',
      command: showIapSettingsCommand(facts.ref),
    },
    subjects: clients,
  };
};
