import { Response } from 'express';
import { IncomingMessage } from 'node:http';

/** A report or review ran past its deadline (`cloudRunIap.report.deadline`). */
export class DeadlineExceededError extends Error {
  readonly name = 'DeadlineExceededError';
  readonly deadlineMs: number;

  constructor(deadlineMs: number) {
    super(`it did not finish within ${formatDeadline(deadlineMs)}`);
    this.deadlineMs = deadlineMs;
  }
}

export function isDeadlineExceeded(
  error: unknown,
): error is DeadlineExceededError {
  return error instanceof DeadlineExceededError;
}

export function formatDeadline(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The caller went away: nobody is left to answer. */
export class ClientClosedError extends Error {
  readonly name = 'ClientClosedError';

  constructor() {
    super('The client closed the request');
  }
}

/**
 * The signal one request's Google work runs under: it aborts with a
 * {@link DeadlineExceededError} when the deadline passes, and with a {@link ClientClosedError}
 * when the client closes the connection before the answer is sent. An action call has no
 * connection of its own: only its deadline aborts it.
 */
export class RequestDeadline {
  readonly signal: AbortSignal;
  readonly deadlineMs: number;

  static start(
    deadlineMs: number,
    http?: { req: IncomingMessage; res: Response },
  ): RequestDeadline {
    return new RequestDeadline(deadlineMs, http?.res);
  }

  private constructor(deadlineMs: number, res: Response | undefined) {
    this.deadlineMs = deadlineMs;
    const controller = new AbortController();
    this.signal = controller.signal;
    const timer = setTimeout(
      () => controller.abort(new DeadlineExceededError(deadlineMs)),
      deadlineMs,
    );
    if (!res) {
      // Nothing else ends the timer: it must not keep the process alive past its work.
      timer.unref();
      return;
    }
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) controller.abort(new ClientClosedError());
    });
  }
}
