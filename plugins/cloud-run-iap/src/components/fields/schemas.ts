import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** What `CloudRunIapAccessLevelPicker` returns and which `ui:options` it reads. */
export const accessLevelPickerSchema = makeFieldSchema({
  output: z => z.union([z.string(), z.array(z.string())]),
  uiOptions: z =>
    z.object({
      projectField: z
        .string()
        .optional()
        .describe(
          'The form field (dotted path) holding the project id. Default projectId',
        ),
      projectId: z
        .string()
        .optional()
        .describe('A fixed project id, instead of reading it from the form'),
    }),
});

/** What `CloudRunIapAccessorsPicker` returns and which `ui:options` it reads. */
export const accessorsPickerSchema = makeFieldSchema({
  output: z => z.array(z.string()),
  uiOptions: z =>
    z.object({
      allowedDomains: z
        .array(z.string())
        .optional()
        .describe(
          'Organisation domains members must belong to (user:, group:, domain:). Empty: any domain',
        ),
      ownProjectIds: z
        .array(z.string())
        .optional()
        .describe(
          "Projects whose service accounts count as the organisation's own even outside allowedDomains",
        ),
      workforcePools: z
        .array(z.string())
        .optional()
        .describe(
          "Workforce pools whose identities count as the organisation's own (cloudRunIap.organization.workforcePools)",
        ),
    }),
});
