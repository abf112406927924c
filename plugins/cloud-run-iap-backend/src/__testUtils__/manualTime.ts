import {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Clock, clockServiceRef } from '../services/clock';

type ScheduledTask = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/**
 * A scheduler that runs nothing by itself: a test runs a task when it chooses, and waits for it.
 * It records the schedule each task asked for.
 */
export class ManualScheduler implements SchedulerService {
  readonly #tasks = new Map<string, ScheduledTask>();

  factory() {
    return createServiceFactory({
      service: coreServices.scheduler,
      deps: {},
      factory: () => this,
    });
  }

  /** The definition a task was scheduled with. */
  task(id: string): ScheduledTask | undefined {
    return this.#tasks.get(id);
  }

  /** Runs a task once and waits for it; its error, if any, is the test's. */
  async run(id: string): Promise<void> {
    const task = this.#tasks.get(id);
    if (!task) {
      throw new Error(
        `No task ${id} was scheduled (scheduled: ${[...this.#tasks.keys()].join(
          ', ',
        )})`,
      );
    }
    await task.fn(new AbortController().signal);
  }

  async triggerTask(id: string): Promise<void> {
    await this.run(id);
  }

  async cancelTask(): Promise<void> {}

  async scheduleTask(task: ScheduledTask): Promise<void> {
    this.#tasks.set(task.id, task);
  }

  createScheduledTaskRunner(schedule: SchedulerServiceTaskScheduleDefinition) {
    return {
      run: async (task: SchedulerServiceTaskInvocationDefinition) => {
        await this.scheduleTask({ ...task, ...schedule });
      },
    };
  }

  async getScheduledTasks() {
    return [...this.#tasks.values()].map(task => ({
      id: task.id,
      scope: task.scope ?? 'global',
      settings: { version: 1 },
    }));
  }
}

/** A clock that stands still until the test moves it. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: string | Date) {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number) {
    this.#now += ms;
  }

  factory() {
    return createServiceFactory({
      service: clockServiceRef,
      deps: {},
      factory: () => this,
    });
  }
}
