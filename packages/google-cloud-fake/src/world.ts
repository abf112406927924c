import { GoogleApiError } from './errors';
import { IamBinding, IamPolicyStore } from './iam/policies';
import {
  domainRestrictedSharingError,
  membersOutsideDomains,
} from './iam/members';
import {
  Seed,
  SeedCustomRole,
  SeedGroup,
  SeedOrgPolicy,
  SeedPolicy,
} from './seed/schema';
import { RunServiceStore } from './run/services';
import { ServiceAccountStore } from './apis/iamServiceAccounts';
import { SecretStore } from './apis/secretManager';

export interface Organization {
  id: string;
  domain: string;
  directoryCustomerId: string;
  iamReadable: boolean;
  allowedDomains?: string[];
}

export interface Folder {
  id: string;
  displayName: string;
  parent: string;
  iamReadable: boolean;
  allowedDomains?: string[];
}

export interface Project {
  id: string;
  number: string;
  parent?: string;
  displayName: string;
  labels: Record<string, string>;
  iamReadable: boolean;
  allowedDomains?: string[];
  iapAgent: { generated: boolean; failuresLeft: number };
}

export interface AccessPolicyRecord {
  number: string;
  parent: string;
  title: string;
  scopes: string[];
  etag: string;
  levels: Map<string, Record<string, unknown>>;
  perimeters: Map<string, Record<string, unknown>>;
}

export interface FakeOptions {
  /** Email reported as `creator`/`lastModifier` of services. */
  callerEmail: string;
  now: () => number;
}

function bindingsOf(policy?: SeedPolicy): IamBinding[] {
  return (policy?.bindings ?? []) as IamBinding[];
}

function allowedDomainsOf(orgPolicies?: SeedOrgPolicy[]): string[] | undefined {
  return orgPolicies?.find(
    p => p.constraint === 'constraints/iam.allowedPolicyMemberDomains',
  )?.allowedDomains;
}

/** A stable Cloud Identity group id (15 characters, as Google's look). */
function groupIdOf(email: string): string {
  let hash = 0n;
  for (const c of Buffer.from(email)) {
    hash = (hash * 131n + BigInt(c)) % 36n ** 13n;
  }
  return `0${hash.toString(36).padStart(13, '0')}x`.slice(0, 15);
}

/** The resource key of an IAP web resource, always with the project number. */
export function iapResourceKey(
  projectNumber: string,
  region?: string,
  serviceId?: string,
): string {
  let key = `projects/${projectNumber}/iap_web`;
  if (region) key += `/cloud_run-${region}`;
  if (serviceId) key += `/services/${serviceId}`;
  return key;
}

/**
 * Everything the fake knows, built from a seed: the resource hierarchy, Cloud Run services,
 * IAM policies of every resource, IAP settings, access policies and operations.
 */
export class FakeWorld {
  readonly organizations = new Map<string, Organization>();
  readonly folders = new Map<string, Folder>();
  readonly projects = new Map<string, Project>();
  readonly projectsByNumber = new Map<string, Project>();
  readonly iam = new IamPolicyStore();
  readonly iapSettings = new Map<string, Record<string, unknown>>();
  readonly accessPolicies = new Map<string, AccessPolicyRecord>();
  readonly run: RunServiceStore;
  readonly serviceAccounts = new ServiceAccountStore();
  readonly secrets = new SecretStore();
  /** Cloud Identity groups by lowercase email. */
  readonly groups = new Map<string, SeedGroup & { id: string }>();
  /** Custom roles by name: `projects/{id}/roles/{role}`, `organizations/{id}/roles/{role}`. */
  readonly customRoles = new Map<string, SeedCustomRole>();
  /** Org policies set on `organizations/…`, `folders/…` and `projects/{number}`. */
  readonly orgPolicies = new Map<string, SeedOrgPolicy[]>();
  readonly seed: Seed;
  readonly options: FakeOptions;

  constructor(seed: Seed, options: FakeOptions) {
    this.seed = seed;
    this.options = options;
    this.run = new RunServiceStore(this);
    this.load();
  }

  now(): number {
    return this.options.now();
  }

  /** Back to the seed: every change, operation and generated identity is forgotten. */
  reset() {
    this.organizations.clear();
    this.folders.clear();
    this.projects.clear();
    this.projectsByNumber.clear();
    this.iam.restore(new Map());
    this.iapSettings.clear();
    this.accessPolicies.clear();
    this.run.clear();
    this.serviceAccounts.clear();
    this.secrets.clear();
    this.groups.clear();
    this.customRoles.clear();
    this.orgPolicies.clear();
    this.load();
  }

  private load() {
    const seed = this.seed;
    for (const o of seed.organizations) {
      this.organizations.set(o.id, {
        id: o.id,
        domain: o.domain,
        directoryCustomerId: o.directoryCustomerId ?? `C0${o.id.slice(-6)}`,
        iamReadable: o.iamReadable,
        allowedDomains: allowedDomainsOf(o.orgPolicies),
      });
      if (o.iamPolicy)
        this.iam.seed(`organizations/${o.id}`, bindingsOf(o.iamPolicy));
      if (o.iapSettings)
        this.iapSettings.set(`organizations/${o.id}`, o.iapSettings);
      if (o.orgPolicies)
        this.orgPolicies.set(`organizations/${o.id}`, o.orgPolicies);
      for (const role of o.customRoles) {
        this.customRoles.set(`organizations/${o.id}/roles/${role.id}`, role);
      }
    }
    for (const f of seed.folders) {
      this.folders.set(f.id, {
        id: f.id,
        displayName: f.displayName,
        parent: f.parent,
        iamReadable: f.iamReadable,
        allowedDomains: allowedDomainsOf(f.orgPolicies),
      });
      if (f.iamPolicy)
        this.iam.seed(`folders/${f.id}`, bindingsOf(f.iamPolicy));
      if (f.iapSettings) this.iapSettings.set(`folders/${f.id}`, f.iapSettings);
      if (f.orgPolicies) this.orgPolicies.set(`folders/${f.id}`, f.orgPolicies);
    }
    for (const p of seed.projects) {
      const project: Project = {
        id: p.id,
        number: p.number,
        parent: p.parent,
        displayName: p.displayName ?? p.id,
        labels: p.labels ?? {},
        iamReadable: p.iamReadable,
        allowedDomains: allowedDomainsOf(p.orgPolicies),
        iapAgent: {
          generated: p.iapServiceAgent === 'provisioned',
          failuresLeft: p.iapAgentPropagationFailures,
        },
      };
      this.projects.set(p.id, project);
      this.projectsByNumber.set(p.number, project);
      if (p.iamPolicy)
        this.iam.seed(`projects/${p.number}`, bindingsOf(p.iamPolicy));
      if (p.iapSettings)
        this.iapSettings.set(`projects/${p.number}`, p.iapSettings);
      if (p.orgPolicies)
        this.orgPolicies.set(`projects/${p.number}`, p.orgPolicies);
      for (const role of p.customRoles) {
        this.customRoles.set(`projects/${p.id}/roles/${role.id}`, role);
      }
      if (p.iap?.policy) {
        this.iam.seed(iapResourceKey(p.number), bindingsOf(p.iap.policy));
      }
      if (p.iap?.settings) {
        this.iapSettings.set(iapResourceKey(p.number), p.iap.settings);
      }
      for (const [region, level] of Object.entries(p.iap?.regions ?? {})) {
        if (level.policy) {
          this.iam.seed(
            iapResourceKey(p.number, region),
            bindingsOf(level.policy),
          );
        }
        if (level.settings) {
          this.iapSettings.set(
            iapResourceKey(p.number, region),
            level.settings,
          );
        }
      }
      for (const account of p.serviceAccounts) {
        this.serviceAccounts.add(project, account);
      }
      for (const secret of p.secrets) this.secrets.add(project, secret);
      for (const s of p.services) {
        this.run.seedService(project, s);
        if (s.runPolicy) {
          this.iam.seed(
            this.run.iamKey(project, s.region, s.id),
            bindingsOf(s.runPolicy),
          );
        }
        if (s.iap?.policy) {
          this.iam.seed(
            iapResourceKey(p.number, s.region, s.id),
            bindingsOf(s.iap.policy),
          );
        }
        if (s.iap?.settings) {
          this.iapSettings.set(
            iapResourceKey(p.number, s.region, s.id),
            s.iap.settings,
          );
        }
      }
    }
    for (const g of seed.groups) {
      const email = g.email.toLowerCase();
      this.groups.set(email, { ...g, id: g.id ?? groupIdOf(email) });
    }
    for (const ap of seed.accessPolicies) {
      const name = `accessPolicies/${ap.number}`;
      this.accessPolicies.set(ap.number, {
        number: ap.number,
        parent: ap.parent,
        title: ap.title,
        scopes: ap.scopes ?? [],
        etag: Buffer.from(name).toString('hex').slice(0, 16),
        levels: new Map(
          ap.accessLevels.map(l => [
            l.id,
            {
              name: `${name}/accessLevels/${l.id}`,
              title: l.title,
              ...(l.description ? { description: l.description } : {}),
              ...(l.basic ? { basic: l.basic } : {}),
              ...(l.custom ? { custom: l.custom } : {}),
            },
          ]),
        ),
        perimeters: new Map(
          ap.servicePerimeters.map(sp => [
            sp.id,
            {
              name: `${name}/servicePerimeters/${sp.id}`,
              title: sp.title,
              ...(sp.description ? { description: sp.description } : {}),
              perimeterType: sp.perimeterType,
              ...(sp.status ? { status: sp.status } : {}),
              ...(sp.spec ? { spec: sp.spec } : {}),
              ...(sp.useExplicitDryRunSpec
                ? { useExplicitDryRunSpec: true }
                : {}),
            },
          ]),
        ),
      });
    }
  }

  /** A project by ID or number. */
  findProject(idOrNumber: string): Project | undefined {
    return (
      this.projects.get(idOrNumber) ?? this.projectsByNumber.get(idOrNumber)
    );
  }

  /** The project's ancestors, nearest first: `folders/…`, then `organizations/…`. */
  ancestorsOf(project: Project): string[] {
    const out: string[] = [];
    let parent = project.parent;
    while (parent) {
      out.push(parent);
      if (parent.startsWith('folders/')) {
        parent = this.folders.get(parent.slice('folders/'.length))?.parent;
      } else {
        break;
      }
    }
    return out;
  }

  organizationOf(project: Project): Organization | undefined {
    const org = this.ancestorsOf(project).find(a =>
      a.startsWith('organizations/'),
    );
    return org
      ? this.organizations.get(org.slice('organizations/'.length))
      : undefined;
  }

  /** Domain restricted sharing in force for a project: the nearest resource that sets it wins. */
  allowedMemberDomains(project: Project): string[] | undefined {
    if (project.allowedDomains) return project.allowedDomains;
    for (const ancestor of this.ancestorsOf(project)) {
      const [kind, id] = ancestor.split('/');
      const node =
        kind === 'folders' ? this.folders.get(id) : this.organizations.get(id);
      if (node?.allowedDomains) return node.allowedDomains;
    }
    return undefined;
  }

  checkDomainRestrictedSharing(
    project: Project,
    members: string[],
    variant: 'run' | 'crm',
  ) {
    const allowed = this.allowedMemberDomains(project);
    if (!allowed) return;
    const outsiders = membersOutsideDomains(members, allowed);
    if (outsiders.length > 0) {
      throw domainRestrictedSharingError(outsiders, project.id, variant);
    }
  }

  iapServiceAgentEmail(project: Project): string {
    return `service-${project.number}@gcp-sa-iap.iam.gserviceaccount.com`;
  }

  /**
   * Refuses a grant naming the IAP service agent while it has not been generated, and for
   * the seeded number of attempts after that (propagation delay), as IAM does.
   */
  checkIapServiceAgent(project: Project, members: string[]) {
    const agent = `serviceAccount:${this.iapServiceAgentEmail(project)}`;
    if (!members.includes(agent)) return;
    const state = project.iapAgent;
    if (state.generated && state.failuresLeft <= 0) return;
    if (state.generated) state.failuresLeft -= 1;
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Service account ${this.iapServiceAgentEmail(project)} does not exist.`,
    );
  }

  /** A JSON dump of the current state, for `/__fake/state` and debugging. */
  dump() {
    return {
      organizations: [...this.organizations.values()],
      folders: [...this.folders.values()],
      projects: [...this.projects.values()],
      services: this.run.dump(),
      iamPolicies: Object.fromEntries(this.iam.entries()),
      iapSettings: Object.fromEntries(this.iapSettings),
      accessPolicies: [...this.accessPolicies.values()].map(ap => ({
        ...ap,
        levels: [...ap.levels.values()],
        perimeters: [...ap.perimeters.values()],
      })),
      operations: this.run.operationsDump(),
      serviceAccounts: this.serviceAccounts.dump(),
      secrets: this.secrets.dump(),
      groups: [...this.groups.values()],
      customRoles: Object.fromEntries(this.customRoles),
      orgPolicies: Object.fromEntries(this.orgPolicies),
    };
  }
}
