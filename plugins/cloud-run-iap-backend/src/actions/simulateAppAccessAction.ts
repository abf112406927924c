import { AuditorService, AuthService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { entityRefField } from '../services/entityRefField';
import { RequestDeadline } from '../services/RequestDeadline';
import { SimulationService } from '../services/SimulationService';
import { audited, userCredentialsOf } from './actionSupport';
import { entityRefInput } from './schemas';

/** `simulate-app-access`: `POST .../access/simulate` for an agent (`cloud-run-iap.access.read`). */
export function registerSimulateAppAccessAction(
  actionsRegistry: ActionsRegistryService,
  options: {
    auth: AuthService;
    auditor: AuditorService;
    simulations: SimulationService;
    deadlineMs: number;
  },
) {
  const { auth, auditor, simulations, deadlineMs } = options;
  actionsRegistry.register({
    name: 'simulate-app-access',
    title: 'Simulate app access',
    description: `What IAP would decide for a request to each of an app's Cloud Run services, from a given IP address, country and/or member: allow, deny or unknown for each accessor, with the reasons (access levels met or not), and whether the client can reach the service at all.
Fields left out are unknown: decisions that depend on them are "unknown". Device policies and custom access levels cannot be simulated.
Needs cloud-run-iap.access.read on the app (its owners by default).`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z
          .object({
            entityRef: entityRefInput(z),
            ip: z
              .string()
              .optional()
              .describe('IPv4 or IPv6 address the request comes from'),
            region: z
              .string()
              .optional()
              .describe(
                'ISO 3166-1 alpha-2 country code the request comes from, such as GB',
              ),
            member: z
              .string()
              .optional()
              .describe(
                'user:EMAIL or serviceAccount:EMAIL making the request; only accessors that can match it are simulated',
              ),
          })
          .strict(),
      output: z =>
        z.object({
          request: z.object({
            ip: z.string().optional(),
            region: z.string().optional(),
            member: z.string().optional(),
          }),
          services: z.array(
            z.object({
              resourceName: z.string(),
              iapEnabled: z.boolean(),
              accessors: z.array(
                z.object({
                  member: z.string(),
                  kind: z.string(),
                  decision: z.enum(['allow', 'deny', 'unknown']),
                  reasons: z.array(z.string()),
                }),
              ),
              notes: z.array(z.string()),
              reachability: z
                .object({
                  reachable: z.union([z.boolean(), z.literal('unknown')]),
                  reason: z.string(),
                })
                .optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = userCredentialsOf(auth, credentials, 'simulate-app-access');
      const { entityRef: rawRef, ...request } = input;
      const entityRef = entityRefField(rawRef, 'entityRef', 'component');
      const output = await audited(
        auditor,
        {
          eventId: 'access-simulate',
          actor: user.principal.userEntityRef,
          meta: { entityRef, request },
        },
        async () => {
          const { signal } = RequestDeadline.start(deadlineMs);
          const result = await simulations.simulate(entityRef, request, user, {
            signal,
          });
          return {
            result,
            meta: { services: result.services.map(s => s.resourceName) },
          };
        },
      );
      return { output };
    },
  });
}
