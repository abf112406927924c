import { createHash, randomUUID } from 'node:crypto';
import { GoogleApiError, runViolation } from '../errors';
import { SeedService } from '../seed/schema';
import type { FakeWorld, Project } from '../world';
import { runRegionCodes } from './regions';

/** A Cloud Run v2 Service as JSON. */
export type RunService = Record<string, any>;

export interface StoredService {
  project: Project;
  region: string;
  id: string;
  body: RunService;
  /** When the current rollout finishes; undefined when settled. */
  settlesAt?: number;
  /** Set when the current rollout ends in failure. */
  failure?: string;
}

export interface RunOperation {
  name: string;
  projectNumber: string;
  region: string;
  doneAt: number;
  /** Runs once when the operation finishes; returns the response (a Service). */
  finish: () => {
    response?: RunService;
    error?: { code: number; message: string };
  };
  metadata: RunService;
  result?: { response?: RunService; error?: { code: number; message: string } };
}

const SERVICE_TYPE = 'type.googleapis.com/google.cloud.run.v2.Service';
const reservedPrefixes = [
  'run.googleapis.com',
  'cloud.googleapis.com',
  'serving.knative.dev',
  'autoscaling.knative.dev',
];
const serviceIdPattern = /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;
const labelKeyPattern = /^[a-z][a-z0-9_-]{0,62}$/;
const labelValuePattern = /^[a-z0-9_-]{0,63}$/;
const outputOnlyFields = [
  'name',
  'uid',
  'generation',
  'observedGeneration',
  'createTime',
  'updateTime',
  'deleteTime',
  'expireTime',
  'creator',
  'lastModifier',
  'uri',
  'urls',
  'reconciling',
  'terminalCondition',
  'conditions',
  'latestReadyRevision',
  'latestCreatedRevision',
  'trafficStatuses',
  'etag',
  'satisfiesPzs',
];

function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function revisionSuffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 3);
}

function hasReservedPrefix(key: string): boolean {
  const namespace = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  return reservedPrefixes.some(
    p => namespace === p || namespace.endsWith(`.${p}`),
  );
}

/** The validations Cloud Run v2 applies to a Service in a create or update request. */
export function validateServiceBody(
  body: RunService,
  request: 'CreateServiceRequest' | 'UpdateServiceRequest',
) {
  const field = `${request}.service`;
  if (typeof body.description === 'string' && body.description.length > 512) {
    throw runViolation(
      `${field}.description`,
      'must be at most 512 characters.',
    );
  }
  for (const kind of ['labels', 'annotations'] as const) {
    for (const scope of [body, body.template ?? {}]) {
      const prefix = scope === body ? field : `${field}.template`;
      for (const [key, value] of Object.entries(scope[kind] ?? {})) {
        if (hasReservedPrefix(key)) {
          throw runViolation(
            `${prefix}.${kind}[${key}]`,
            `system ${kind} are not supported in Cloud Run API v2.`,
          );
        }
        if (
          kind === 'labels' &&
          (!labelKeyPattern.test(key) || !labelValuePattern.test(String(value)))
        ) {
          throw runViolation(
            `${prefix}.labels[${key}]`,
            'keys start with a lowercase letter and hold at most 63 lowercase letters, digits, underscores or hyphens; values hold at most 63 of the same.',
          );
        }
      }
    }
  }
  const template = body.template;
  if (!template || typeof template !== 'object') {
    throw runViolation(`${field}.template`, 'required field not present.');
  }
  const containers = template.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw runViolation(
      `${field}.template.containers`,
      'required field not present.',
    );
  }
  containers.forEach((c: RunService, i: number) => {
    if (!c?.image) {
      throw runViolation(
        `${field}.template.containers[${i}].image`,
        'required field not present.',
      );
    }
    const reserved = (c.env ?? [])
      .map((e: RunService) => e?.name)
      .filter(
        (n: string) =>
          n === 'PORT' ||
          n === 'K_SERVICE' ||
          n === 'K_REVISION' ||
          n === 'K_CONFIGURATION',
      );
    if (reserved.length > 0) {
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        `template.containers[${i}].env: The following reserved env names were provided: ${reserved.join(
          ', ',
        )}. These values are automatically set by the system.`,
      );
    }
  });
  const scaling = template.scaling;
  if (
    scaling?.minInstanceCount !== undefined &&
    scaling?.maxInstanceCount !== undefined &&
    scaling.minInstanceCount > scaling.maxInstanceCount
  ) {
    throw runViolation(
      `${field}.template.scaling`,
      'min_instance_count must be less than or equal to max_instance_count.',
    );
  }
  const ingress = body.ingress;
  if (
    ingress !== undefined &&
    ![
      'INGRESS_TRAFFIC_UNSPECIFIED',
      'INGRESS_TRAFFIC_ALL',
      'INGRESS_TRAFFIC_INTERNAL_ONLY',
      'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      'INGRESS_TRAFFIC_NONE',
    ].includes(ingress)
  ) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Invalid value at 'service.ingress' (type.googleapis.com/google.cloud.run.v2.IngressTraffic), "${ingress}"`,
    );
  }
}

/** Cloud Run services and their operations, with rollouts that settle after a delay. */
export class RunServiceStore {
  readonly #world: FakeWorld;
  readonly #services = new Map<string, StoredService>();
  readonly #byRegion = new Map<string, Map<string, StoredService>>();
  readonly #operations = new Map<string, RunOperation>();
  /**
   * Regions a `locations/-` listing cannot reach (tests add them): Google leaves their services
   * out and names them in `unreachable`.
   */
  readonly unreachableRegions = new Set<string>();

  constructor(world: FakeWorld) {
    this.#world = world;
  }

  clear() {
    this.unreachableRegions.clear();
    this.#services.clear();
    this.#byRegion.clear();
    this.#operations.clear();
  }

  iamKey(project: Project, region: string, serviceId: string): string {
    return `run:projects/${project.number}/locations/${region}/services/${serviceId}`;
  }

  /** Hash part of `*.a.run.app` hostnames: the same for every service of a project. */
  private projectHash(project: Project): string {
    const digest = createHash('sha256').update(project.number).digest('hex');
    return BigInt(`0x${digest.slice(0, 16)}`)
      .toString(36)
      .padStart(10, 'a')
      .slice(-10);
  }

  private urlsFor(project: Project, region: string, id: string) {
    const hashUrl = `https://${id}-${this.projectHash(project)}-${
      runRegionCodes[region] ?? 'zz'
    }.a.run.app`;
    const label = `${id}-${project.number}`;
    const urls =
      label.length <= 63
        ? [`https://${label}.${region}.run.app`, hashUrl]
        : [hashUrl];
    return { uri: hashUrl, urls };
  }

  private key(projectNumber: string, region: string, id: string) {
    return `${projectNumber}/${region}/${id}`;
  }

  find(
    project: Project,
    region: string,
    id: string,
  ): StoredService | undefined {
    const stored = this.#services.get(this.key(project.number, region, id));
    if (stored) this.settle(stored);
    return stored;
  }

  list(project: Project, region: string): StoredService[] {
    const services = [
      ...(this.#byRegion.get(`${project.number}/${region}`)?.values() ?? []),
    ];
    services.forEach(s => this.settle(s));
    return services.sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * Every service of the project in every region it reaches (`locations/-`), by region then id,
   * and the regions holding services that it could not reach.
   */
  listAllRegions(project: Project): {
    services: StoredService[];
    unreachable: string[];
  } {
    const prefix = `${project.number}/`;
    const regions = [...this.#byRegion.keys()]
      .filter(key => key.startsWith(prefix))
      .map(key => key.slice(prefix.length))
      .sort();
    return {
      services: regions
        .filter(region => !this.unreachableRegions.has(region))
        .flatMap(region => this.list(project, region)),
      unreachable: regions.filter(region =>
        this.unreachableRegions.has(region),
      ),
    };
  }

  private put(stored: StoredService) {
    this.#services.set(
      this.key(stored.project.number, stored.region, stored.id),
      stored,
    );
    const regionKey = `${stored.project.number}/${stored.region}`;
    let region = this.#byRegion.get(regionKey);
    if (!region) {
      region = new Map();
      this.#byRegion.set(regionKey, region);
    }
    region.set(stored.id, stored);
  }

  private remove(stored: StoredService) {
    this.#services.delete(
      this.key(stored.project.number, stored.region, stored.id),
    );
    this.#byRegion
      .get(`${stored.project.number}/${stored.region}`)
      ?.delete(stored.id);
  }

  /** The service as the API returns it, naming the project the way the caller did. */
  render(stored: StoredService, projectSegment: string): RunService {
    this.settle(stored);
    const body = structuredClone(stored.body);
    if (projectSegment !== stored.project.id) {
      const from = `projects/${stored.project.id}/`;
      const to = `projects/${projectSegment}/`;
      for (const field of [
        'name',
        'latestReadyRevision',
        'latestCreatedRevision',
      ]) {
        if (typeof body[field] === 'string')
          body[field] = body[field].replace(from, to);
      }
    }
    return body;
  }

  /** Finishes a rollout whose time has come. */
  private settle(stored: StoredService) {
    if (stored.settlesAt === undefined || this.#world.now() < stored.settlesAt)
      return;
    const body = stored.body;
    const now = timestamp(stored.settlesAt);
    stored.settlesAt = undefined;
    body.reconciling = false;
    body.observedGeneration = body.generation;
    if (stored.failure) {
      body.terminalCondition = {
        type: 'Ready',
        state: 'CONDITION_FAILED',
        message: stored.failure,
        lastTransitionTime: now,
        severity: 'ERROR',
        reason: 'REVISION_FAILED',
      };
      body.conditions = [
        {
          type: 'RoutesReady',
          state: 'CONDITION_FAILED',
          message: stored.failure,
          lastTransitionTime: now,
          severity: 'ERROR',
          revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
        },
      ];
      return;
    }
    body.latestReadyRevision = body.latestCreatedRevision;
    Object.assign(body, this.urlsFor(stored.project, stored.region, stored.id));
    body.terminalCondition = {
      type: 'Ready',
      state: 'CONDITION_SUCCEEDED',
      lastTransitionTime: now,
    };
    body.conditions = [
      {
        type: 'RoutesReady',
        state: 'CONDITION_SUCCEEDED',
        lastTransitionTime: now,
      },
      {
        type: 'ConfigurationsReady',
        state: 'CONDITION_SUCCEEDED',
        lastTransitionTime: now,
      },
    ];
    body.trafficStatuses = [
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 },
    ];
  }

  /** Fills server defaults, output fields and a new revision into a requested Service. */
  private materialize(
    project: Project,
    region: string,
    id: string,
    requested: RunService,
    previous?: RunService,
  ): RunService {
    const now = timestamp(this.#world.now());
    const generation = previous ? Number(previous.generation) + 1 : 1;
    const name = `projects/${project.id}/locations/${region}/services/${id}`;
    const template = structuredClone(requested.template ?? {});
    template.containers = (template.containers ?? []).map(
      (c: RunService, i: number) => ({
        ...c,
        resources: {
          limits: { cpu: '1000m', memory: '512Mi' },
          ...(c.resources ?? {}),
          ...(c.resources?.limits
            ? {
                limits: {
                  cpu: '1000m',
                  memory: '512Mi',
                  ...c.resources.limits,
                },
              }
            : {}),
        },
        ...(i === 0
          ? { ports: c.ports ?? [{ name: 'http1', containerPort: 8080 }] }
          : {}),
      }),
    );
    template.serviceAccount ??= `${project.number}-compute@developer.gserviceaccount.com`;
    template.timeout ??= '300s';
    template.maxInstanceRequestConcurrency ??= 80;
    template.executionEnvironment ??= 'EXECUTION_ENVIRONMENT_GEN2';
    const revision = `${name}/revisions/${id}-${String(generation).padStart(
      5,
      '0',
    )}-${revisionSuffix()}`;
    const body: RunService = {
      ...structuredClone(requested),
      name,
      uid: previous?.uid ?? randomUUID(),
      generation: String(generation),
      observedGeneration: previous?.observedGeneration ?? '0',
      createTime: previous?.createTime ?? now,
      updateTime: now,
      creator: previous?.creator ?? this.#world.options.callerEmail,
      lastModifier: this.#world.options.callerEmail,
      ingress: requested.ingress ?? previous?.ingress ?? 'INGRESS_TRAFFIC_ALL',
      launchStage: requested.launchStage ?? 'GA',
      template,
      traffic: requested.traffic ?? [
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 },
      ],
      reconciling: true,
      terminalCondition: {
        type: 'Ready',
        state: 'CONDITION_RECONCILING',
        lastTransitionTime: now,
        reason: 'WAITING_FOR_OPERATION',
      },
      latestCreatedRevision: revision,
      ...(previous?.latestReadyRevision
        ? { latestReadyRevision: previous.latestReadyRevision }
        : {}),
      ...(previous?.uri ? { uri: previous.uri, urls: previous.urls } : {}),
      etag: `"${randomUUID().replace(/-/g, '').slice(0, 16)}/${Buffer.from(
        name,
      ).toString('base64')}"`,
    };
    return body;
  }

  private failureFor(body: RunService): string | undefined {
    const images: string[] = (body.template?.containers ?? []).map(
      (c: RunService) => c.image,
    );
    const failing = images.find(image =>
      this.#world.seed.runtime.failingImages.some(pattern =>
        image.includes(pattern),
      ),
    );
    return failing
      ? `Revision '${body.latestCreatedRevision
          .split('/')
          .pop()}' is not ready and cannot serve traffic. The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout.`
      : undefined;
  }

  seedService(project: Project, s: SeedService) {
    const requested: RunService = {
      ...(s.description ? { description: s.description } : {}),
      ...(s.labels ? { labels: s.labels } : {}),
      ...(s.annotations ? { annotations: s.annotations } : {}),
      ingress: s.ingress,
      ...(s.launchStage ? { launchStage: s.launchStage } : {}),
      iapEnabled: s.iapEnabled,
      ...(s.invokerIamDisabled !== undefined
        ? { invokerIamDisabled: s.invokerIamDisabled }
        : {}),
      ...(s.defaultUriDisabled !== undefined
        ? { defaultUriDisabled: s.defaultUriDisabled }
        : {}),
      template: {
        ...(s.serviceAccount ? { serviceAccount: s.serviceAccount } : {}),
        containers: [
          {
            image: s.image,
            ...(s.port
              ? { ports: [{ name: 'http1', containerPort: s.port }] }
              : {}),
            ...(s.env ? { env: s.env } : {}),
          },
        ],
      },
    };
    const body = this.materialize(project, s.region, s.id, requested);
    const stored: StoredService = { project, region: s.region, id: s.id, body };
    if (s.state === 'ready' || s.state === 'failed') {
      stored.settlesAt = this.#world.now();
      stored.failure =
        s.state === 'failed'
          ? s.failureMessage ?? 'The user-provided container failed to start.'
          : undefined;
      this.settle(stored);
    }
    this.put(stored);
  }

  private startOperation(
    project: Project,
    projectSegment: string,
    region: string,
    metadata: RunService,
    finish: RunOperation['finish'],
  ): RunOperation {
    const op: RunOperation = {
      name: `projects/${projectSegment}/locations/${region}/operations/${randomUUID()}`,
      projectNumber: project.number,
      region,
      doneAt: this.#world.now() + this.#world.seed.runtime.operationDelayMs,
      metadata,
      finish,
    };
    this.#operations.set(op.name, op);
    return op;
  }

  /**
   * An operation for a create or update: the service reconciles until the operation is
   * done, then settles as ready, or as failed when its image is one of the failing ones.
   */
  private startRollout(
    stored: StoredService,
    projectSegment: string,
  ): RunOperation {
    const op = this.startOperation(
      stored.project,
      projectSegment,
      stored.region,
      { '@type': SERVICE_TYPE, ...this.render(stored, projectSegment) },
      () => {
        stored.settlesAt = op.doneAt;
        this.settle(stored);
        return stored.failure
          ? { error: { code: 9, message: stored.failure } }
          : { response: this.render(stored, projectSegment) };
      },
    );
    stored.settlesAt = op.doneAt + 1;
    return op;
  }

  create(
    project: Project,
    projectSegment: string,
    region: string,
    serviceId: string,
    requested: RunService,
    validateOnly: boolean,
  ): RunOperation | RunService {
    if (!serviceIdPattern.test(serviceId)) {
      throw runViolation(
        'CreateServiceRequest.service_id',
        'only lowercase, digits, and hyphens; must begin with letter, and cannot end with hyphen; must be less than 50 characters.',
      );
    }
    validateServiceBody(requested, 'CreateServiceRequest');
    if (this.#services.has(this.key(project.number, region, serviceId))) {
      throw new GoogleApiError('ALREADY_EXISTS', 'Resource already exists.');
    }
    const clean = { ...requested };
    for (const f of outputOnlyFields) delete clean[f];
    const body = this.materialize(project, region, serviceId, clean);
    const stored: StoredService = { project, region, id: serviceId, body };
    if (validateOnly) {
      return {
        name: `projects/${projectSegment}/locations/${region}/operations/validate-only`,
        done: true,
        response: {
          '@type': SERVICE_TYPE,
          ...this.render(stored, projectSegment),
        },
      };
    }
    stored.failure = this.failureFor(body);
    this.put(stored);
    return this.startRollout(stored, projectSegment);
  }

  update(
    project: Project,
    projectSegment: string,
    region: string,
    serviceId: string,
    requested: RunService,
    options: {
      updateMask?: string[];
      allowMissing: boolean;
      validateOnly: boolean;
    },
  ): RunOperation | RunService {
    const stored = this.find(project, region, serviceId);
    if (!stored) {
      if (options.allowMissing) {
        return this.create(
          project,
          projectSegment,
          region,
          serviceId,
          requested,
          options.validateOnly,
        );
      }
      throw this.notFound(projectSegment, region, serviceId);
    }
    if (requested.etag && requested.etag !== stored.body.etag) {
      throw new GoogleApiError(
        'ABORTED',
        `The service has been modified since it was read (etag mismatch): ${stored.body.name}`,
      );
    }
    let next: RunService;
    if (options.updateMask && options.updateMask.length > 0) {
      next = structuredClone(stored.body);
      for (const path of options.updateMask) {
        const parts = path.split('.');
        let target = next;
        let source: RunService | undefined = requested;
        for (const part of parts.slice(0, -1)) {
          target[part] ??= {};
          target = target[part];
          source = source?.[part];
        }
        const leaf = parts[parts.length - 1];
        if (source && leaf in source)
          target[leaf] = structuredClone(source[leaf]);
        else delete target[leaf];
      }
    } else {
      next = structuredClone(requested);
    }
    for (const f of outputOnlyFields) delete next[f];
    validateServiceBody(next, 'UpdateServiceRequest');
    const body = this.materialize(
      project,
      region,
      serviceId,
      next,
      stored.body,
    );
    if (options.validateOnly) {
      return {
        name: `projects/${projectSegment}/locations/${region}/operations/validate-only`,
        done: true,
        response: {
          '@type': SERVICE_TYPE,
          ...this.render({ ...stored, body }, projectSegment),
        },
      };
    }
    stored.body = body;
    stored.failure = this.failureFor(body);
    return this.startRollout(stored, projectSegment);
  }

  delete(
    project: Project,
    projectSegment: string,
    region: string,
    serviceId: string,
    options: { etag?: string; validateOnly: boolean },
  ): RunOperation | RunService {
    const stored = this.find(project, region, serviceId);
    if (!stored) throw this.notFound(projectSegment, region, serviceId);
    if (options.etag && options.etag !== stored.body.etag) {
      throw new GoogleApiError(
        'ABORTED',
        `The service has been modified since it was read (etag mismatch): ${stored.body.name}`,
      );
    }
    const snapshot = this.render(stored, projectSegment);
    if (options.validateOnly) {
      return {
        name: `projects/${projectSegment}/locations/${region}/operations/validate-only`,
        done: true,
        response: { '@type': SERVICE_TYPE, ...snapshot },
      };
    }
    this.remove(stored);
    this.#world.iam.delete(this.iamKey(project, region, serviceId));
    const op = this.startOperation(
      project,
      projectSegment,
      region,
      { '@type': SERVICE_TYPE, ...snapshot },
      () => ({
        response: { ...snapshot, deleteTime: timestamp(this.#world.now()) },
      }),
    );
    return op;
  }

  notFound(projectSegment: string, region: string, serviceId: string) {
    return new GoogleApiError(
      'NOT_FOUND',
      `service "projects/${projectSegment}/locations/${region}/services/${serviceId}" not found`,
    );
  }

  /** The operation as the API returns it, finishing it when its time has come. */
  operation(name: string): RunService | undefined {
    const op = this.#operations.get(name);
    if (!op) return undefined;
    return this.renderOperation(op);
  }

  findOperation(name: string): RunOperation | undefined {
    return this.#operations.get(name);
  }

  renderOperation(op: RunOperation): RunService {
    if (!op.result && this.#world.now() >= op.doneAt) {
      op.result = op.finish();
    }
    const out: RunService = { name: op.name, metadata: op.metadata };
    if (op.result) {
      out.done = true;
      if (op.result.error) out.error = op.result.error;
      if (op.result.response) {
        out.response = { '@type': SERVICE_TYPE, ...op.result.response };
      }
    }
    return out;
  }

  operations(project: Project, region: string): RunOperation[] {
    return [...this.#operations.values()].filter(
      op => op.projectNumber === project.number && op.region === region,
    );
  }

  dump() {
    return [...this.#services.values()].map(s => this.render(s, s.project.id));
  }

  operationsDump() {
    return [...this.#operations.values()].map(op => this.renderOperation(op));
  }
}
