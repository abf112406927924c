import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  normalizedEntityRef,
  PROJECT_ID_PATTERN,
} from '@internal-apps/plugin-cloud-run-iap-common';

const KEY = 'catalog.providers.cloudRunIap';

/**
 * `catalog.providers.cloudRunIap`, read once and validated.
 *
 * @public
 */
export interface CloudRunDiscoveryConfig {
  /** Project ids, each listed with one services.list call over `locations/-`. */
  projects: string[];
  /** When discovery runs (defaults filled in). */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** The full group ref owning every service that records no owner group. */
  unownedOwner: string;
}

const DEFAULT_SCHEDULE = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 10 },
};

/**
 * Reads `catalog.providers.cloudRunIap`, or undefined when it is absent (no discovery).
 * `cloudRunIapProjects` are the ids of `cloudRunIap.projects`, the default project list.
 *
 * @throws InputError naming the key at fault and the rule it breaks.
 * @public
 */
export function readCloudRunDiscoveryConfig(
  root: Config,
  cloudRunIapProjects: string[],
): CloudRunDiscoveryConfig | undefined {
  const config = root.getOptionalConfig(KEY);
  if (!config) return undefined;
  return {
    projects: readProjects(config, cloudRunIapProjects),
    schedule: readSchedule(config),
    unownedOwner: readUnownedOwner(config),
  };
}

function readProjects(config: Config, defaults: string[]): string[] {
  const projects = config.getOptionalStringArray('projects') ?? defaults;
  projects.forEach((project, i) => {
    if (!PROJECT_ID_PATTERN.test(project)) {
      throw new InputError(
        `${KEY}.projects[${i}] must be a Google Cloud project id (6-30 lower-case letters, digits or hyphens, starting with a letter), got ${JSON.stringify(
          project,
        )}`,
      );
    }
  });
  if (projects.length === 0) {
    throw new InputError(
      `${KEY}.projects is empty and cloudRunIap.projects lists no project: name at least one project to discover`,
    );
  }
  return [...new Set(projects)];
}

function readSchedule(config: Config): SchedulerServiceTaskScheduleDefinition {
  const given = config.getOptionalConfig('schedule')?.get<object>() ?? {};
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(
      new ConfigReader({ ...DEFAULT_SCHEDULE, ...given }),
    );
  } catch (error) {
    throw new InputError(
      `${KEY}.schedule must be a task schedule such as { frequency: { minutes: 30 }, timeout: { minutes: 10 } }: ${
        (error as Error).message
      }`,
    );
  }
}

function readUnownedOwner(config: Config): string {
  const text = config.getOptionalString('unownedOwner');
  const ref = normalizedEntityRef(text, 'group');
  if (!ref?.startsWith('group:')) {
    throw new InputError(
      `${KEY}.unownedOwner must be a group entity ref such as group:default/platform-team (the owner of services that record no owner group), got ${JSON.stringify(
        text ?? null,
      )}`,
    );
  }
  return ref;
}
