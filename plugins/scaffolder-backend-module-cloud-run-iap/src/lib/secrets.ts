import { InputError } from '@backstage/errors';
import type { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';
import { googleFailure } from './googleErrors';
import type { EnvValue } from '../actions/createIapServiceInput';
import type { ServiceTarget } from './validation';

/*
 * Secrets an app mounts must belong to its project, and, when config asks for it, be labelled
 * for the app: a template user must not mount another app's secret.
 */

/** The label a secret carries to say which app may mount it: `backstage-app: <service id>`. */
export const APP_SECRET_LABEL = 'backstage-app';

const FULL_SECRET = /^projects\/([^/]+)\/secrets\/([^/]+)$/;

interface SecretReference {
  field: string;
  /** The project as the reference names it (id or number); undefined: the app's project. */
  project?: string;
  id: string;
}

function secretReferences(env: Record<string, EnvValue>): SecretReference[] {
  return Object.entries(env).flatMap(([name, value]) => {
    if (typeof value !== 'object' || typeof value.secret !== 'string') {
      return [];
    }
    const match = FULL_SECRET.exec(value.secret);
    return [
      {
        field: `env.${name}.secret`,
        project: match?.[1],
        id: match ? match[2] : value.secret,
      },
    ];
  });
}

/** Secret references naming another project, by field; a project number is checked later. */
export function secretProjectProblems(
  env: Record<string, EnvValue>,
  projectId: string,
): Array<[string, string]> {
  return secretReferences(env)
    .filter(ref => ref.project && !/^\d+$/.test(ref.project))
    .filter(ref => ref.project !== projectId)
    .map(ref => [
      ref.field,
      `names a secret of project ${ref.project}: an app may only mount secrets of its own project (${projectId})`,
    ]);
}

/**
 * Reads every referenced secret's metadata and refuses, before any write, one that names
 * another project's number, does not exist, or (with `requireAppLabel`) is not labelled
 * `backstage-app: <service id>`.
 */
export async function checkSecrets(
  client: GoogleCloudClient,
  target: ServiceTarget,
  projectNumber: string,
  env: Record<string, EnvValue>,
  options: { requireAppLabel: boolean; signal?: AbortSignal },
): Promise<void> {
  const references = secretReferences(env);
  const problems: string[] = [];
  for (const ref of references) {
    if (
      ref.project &&
      ref.project !== target.projectId &&
      ref.project !== projectNumber
    ) {
      problems.push(
        `${ref.field} names a secret of project ${ref.project}: an app may only mount secrets of its own project (${target.projectId}, number ${projectNumber})`,
      );
    }
  }
  if (problems.length === 0 && options.requireAppLabel) {
    const secrets = await Promise.all(
      references.map(ref =>
        client
          .getSecret(`projects/${target.projectId}/secrets/${ref.id}`, {
            signal: options.signal,
          })
          .catch(error => {
            throw googleFailure(
              `Reading the labels of secret ${ref.id} in ${target.projectId} (${ref.field})`,
              error,
            );
          }),
      ),
    );
    references.forEach((ref, i) => {
      const secret = secrets[i];
      if (!secret) {
        problems.push(
          `${ref.field} names secret ${ref.id}, which does not exist in project ${target.projectId}`,
        );
      } else if (secret.labels?.[APP_SECRET_LABEL] !== target.serviceId) {
        const label = secret.labels?.[APP_SECRET_LABEL];
        problems.push(
          `${ref.field} names secret ${
            ref.id
          }, which is not labelled for this app: cloudRunIap.secrets.requireAppLabel asks every mounted secret to carry the label ${APP_SECRET_LABEL}: ${
            target.serviceId
          } (it has ${
            label === undefined
              ? 'no such label'
              : `${APP_SECRET_LABEL}: ${label}`
          }); the secret's owner can add it with gcloud secrets update ${
            ref.id
          } --project=${target.projectId} --update-labels=${APP_SECRET_LABEL}=${
            target.serviceId
          }`,
        );
      }
    });
  }
  if (problems.length > 0) {
    throw new InputError(problems.join('; '));
  }
}
