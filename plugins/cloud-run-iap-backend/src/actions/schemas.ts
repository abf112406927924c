import { SEVERITIES } from '@internal-apps/plugin-cloud-run-iap-common';
import { Zod } from './actionSupport';

/** `component:default/my-app`; the kind defaults to component and the namespace to default. */
export const entityRefInput = (z: Zod) =>
  z
    .string()
    .min(1)
    .describe(
      'The app: a catalog entity ref such as component:default/my-app (kind defaults to component, namespace to default)',
    );

export const inOrganizationSchema = (z: Zod) =>
  z.union([z.boolean(), z.literal('unknown')]);

export const severitySchema = (z: Zod) =>
  z.enum(SEVERITIES as unknown as [string, ...string[]]);

/** One finding of the report, as the report states it. */
export const findingSchema = (z: Zod) =>
  z.object({
    id: z.string(),
    severity: severitySchema(z),
    title: z.string(),
    what: z.string(),
    why: z.string(),
    fix: z.object({
      text: z.string(),
      command: z
        .string()
        .optional()
        .describe('Shell commands, one a line, with the real resource names'),
    }),
    subjects: z
      .array(z.string())
      .optional()
      .describe('The members or access levels concerned'),
  });

/** An annotated service for which no report could be built. */
export const unavailableServiceSchema = (z: Zod) =>
  z.object({
    resourceName: z.string(),
    reason: z.string(),
    message: z.string(),
    linkCommand: z.string().optional(),
  });
