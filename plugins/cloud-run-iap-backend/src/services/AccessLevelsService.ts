import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AccessLevelConditionSummary,
  AccessLevelOption,
  AccessLevelsResponse,
  PROJECT_ID_PATTERN,
  ResolvedAccessLevel,
  isSourceError,
  resolveAccessLevels,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { CloudRunIapConfig } from '@internal-apps/plugin-cloud-run-iap-node';
import { GoogleAccessData } from './GoogleAccessData';
import { describeForUser, isTransientGoogleError } from './googleErrors';
import { isDeadlineExceeded } from './RequestDeadline';

function describeCondition(condition: AccessLevelConditionSummary): string {
  const parts: string[] = [];
  if (condition.ipSubnetworks.length) {
    parts.push(`IP ${condition.ipSubnetworks.join(', ')}`);
  }
  if (condition.regions.length) {
    parts.push(`regions ${condition.regions.join(', ')}`);
  }
  if (condition.devicePolicy?.length) {
    parts.push(`device: ${condition.devicePolicy.join(', ')}`);
  }
  if (condition.members.length) {
    parts.push(`${condition.members.length} member(s)`);
  }
  if (condition.requiredAccessLevels.length) {
    parts.push(
      `requires ${condition.requiredAccessLevels
        .map(l => l.split('/').pop())
        .join(', ')}`,
    );
  }
  if (condition.vpcNetworkSources) {
    parts.push(`${condition.vpcNetworkSources} VPC network source(s)`);
  }
  const text = parts.join(' and ') || 'no requirement';
  return condition.negate ? `NOT (${text})` : text;
}

/** One line a developer can choose by in a form. */
export function summarizeAccessLevel(level: ResolvedAccessLevel): string {
  if (level.kind === 'custom') {
    const expression = level.customExpression ?? '';
    return `custom CEL: ${
      expression.length > 80 ? `${expression.slice(0, 77)}...` : expression
    }`;
  }
  const conditions = (level.conditions ?? []).map(describeCondition);
  return conditions.join(level.combiningFunction === 'OR' ? ' OR ' : '; ');
}

/** The access levels IAP can use for a project: those of its organization's access policy. */
export class AccessLevelsService {
  readonly #config: CloudRunIapConfig;
  readonly #data: GoogleAccessData;

  static create(options: {
    config: CloudRunIapConfig;
    data: GoogleAccessData;
  }) {
    return new AccessLevelsService(options.config, options.data);
  }

  private constructor(config: CloudRunIapConfig, data: GoogleAccessData) {
    this.#config = config;
    this.#data = data;
  }

  async accessLevels(
    projectId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<AccessLevelsResponse> {
    if (!PROJECT_ID_PATTERN.test(projectId)) {
      throw new InputError(
        `project must be a project id (6 to 30 lowercase letters, digits or hyphens, starting with a letter), got "${projectId}"`,
      );
    }
    // The configured projects are not named: that list is the operator's, not the caller's.
    if (!this.#config.projects.some(p => p.id === projectId)) {
      throw new InputError(
        `project ${projectId} is not one of the projects this portal manages (cloudRunIap.projects)`,
      );
    }

    let project;
    try {
      project = await this.#data.project(projectId, options);
    } catch (error) {
      if (isTransientGoogleError(error) || isDeadlineExceeded(error)) {
        throw new ServiceUnavailableError(
          `Google Cloud could not be reached: ${describeForUser(error)}`,
        );
      }
      throw new NotAllowedError(
        `The portal cannot read project ${projectId}: ${describeForUser(
          error,
        )}`,
      );
    }
    let policies;
    try {
      policies = await this.#data.organizationAccessPolicies(
        project.organizationId,
        options,
      );
    } catch (error) {
      throw new ServiceUnavailableError(
        `Google Cloud could not be reached: ${describeForUser(error)}`,
      );
    }
    const organizationPolicy = policies.organizationPolicy;
    if (isSourceError(organizationPolicy)) {
      throw new ServiceUnavailableError(
        `The access levels of ${projectId}'s organization cannot be read: ${organizationPolicy.error}`,
      );
    }
    const names = organizationPolicy.levels.map(level => level.name);
    const resolved = resolveAccessLevels(names, organizationPolicy, undefined);
    const accessLevels: AccessLevelOption[] = resolved
      .filter(level => level.status === 'valid')
      .map(level => ({
        name: level.name,
        shortName: level.shortName,
        ...(level.title ? { title: level.title } : {}),
        ...(level.description ? { description: level.description } : {}),
        kind: level.kind ?? 'basic',
        summary: summarizeAccessLevel(level),
      }))
      .sort((a, b) => a.shortName.localeCompare(b.shortName));
    return {
      projectId,
      accessPolicy: organizationPolicy.policy.name,
      accessLevels,
    };
  }
}
