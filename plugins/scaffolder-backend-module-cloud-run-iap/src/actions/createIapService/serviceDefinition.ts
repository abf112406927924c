import {
  CREATED_BY_TASK_ANNOTATION,
  ENTITY_REF_ANNOTATION,
  grantableMembersProblems,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MemberPolicy,
  OWNER_GROUP_ANNOTATION,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { configuredAccountProblem } from '../../lib/runtimeIdentity';
import { secretProjectProblems } from '../../lib/secrets';
import type { RunService } from '@internal-apps/plugin-cloud-run-iap-node';
import {
  addTargetProblems,
  cpuProblem,
  descriptionProblem,
  entityRefProblem,
  envProblems,
  EnvValue,
  imageReferenceProblem,
  imageRegistryProblem,
  InputProblems,
  instanceCountProblem,
  labelProblems,
  memoryProblem,
  portProblem,
  serviceAccountEmailProblem,
  accessLevelReferenceProblem,
} from '../../lib/validation';
import type { CloudRunIapConfig } from '@internal-apps/plugin-cloud-run-iap-node';

export const INGRESS_VALUES = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
} as const;
export type Ingress = keyof typeof INGRESS_VALUES;

/** The create action's input as the handler receives it (defaults not yet applied). */
export interface CreateIapServiceInput {
  projectId: string;
  region: string;
  serviceId: string;
  image: string;
  port?: number;
  serviceAccount?: string;
  env?: Record<string, EnvValue>;
  cpu?: string;
  memory?: string;
  minInstances?: number;
  maxInstances?: number;
  ingress?: Ingress;
  labels?: Record<string, string>;
  accessors?: string[];
  accessLevels?: string[];
  description?: string;
  waitForReady?: boolean;
  entityRef?: string;
  /** The owning group, one of the initiator's groups: recorded on the service. */
  owner: string;
  launchStage?: 'GA' | 'BETA';
}

/** Every rule the create input must meet that needs no Google call. */
export function createInputProblems(
  input: CreateIapServiceInput,
  config: Pick<CloudRunIapConfig, 'projects' | 'images'>,
  members: MemberPolicy,
  owner: { explicit?: string; fromTemplate?: string },
  ownerGroupProblem: (owner: string) => string | undefined,
): InputProblems {
  const problems = new InputProblems();
  const str = (v: unknown) => typeof v === 'string';
  for (const field of [
    'projectId',
    'region',
    'serviceId',
    'image',
    'owner',
  ] as const) {
    if (!str(input[field])) problems.add(field, 'is required (a string)');
  }
  if (problems.list.length > 0) return problems;
  addTargetProblems(problems, input, config);
  problems.add('owner', ownerGroupProblem(input.owner));
  problems.add(
    'image',
    imageReferenceProblem(input.image) ??
      imageRegistryProblem(input.image, config.images.allowedRegistries),
  );
  if (input.port !== undefined) problems.add('port', portProblem(input.port));
  if (input.serviceAccount !== undefined) {
    problems.add(
      'serviceAccount',
      serviceAccountEmailProblem(input.serviceAccount) ??
        configuredAccountProblem(
          input.serviceAccount,
          config.projects.find(p => p.id === input.projectId),
        ),
    );
  }
  if (input.cpu !== undefined) problems.add('cpu', cpuProblem(input.cpu));
  if (input.memory !== undefined) {
    problems.add('memory', memoryProblem(input.memory));
  }
  if (input.minInstances !== undefined) {
    problems.add('minInstances', instanceCountProblem(input.minInstances, 0));
  }
  if (input.maxInstances !== undefined) {
    problems.add('maxInstances', instanceCountProblem(input.maxInstances, 1));
  }
  if (
    input.minInstances !== undefined &&
    input.maxInstances !== undefined &&
    input.minInstances > input.maxInstances
  ) {
    problems.add(
      'minInstances',
      `must not exceed maxInstances (${input.minInstances} > ${input.maxInstances})`,
    );
  }
  if (input.ingress !== undefined && !(input.ingress in INGRESS_VALUES)) {
    problems.add(
      'ingress',
      `must be one of ${Object.keys(INGRESS_VALUES).join(
        ', ',
      )} (got ${JSON.stringify(input.ingress)})`,
    );
  }
  if (input.description !== undefined) {
    problems.add('description', descriptionProblem(input.description));
  }
  if (
    input.launchStage !== undefined &&
    !['GA', 'BETA'].includes(input.launchStage)
  ) {
    problems.add(
      'launchStage',
      `must be GA or BETA (got ${JSON.stringify(input.launchStage)})`,
    );
  }
  for (const [field, problem] of labelProblems(input.labels ?? {})) {
    problems.add(field, problem);
  }
  for (const [field, problem] of envProblems(input.env ?? {})) {
    problems.add(field, problem);
  }
  for (const [field, problem] of secretProjectProblems(
    input.env ?? {},
    input.projectId,
  )) {
    problems.add(field, problem);
  }
  for (const [field, problem] of grantableMembersProblems(
    'accessors',
    input.accessors ?? [],
    members,
  )) {
    problems.add(field, problem);
  }
  (input.accessLevels ?? []).forEach((level, i) =>
    problems.add(`accessLevels[${i}]`, accessLevelReferenceProblem(level)),
  );
  if (owner.explicit !== undefined) {
    problems.add('entityRef', entityRefProblem(owner.explicit));
  } else if (!owner.fromTemplate) {
    problems.add(
      'entityRef',
      'is required when the task carries no template entity ref',
    );
  }
  return problems;
}

function envVar(name: string, value: EnvValue) {
  if (typeof value === 'string') return { name, value };
  return {
    name,
    valueSource: {
      secretKeyRef: {
        secret: value.secret,
        version: value.version ?? 'latest',
      },
    },
  };
}

/** The Run v2 Service to create: IAP on, our label and owner annotations, the container. */
export function serviceDefinition(
  input: CreateIapServiceInput,
  recorded: {
    entityRef: string;
    ownerGroup: string;
    taskId: string;
    serviceAccount: string;
  },
): RunService {
  const limits: Record<string, string> = {};
  if (input.cpu) limits.cpu = input.cpu;
  if (input.memory) limits.memory = input.memory;
  const scaling: Record<string, number> = {};
  if (input.minInstances !== undefined) {
    scaling.minInstanceCount = input.minInstances;
  }
  if (input.maxInstances !== undefined) {
    scaling.maxInstanceCount = input.maxInstances;
  }
  const env = Object.entries(input.env ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => envVar(name, value));
  return {
    ...(input.description ? { description: input.description } : {}),
    labels: { ...input.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    annotations: {
      [ENTITY_REF_ANNOTATION]: recorded.entityRef,
      [OWNER_GROUP_ANNOTATION]: recorded.ownerGroup,
      [CREATED_BY_TASK_ANNOTATION]: recorded.taskId,
    },
    ingress: INGRESS_VALUES[input.ingress ?? 'all'],
    ...(input.launchStage ? { launchStage: input.launchStage } : {}),
    iapEnabled: true,
    template: {
      serviceAccount: recorded.serviceAccount,
      ...(Object.keys(scaling).length > 0 ? { scaling } : {}),
      containers: [
        {
          image: input.image,
          ports: [{ containerPort: input.port ?? 8080 }],
          ...(env.length > 0 ? { env } : {}),
          ...(Object.keys(limits).length > 0 ? { resources: { limits } } : {}),
        },
      ],
    },
  };
}
