import {
  buildServiceAccessReport,
  ServiceAccessInput,
} from '../buildServiceReport';
import { Finding, FindingId } from '../../report/types';
import {
  accessorBinding,
  CORP,
  corpLevel,
  healthyInput,
  IAP_AGENT,
  ORG_POLICY,
  orgLevel,
  policy,
  PROJECT_NUMBER,
  requires,
  SCOPED_POLICY,
} from '../testFixtures';

function findingsOf(change: (input: ServiceAccessInput) => void): Finding[] {
  const input = healthyInput();
  change(input);
  return buildServiceAccessReport(input).findings;
}

function finding(
  id: FindingId,
  change: (input: ServiceAccessInput) => void,
): Finding | undefined {
  return findingsOf(change).find(f => f.id === id);
}

const SERVICE_FLAGS = 'hello --region=europe-west2 --project=acme-apps';

describe('computeFindings', () => {
  it('raises nothing on a healthy service', () => {
    expect(findingsOf(() => {})).toEqual([]);
  });

  describe('IAP_DISABLED', () => {
    it('is critical on a managed service with IAP off', () => {
      const f = finding('IAP_DISABLED', input => {
        input.service.iapEnabled = false;
      });
      expect(f?.severity).toBe('critical');
      expect(f?.fix.command).toBe(
        `gcloud run services update ${SERVICE_FLAGS} --iap`,
      );
    });

    it('is high on a service the portal does not manage', () => {
      const f = finding('IAP_DISABLED', input => {
        input.service.iapEnabled = false;
        input.managed = false;
      });
      expect(f?.severity).toBe('high');
    });

    it('treats a missing iapEnabled as off', () => {
      expect(
        finding('IAP_DISABLED', input => {
          delete input.service.iapEnabled;
        }),
      ).toBeDefined();
    });

    it('is absent when IAP is on', () => {
      expect(finding('IAP_DISABLED', () => {})).toBeUndefined();
    });
  });

  describe('PUBLIC_INVOKER', () => {
    it('is high with IAP on and names the members', () => {
      const f = finding('PUBLIC_INVOKER', input => {
        input.runPolicy = policy({
          role: 'roles/run.invoker',
          members: [IAP_AGENT, 'allUsers', 'allAuthenticatedUsers'],
        });
      });
      expect(f?.severity).toBe('high');
      expect(f?.subjects).toEqual(['allUsers', 'allAuthenticatedUsers']);
      expect(f?.fix.command).toBe(
        [
          `gcloud run services remove-iam-policy-binding ${SERVICE_FLAGS} --member=allUsers --role=roles/run.invoker`,
          `gcloud run services remove-iam-policy-binding ${SERVICE_FLAGS} --member=allAuthenticatedUsers --role=roles/run.invoker`,
        ].join('\n'),
      );
    });

    it('is critical when IAP is off too', () => {
      const f = finding('PUBLIC_INVOKER', input => {
        input.service.iapEnabled = false;
        input.runPolicy = policy({
          role: 'roles/run.invoker',
          members: ['allUsers'],
        });
      });
      expect(f?.severity).toBe('critical');
    });

    it('ignores public members on other roles', () => {
      expect(
        finding('PUBLIC_INVOKER', input => {
          input.runPolicy = policy(
            { role: 'roles/run.invoker', members: [IAP_AGENT] },
            { role: 'roles/run.viewer', members: ['allUsers'] },
          );
        }),
      ).toBeUndefined();
    });
  });

  describe('INVOKER_CHECK_DISABLED', () => {
    it('is high when the invoker check is off', () => {
      const f = finding('INVOKER_CHECK_DISABLED', input => {
        input.service.invokerIamDisabled = true;
        input.runPolicy = policy();
      });
      expect(f?.severity).toBe('high');
      expect(f?.fix.command).toBe(
        [
          `gcloud run services add-iam-policy-binding ${SERVICE_FLAGS} --member=${IAP_AGENT} --role=roles/run.invoker`,
          `gcloud run services update ${SERVICE_FLAGS} --invoker-iam-check`,
        ].join('\n'),
      );
    });

    it('only re-enables the check when the agent already holds run.invoker', () => {
      const f = finding('INVOKER_CHECK_DISABLED', input => {
        input.service.invokerIamDisabled = true;
      });
      expect(f?.fix.command).toBe(
        `gcloud run services update ${SERVICE_FLAGS} --invoker-iam-check`,
      );
    });

    it('is absent when the check is on', () => {
      expect(finding('INVOKER_CHECK_DISABLED', () => {})).toBeUndefined();
    });
  });

  describe('IAP_AGENT_NOT_INVOKER', () => {
    it('is high when the agent lacks run.invoker', () => {
      const f = finding('IAP_AGENT_NOT_INVOKER', input => {
        input.runPolicy = policy();
      });
      expect(f?.severity).toBe('high');
      expect(f?.subjects).toEqual([IAP_AGENT]);
      expect(f?.fix.command).toBe(
        [
          'gcloud beta services identity create --service=iap.googleapis.com --project=acme-apps',
          `gcloud run services add-iam-policy-binding ${SERVICE_FLAGS} --member=${IAP_AGENT} --role=roles/run.invoker`,
        ].join('\n'),
      );
    });

    it('accepts the agent holding run.invoker on the project', () => {
      expect(
        finding('IAP_AGENT_NOT_INVOKER', input => {
          input.runPolicy = policy();
          input.resourcePolicies[0].policy = policy({
            role: 'roles/run.invoker',
            members: [IAP_AGENT],
          });
        }),
      ).toBeUndefined();
    });

    it('is absent when the invoker check is disabled (another finding covers it)', () => {
      expect(
        finding('IAP_AGENT_NOT_INVOKER', input => {
          input.runPolicy = policy();
          input.service.invokerIamDisabled = true;
        }),
      ).toBeUndefined();
    });

    it('is absent when the Run policy could not be read', () => {
      expect(
        finding('IAP_AGENT_NOT_INVOKER', input => {
          input.runPolicy = { error: 'PERMISSION_DENIED' };
        }),
      ).toBeUndefined();
    });
  });

  describe('PUBLIC_ACCESSOR', () => {
    it('is critical for allAuthenticatedUsers with a removal command at its level', () => {
      const f = finding('PUBLIC_ACCESSOR', input => {
        input.iapPolicies.region = policy(
          accessorBinding(['allAuthenticatedUsers']),
        );
      });
      expect(f?.severity).toBe('critical');
      expect(f?.subjects).toEqual(['allAuthenticatedUsers']);
      expect(f?.fix.command).toBe(
        'gcloud iap web remove-iam-policy-binding --resource-type=cloud-run --region=europe-west2 --member=allAuthenticatedUsers --role=roles/iap.httpsResourceAccessor --condition=None --project=acme-apps',
      );
    });

    it('is absent for organization members', () => {
      expect(finding('PUBLIC_ACCESSOR', () => {})).toBeUndefined();
    });
  });

  describe('EXTERNAL_ACCESSOR', () => {
    it('is high for an outside user; subdomains are outside', () => {
      const f = finding('EXTERNAL_ACCESSOR', input => {
        input.iapPolicies.service = policy(
          accessorBinding(
            [
              'user:alice@example.com',
              'user:eve@gmail.com',
              'user:dan@eng.example.com',
            ],
            CORP,
          ),
        );
      });
      expect(f?.severity).toBe('high');
      expect(f?.subjects).toEqual([
        'user:dan@eng.example.com',
        'user:eve@gmail.com',
      ]);
      expect(f?.fix.command).toContain(
        'gcloud iap web remove-iam-policy-binding --resource-type=cloud-run --region=europe-west2 --service=hello --member=user:eve@gmail.com --role=roles/iap.httpsResourceAccessor --all --project=acme-apps',
      );
    });

    it('is info when external members are allowed', () => {
      const f = finding('EXTERNAL_ACCESSOR', input => {
        input.allowExternalMembers = true;
        input.iapPolicies.service = policy(
          accessorBinding(['user:eve@gmail.com'], CORP),
        );
      });
      expect(f?.severity).toBe('info');
    });

    it('matches domains case-insensitively and ignores public members', () => {
      expect(
        finding('EXTERNAL_ACCESSOR', input => {
          input.iapPolicies.service = policy(
            accessorBinding(['user:Alice@EXAMPLE.com', 'allUsers'], CORP),
          );
        }),
      ).toBeUndefined();
    });

    it('is absent when no organization domain is configured', () => {
      expect(
        finding('EXTERNAL_ACCESSOR', input => {
          input.organizationDomains = [];
          input.iapPolicies.service = policy(
            accessorBinding(['user:eve@gmail.com'], CORP),
          );
        }),
      ).toBeUndefined();
    });
  });

  describe('DOMAIN_WIDE_ACCESSOR', () => {
    it('is medium for a domain: grant', () => {
      const f = finding('DOMAIN_WIDE_ACCESSOR', input => {
        input.iapPolicies.service = policy(
          accessorBinding(['domain:example.com'], CORP),
        );
      });
      expect(f?.severity).toBe('medium');
      expect(f?.subjects).toEqual(['domain:example.com']);
    });

    it('is absent for groups', () => {
      expect(
        finding('DOMAIN_WIDE_ACCESSOR', input => {
          input.iapPolicies.service = policy(
            accessorBinding(['group:team@example.com'], CORP),
          );
        }),
      ).toBeUndefined();
    });
  });

  describe('INHERITED_ACCESS', () => {
    it('is medium for project-wide IAP and project IAM grants', () => {
      const f = finding('INHERITED_ACCESS', input => {
        input.iapPolicies.project = policy(
          accessorBinding(['group:all@example.com'], CORP),
        );
        input.resourcePolicies[0].policy = policy(
          accessorBinding(['user:carol@example.com'], CORP),
        );
      });
      expect(f?.severity).toBe('medium');
      expect(f?.subjects).toEqual([
        'group:all@example.com',
        'user:carol@example.com',
      ]);
      expect(f?.fix.command).toBe(
        [
          'gcloud iap web remove-iam-policy-binding --member=group:all@example.com --role=roles/iap.httpsResourceAccessor --all --project=acme-apps',
          'gcloud projects remove-iam-policy-binding acme-apps --member=user:carol@example.com --role=roles/iap.httpsResourceAccessor --all',
        ].join('\n'),
      );
    });

    it('does not count basic roles such as owner as accessors', () => {
      expect(
        finding('INHERITED_ACCESS', input => {
          input.resourcePolicies[0].policy = policy({
            role: 'roles/owner',
            members: ['user:carol@example.com'],
          });
        }),
      ).toBeUndefined();
    });

    it('counts custom roles declared as accessor roles', () => {
      expect(
        finding('INHERITED_ACCESS', input => {
          input.extraAccessorRoles = ['organizations/42/roles/appUser'];
          input.resourcePolicies[1].policy = policy({
            role: 'organizations/42/roles/appUser',
            members: ['user:carol@example.com'],
          });
        })?.subjects,
      ).toEqual(['user:carol@example.com']);
    });
  });

  describe('NO_CONTEXT_AWARE_ACCESS and PARTIAL_CONTEXT_AWARE_ACCESS', () => {
    it('NO when no accessor is restricted, suggesting an organization level', () => {
      const findings = findingsOf(input => {
        input.iapPolicies.service = policy(
          accessorBinding(['user:alice@example.com']),
        );
      });
      const f = findings.find(x => x.id === 'NO_CONTEXT_AWARE_ACCESS');
      expect(f?.severity).toBe('medium');
      expect(f?.what).toBe(
        '0 of 1 accessors are restricted by a valid organization access level; not restricted: user:alice@example.com.',
      );
      expect(f?.fix.command).toBe(
        `gcloud iap web add-iam-policy-binding --resource-type=cloud-run --region=europe-west2 --service=hello --member=user:alice@example.com --role=roles/iap.httpsResourceAccessor --condition='expression="${CORP}" in request.auth.access_levels,title=Requires corp' --project=acme-apps`,
      );
      expect(findings.map(x => x.id)).not.toContain(
        'PARTIAL_CONTEXT_AWARE_ACCESS',
      );
    });

    it('NO suggests a placeholder level when none is known', () => {
      const f = finding('NO_CONTEXT_AWARE_ACCESS', input => {
        input.organizationPolicy = { error: 'PERMISSION_DENIED' };
        input.iapPolicies.service = policy(
          accessorBinding(['user:alice@example.com', 'allUsers']),
        );
      });
      expect(f?.fix.command).toBe(
        `gcloud iap web add-iam-policy-binding --resource-type=cloud-run --region=europe-west2 --service=hello --member=user:alice@example.com --role=roles/iap.httpsResourceAccessor --condition='expression="accessPolicies/POLICY_NUMBER/accessLevels/LEVEL_NAME" in request.auth.access_levels,title=Requires LEVEL_NAME' --project=acme-apps`,
      );
    });

    it('PARTIAL when some accessors are restricted', () => {
      const findings = findingsOf(input => {
        input.iapPolicies.service = policy(
          accessorBinding(['user:alice@example.com'], CORP),
          accessorBinding(['user:bob@example.com']),
        );
      });
      const f = findings.find(x => x.id === 'PARTIAL_CONTEXT_AWARE_ACCESS');
      expect(f?.subjects).toEqual(['user:bob@example.com']);
      expect(f?.fix.command).toContain(
        `"${CORP}" in request.auth.access_levels`,
      );
      expect(findings.map(x => x.id)).not.toContain('NO_CONTEXT_AWARE_ACCESS');
    });

    it('neither when every accessor is restricted or nobody has access', () => {
      expect(findingsOf(() => {})).toEqual([]);
      const ids = findingsOf(input => {
        input.iapPolicies.service = policy();
      }).map(x => x.id);
      expect(ids).toEqual([]);
    });

    it('an accessor with one unrestricted grant among restricted ones is not covered', () => {
      const f = finding('NO_CONTEXT_AWARE_ACCESS', input => {
        input.iapPolicies.region = policy(
          accessorBinding(['user:alice@example.com']),
        );
      });
      expect(f?.subjects).toEqual(['user:alice@example.com']);
    });
  });

  describe('UNKNOWN_ACCESS_LEVEL', () => {
    it('is high for a level missing from the organization policy', () => {
      const typo = orgLevel('crop');
      const f = finding('UNKNOWN_ACCESS_LEVEL', input => {
        input.iapPolicies.service = policy(
          accessorBinding(['user:alice@example.com'], typo),
        );
      });
      expect(f?.severity).toBe('high');
      expect(f?.subjects).toEqual([typo]);
      expect(f?.fix.command).toBe(
        'gcloud access-context-manager levels list --policy=555',
      );
    });

    it('includes levels missing from requiredAccessLevels', () => {
      const f = finding('UNKNOWN_ACCESS_LEVEL', input => {
        input.organizationPolicy = {
          policy: { name: ORG_POLICY },
          levels: [
            {
              ...corpLevel(),
              basic: {
                conditions: [{ requiredAccessLevels: [orgLevel('gone')] }],
              },
            },
          ],
        };
      });
      expect(f?.subjects).toEqual([orgLevel('gone')]);
    });

    it('is absent when levels cannot be read (unresolved, not missing)', () => {
      expect(
        finding('UNKNOWN_ACCESS_LEVEL', input => {
          input.organizationPolicy = { error: 'PERMISSION_DENIED' };
        }),
      ).toBeUndefined();
    });
  });

  describe('SCOPED_POLICY_LEVEL', () => {
    it('is high for a level of a scoped policy', () => {
      const scoped = `${SCOPED_POLICY}/accessLevels/team`;
      const f = finding('SCOPED_POLICY_LEVEL', input => {
        input.scopedPolicies = [
          {
            policy: {
              name: SCOPED_POLICY,
              scopes: [`projects/${PROJECT_NUMBER}`],
            },
            levels: [{ name: scoped, basic: { conditions: [] } }],
          },
        ];
        input.iapPolicies.service = policy(
          accessorBinding(['user:alice@example.com'], scoped),
        );
      });
      expect(f?.severity).toBe('high');
      expect(f?.subjects).toEqual([scoped]);
    });

    it('is absent for organization levels', () => {
      expect(finding('SCOPED_POLICY_LEVEL', () => {})).toBeUndefined();
    });
  });

  describe('NEGATED_OR_OR_CONDITION', () => {
    const withCondition =
      (expression: string) => (input: ServiceAccessInput) => {
        input.iapPolicies.service = policy({
          role: 'roles/iap.httpsResourceAccessor',
          members: ['user:alice@example.com'],
          condition: { expression, title: 't' },
        });
      };

    it('is high for a negated level', () => {
      const f = finding(
        'NEGATED_OR_OR_CONDITION',
        withCondition(`!(${requires(CORP)})`),
      );
      expect(f?.severity).toBe('high');
      expect(f?.subjects).toEqual(['user:alice@example.com']);
    });

    it('is raised for an || branch without a level', () => {
      expect(
        finding(
          'NEGATED_OR_OR_CONDITION',
          withCondition(
            `${requires(
              CORP,
            )} || request.time < timestamp("2030-01-01T00:00:00Z")`,
          ),
        ),
      ).toBeDefined();
    });

    it('is absent for an || of levels', () => {
      expect(
        finding(
          'NEGATED_OR_OR_CONDITION',
          withCondition(`${requires(CORP)} || ${requires(CORP)}`),
        ),
      ).toBeUndefined();
    });
  });

  describe('PATH_OR_HOST_CONDITION', () => {
    it('is medium for a request.path condition', () => {
      const f = finding('PATH_OR_HOST_CONDITION', input => {
        input.iapPolicies.service = policy({
          role: 'roles/iap.httpsResourceAccessor',
          members: ['user:alice@example.com'],
          condition: {
            expression: `${requires(
              CORP,
            )} && request.path.startsWith("/admin")`,
          },
        });
      });
      expect(f?.severity).toBe('medium');
      expect(f?.subjects).toEqual(['user:alice@example.com']);
    });

    it('is absent for request.time conditions', () => {
      expect(
        finding('PATH_OR_HOST_CONDITION', input => {
          input.iapPolicies.service = policy({
            role: 'roles/iap.httpsResourceAccessor',
            members: ['user:alice@example.com'],
            condition: {
              expression: `${requires(
                CORP,
              )} && request.time < timestamp("2030-01-01T00:00:00Z")`,
            },
          });
        }),
      ).toBeUndefined();
    });
  });

  describe('NOT_IN_PERIMETER', () => {
    it('is low when no perimeter contains the project', () => {
      const f = finding('NOT_IN_PERIMETER', input => {
        input.perimeters = [];
      });
      expect(f?.severity).toBe('low');
      expect(f?.fix.command).toBe(
        `gcloud access-context-manager perimeters update PERIMETER_NAME --policy=POLICY_NUMBER --add-resources=projects/${PROJECT_NUMBER} --add-restricted-services=run.googleapis.com`,
      );
    });

    it('suggests enforcing a dry-run perimeter', () => {
      const f = finding('NOT_IN_PERIMETER', input => {
        input.perimeters = [
          {
            name: `${ORG_POLICY}/servicePerimeters/apps`,
            spec: {
              resources: [`projects/${PROJECT_NUMBER}`],
              restrictedServices: ['run.googleapis.com'],
            },
            useExplicitDryRunSpec: true,
          },
        ];
      });
      expect(f?.fix.command).toBe(
        'gcloud access-context-manager perimeters dry-run enforce apps --policy=555',
      );
    });

    it('is raised when the perimeter does not restrict Cloud Run', () => {
      expect(
        finding('NOT_IN_PERIMETER', input => {
          input.perimeters = [
            {
              name: `${ORG_POLICY}/servicePerimeters/data`,
              status: {
                resources: [`projects/${PROJECT_NUMBER}`],
                restrictedServices: ['storage.googleapis.com'],
              },
            },
          ];
        })?.fix.text,
      ).toBe(
        `Add run.googleapis.com to the restricted services of ${ORG_POLICY}/servicePerimeters/data.`,
      );
    });

    it('is absent when perimeters could not be read', () => {
      expect(
        finding('NOT_IN_PERIMETER', input => {
          input.perimeters = { error: 'PERMISSION_DENIED' };
        }),
      ).toBeUndefined();
    });
  });

  describe('DEFAULT_COMPUTE_SERVICE_ACCOUNT', () => {
    it('is low when no service account is set', () => {
      const f = finding('DEFAULT_COMPUTE_SERVICE_ACCOUNT', input => {
        delete input.service.template!.serviceAccount;
      });
      expect(f?.severity).toBe('low');
      expect(f?.subjects).toEqual([
        `${PROJECT_NUMBER}-compute@developer.gserviceaccount.com`,
      ]);
      expect(f?.fix.command).toBe(
        [
          'gcloud iam service-accounts create hello-runtime --project=acme-apps',
          `gcloud run services update ${SERVICE_FLAGS} --service-account=hello-runtime@acme-apps.iam.gserviceaccount.com`,
        ].join('\n'),
      );
    });

    it('is raised when the default account is set explicitly', () => {
      expect(
        finding('DEFAULT_COMPUTE_SERVICE_ACCOUNT', input => {
          input.service.template!.serviceAccount = `${PROJECT_NUMBER}-compute@developer.gserviceaccount.com`;
        }),
      ).toBeDefined();
    });

    it('is absent with a dedicated account', () => {
      expect(
        finding('DEFAULT_COMPUTE_SERVICE_ACCOUNT', () => {}),
      ).toBeUndefined();
    });
  });

  describe('PROGRAMMATIC_CLIENTS', () => {
    it('is info and lists the clients', () => {
      const f = finding('PROGRAMMATIC_CLIENTS', input => {
        input.iapSettings = {
          accessSettings: {
            oauthSettings: {
              programmaticClients: ['123-abc.apps.googleusercontent.com'],
            },
          },
        };
      });
      expect(f?.severity).toBe('info');
      expect(f?.subjects).toEqual(['123-abc.apps.googleusercontent.com']);
      expect(f?.fix.command).toBe(
        'gcloud iap settings get --resource-type=cloud-run --region=europe-west2 --service=hello --project=acme-apps',
      );
    });

    it('is absent with an empty list', () => {
      expect(
        finding('PROGRAMMATIC_CLIENTS', input => {
          input.iapSettings = {
            accessSettings: { oauthSettings: { programmaticClients: [] } },
          };
        }),
      ).toBeUndefined();
    });
  });

  it('orders findings by severity, then by catalogue order', () => {
    const ids = findingsOf(input => {
      input.service.iapEnabled = false;
      input.managed = false;
      input.perimeters = [];
      input.iapPolicies.service = policy(
        accessorBinding(['allUsers', 'domain:example.com']),
      );
      input.iapSettings = {
        accessSettings: { oauthSettings: { programmaticClients: ['c'] } },
      };
    }).map(f => `${f.severity}:${f.id}`);
    expect(ids).toEqual([
      'critical:PUBLIC_ACCESSOR',
      'high:IAP_DISABLED',
      'medium:DOMAIN_WIDE_ACCESSOR',
      'medium:NO_CONTEXT_AWARE_ACCESS',
      'low:NOT_IN_PERIMETER',
      'info:PROGRAMMATIC_CLIENTS',
    ]);
  });
});
