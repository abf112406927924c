import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What `@backstage/plugin-scaffolder-node-test-utils` would give, for scaffolder-node 1.0:
 * an ActionContext whose logger records lines, whose checkpoints live in a store that can
 * outlive a run (and crash on purpose), and whose outputs are collected.
 */

/** Thrown by a {@link CheckpointStore} to simulate the task dying at a step. */
export class SimulatedCrash extends Error {
  constructor(key: string, when: string) {
    super(`simulated crash ${when} checkpoint ${key}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * Checkpoints as the scaffolder keeps them for one task: a value per key, reused on the next
 * run. `crashAt` makes the run die right after the matching step's work, before or after its
 * result was stored, once.
 */
export class CheckpointStore {
  readonly values = new Map<string, unknown>();
  readonly ran: string[] = [];
  crashAt?: { keyEndsWith: string; when: 'before-store' | 'after-store' };

  async checkpoint<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.values.has(key)) {
      return JSON.parse(JSON.stringify(this.values.get(key))) as T;
    }
    const value = await fn();
    this.ran.push(key);
    const crash = this.crashAt && key.endsWith(this.crashAt.keyEndsWith);
    if (crash && this.crashAt!.when === 'before-store') {
      this.crashAt = undefined;
      throw new SimulatedCrash(key, 'before storing');
    }
    this.values.set(key, JSON.parse(JSON.stringify(value ?? {})));
    if (crash) {
      this.crashAt = undefined;
      throw new SimulatedCrash(key, 'after storing');
    }
    return value;
  }
}

export interface RecordedLog {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta?: unknown;
}

export function recordingLogger(lines: RecordedLog[] = []): LoggerService & {
  lines: RecordedLog[];
  text(): string;
} {
  const log =
    (level: RecordedLog['level']) => (message: string, meta?: unknown) => {
      lines.push({ level, message, meta });
    };
  const logger = {
    lines,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
    text: () =>
      lines
        .map(
          l =>
            `${l.level}: ${l.message}${
              l.meta === undefined ? '' : ` ${JSON.stringify(l.meta)}`
            }`,
        )
        .join('\n'),
  };
  return logger;
}

export interface TestActionContext<TInput> {
  ctx: ActionContext<any, any>;
  input: TInput;
  outputs: Record<string, unknown>;
  logger: ReturnType<typeof recordingLogger>;
  checkpoints: CheckpointStore;
}

export function createTestActionContext<TInput extends object>(
  input: TInput,
  options: {
    checkpoints?: CheckpointStore;
    isDryRun?: boolean;
    templateEntityRef?: string;
    signal?: AbortSignal;
    taskId?: string;
  } = {},
): TestActionContext<TInput> {
  const outputs: Record<string, unknown> = {};
  const logger = recordingLogger();
  const checkpoints = options.checkpoints ?? new CheckpointStore();
  const workspacePath = mkdtempSync(join(tmpdir(), 'cloud-run-iap-action-'));
  const ctx: ActionContext<any, any> = {
    input: input as any,
    logger,
    workspacePath,
    checkpoint: ({ key, fn }) => checkpoints.checkpoint(key, fn as any),
    output: (name, value) => {
      outputs[name as string] = value;
    },
    createTemporaryDirectory: async () =>
      mkdtempSync(join(workspacePath, 'tmp-')),
    getInitiatorCredentials: async () => mockCredentials.user(),
    task: { id: options.taskId ?? 'test-task' },
    templateInfo: {
      entityRef: options.templateEntityRef ?? 'template:default/internal-app',
    },
    user: { ref: 'user:default/guest' },
    isDryRun: options.isDryRun ?? false,
    signal: options.signal ?? new AbortController().signal,
    step: { id: 'cloud-run', name: 'Cloud Run' },
  };
  return { ctx, input, outputs, logger, checkpoints };
}
