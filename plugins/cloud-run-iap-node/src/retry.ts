import { LoggerService } from '@backstage/backend-plugin-api';
import { GoogleApiError } from './errors';

/** What a failed googleapis call tells us. */
export interface GoogleCallError {
  httpStatus?: number;
  status?: string;
  message: string;
}

/** Reads a {@link GoogleApiError} or a raw googleapis error the same way. */
export function describeGoogleError(error: unknown): GoogleCallError {
  if (error instanceof GoogleApiError) {
    const { httpStatus, status, message } = error;
    return { httpStatus, status, message };
  }
  const { httpStatus, status, message } = GoogleApiError.from(error, '');
  return { httpStatus, status, message };
}

/** 408, 429, 5xx, a timeout or a dropped connection: worth trying again. */
export function isRetryable(error: unknown): boolean {
  return GoogleApiError.from(error, '').retryable;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  signal?: AbortSignal;
  logger?: LoggerService;
  /** Names the call in the one log line each retry writes. */
  description: string;
  /** Retries these too (e.g. the IAP agent's propagation delay); 429/5xx always retry. */
  alsoRetry?: (error: unknown) => boolean;
}

export function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  return reason instanceof Error
    ? reason
    : new Error('The operation was aborted');
}

/** Waits `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The wait before retry `attempt` (1 for the first retry): the step doubles from `baseDelayMs`
 * up to `maxDelayMs`, half of it fixed and half random (jitter).
 */
export function retryDelayMs(
  attempt: number,
  tuning: { baseDelayMs: number; maxDelayMs: number },
): number {
  const cap = Math.min(
    tuning.maxDelayMs,
    tuning.baseDelayMs * 2 ** (attempt - 1),
  );
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/**
 * Exponential backoff with jitter ({@link retryDelayMs}). Only for calls that are safe to repeat: reads, and
 * writes whose repetition is harmless (IAM sets carry an etag, creates check state first).
 */
export async function withRetries<T>(
  fn: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      return await fn();
    } catch (error) {
      const retryable =
        isRetryable(error) || options.alsoRetry?.(error) === true;
      if (!retryable || attempt >= options.attempts) throw error;
      const delay = retryDelayMs(attempt, options);
      const { httpStatus, message } = describeGoogleError(error);
      options.logger?.warn(
        `${options.description} failed (${
          httpStatus ?? 'no response'
        }: ${message}); retry ${attempt} of ${
          options.attempts - 1
        } in ${delay} ms`,
      );
      await sleep(delay, options.signal);
    }
  }
}
