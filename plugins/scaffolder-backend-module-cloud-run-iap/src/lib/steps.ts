import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import type { ServiceTarget } from './validation';

/** What a checkpoint may store: plain JSON. */
export type CheckpointValue =
  | string
  | number
  | boolean
  | null
  | CheckpointValue[]
  | { [key: string]: CheckpointValue };

/**
 * A checkpoint key naming the target and the step, e.g.
 * `cloud-run-iap/acme-sandbox/europe-west2/my-app/create/service`. The scaffolder prefixes it
 * with the template step id, so two steps on one service do not collide.
 */
export function checkpointKey(
  target: ServiceTarget,
  operation: string,
  step: string,
): string {
  return `cloud-run-iap/${target.projectId}/${target.region}/${target.serviceId}/${operation}/${step}`;
}

/** A short digest of a change, so different changes of one service get different keys. */
export function changeDigest(change: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(change))
    .digest('hex')
    .slice(0, 12);
}

/** Writes one numbered line per step, and runs the ones with side effects behind checkpoints. */
export class StepRunner {
  readonly #ctx: Pick<ActionContext<any, any>, 'checkpoint' | 'logger'>;
  readonly #total: number;
  #keyOf?: (step: string) => string;
  #current = 0;

  constructor(
    ctx: Pick<ActionContext<any, any>, 'checkpoint' | 'logger'>,
    total: number,
  ) {
    this.#ctx = ctx;
    this.#total = total;
  }

  /** Names the target and operation the checkpoint keys are derived from (once validated). */
  target(target: ServiceTarget, operation: string) {
    this.#keyOf = step => checkpointKey(target, operation, step);
  }

  /** Logs the next step's line. */
  begin(label: string) {
    this.#current += 1;
    this.#ctx.logger.info(`Step ${this.#current}/${this.#total}: ${label}`);
  }

  /** Logs the next step's line and runs `fn` once per task behind a checkpoint. */
  async run<T extends CheckpointValue>(
    label: string,
    step: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    if (!this.#keyOf) throw new Error('StepRunner: target() not called');
    this.begin(label);
    return this.#ctx.checkpoint<T>({ key: this.#keyOf(step), fn });
  }

  /** Logs a skipped step (dry run, or nothing to do) so the numbering stays whole. */
  skip(label: string, reason: string) {
    this.begin(`${label} (${reason})`);
  }
}

/** Resolves with `work`, logging `report(elapsed seconds)` every `everyMs` until then. */
export async function withProgress<T>(
  work: Promise<T>,
  everyMs: number,
  report: (elapsedSeconds: number) => void,
): Promise<T> {
  const started = Date.now();
  const timer = setInterval(
    () => report(Math.round((Date.now() - started) / 1000)),
    everyMs,
  );
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
