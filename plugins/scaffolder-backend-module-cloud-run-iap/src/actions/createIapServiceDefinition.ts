import {
  CREATED_BY_TASK_ANNOTATION,
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  OWNER_GROUP_ANNOTATION,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { RunService } from '@internal-apps/plugin-cloud-run-iap-node';
import {
  EnvValue,
  INGRESS_VALUES,
  ParsedCreateIapServiceInput,
} from './createIapServiceInput';

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
  input: ParsedCreateIapServiceInput,
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
  const env = Object.entries(input.env)
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
    ingress: INGRESS_VALUES[input.ingress],
    ...(input.launchStage ? { launchStage: input.launchStage } : {}),
    iapEnabled: true,
    template: {
      serviceAccount: recorded.serviceAccount,
      ...(Object.keys(scaling).length > 0 ? { scaling } : {}),
      containers: [
        {
          image: input.image,
          ports: [{ containerPort: input.port }],
          ...(env.length > 0 ? { env } : {}),
          ...(Object.keys(limits).length > 0 ? { resources: { limits } } : {}),
        },
      ],
    },
  };
}
