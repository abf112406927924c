import { LoggerService } from '@backstage/backend-plugin-api';

/** What a failed googleapis call tells us. */
export interface GoogleCallError {
  httpStatus?: number;
  status?: string;
  message: string;
}

export function describeGoogleError(error: unknown): GoogleCallError {
  const e = error as any;
  const body = e?.response?.data?.error;
  return {
    httpStatus:
      e?.response?.status ??
      e?.status ??
      (typeof e?.code === 'number' ? e.code : undefined),
    status: body?.status,
    message: body?.message ?? e?.message ?? String(error),
  };
}

export function isRetryable(error: unknown): boolean {
  const { httpStatus } = describeGoogleError(error);
  if (httpStatus === undefined) {
    // No HTTP answer at all: a reset connection or a timeout.
    const code = (error as any)?.code;
    return [
      'ECONNRESET',
      'ETIMEDOUT',
      'ECONNREFUSED',
      'EPIPE',
      'UND_ERR_SOCKET',
    ].includes(code);
  }
  return httpStatus === 429 || httpStatus === 408 || httpStatus >= 500;
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
 * Exponential backoff with jitter (half the step fixed, half random). Only for calls that are safe to repeat: reads, and
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
      const cap = Math.min(
        options.maxDelayMs,
        options.baseDelayMs * 2 ** (attempt - 1),
      );
      const delay = Math.round(cap / 2 + Math.random() * (cap / 2));
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
