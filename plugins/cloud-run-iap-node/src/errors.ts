import { scrubGoogleText } from './scrub';

const NETWORK_CODES = [
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
];

/**
 * What the node layer recognised in a failure: no answer in time, no connection, or Google
 * refusing a grant to the IAP service agent because the agent has not propagated yet (the
 * scrubbed message no longer names the agent).
 */
export type GoogleApiErrorReason =
  | 'timeout'
  | 'network'
  | 'iap-service-agent-missing';

const IAP_AGENT_MISSING =
  /gcp-sa-iap\.iam\.gserviceaccount\.com does not exist/;

/**
 * A failed Google call, as it leaves the node layer: Google's status and a scrubbed message,
 * never the googleapis error itself (that one carries the request, its headers included).
 */
export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';
  /** The HTTP status of Google's answer; undefined when there was none. */
  readonly httpStatus?: number;
  /** Google's canonical status (`PERMISSION_DENIED`, `ABORTED`…), when it sent one. */
  readonly status?: string;
  /** The call that failed and what it was about, e.g. `services.get projects/p/locations/r/services/s`. */
  readonly method: string;
  readonly reason?: GoogleApiErrorReason;
  /** Whether trying again later may succeed: 408, 429, 5xx, timeouts and dropped connections. */
  readonly retryable: boolean;

  constructor(options: {
    method: string;
    message: string;
    httpStatus?: number;
    status?: string;
    reason?: GoogleApiErrorReason;
  }) {
    super(scrubGoogleText(options.message));
    this.method = scrubGoogleText(options.method);
    this.httpStatus = options.httpStatus;
    this.status = options.status;
    this.reason = options.reason;
    const { httpStatus } = options;
    this.retryable =
      httpStatus === undefined
        ? options.reason === 'timeout' || options.reason === 'network'
        : httpStatus === 429 || httpStatus === 408 || httpStatus >= 500;
  }

  /** Wraps whatever a googleapis call threw; a GoogleApiError passes through unchanged. */
  static from(error: unknown, method: string): GoogleApiError {
    if (error instanceof GoogleApiError) return error;
    const e = error as any;
    const body = e?.response?.data?.error;
    const httpStatus = [e?.response?.status, e?.status, e?.code].find(
      (n): n is number => typeof n === 'number' && n >= 100 && n < 600,
    );
    const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
    const message =
      (typeof body?.message === 'string' ? body.message : undefined) ??
      (typeof body === 'string' ? body : undefined) ??
      (typeof e?.message === 'string' ? e.message : String(error));
    return new GoogleApiError({
      method,
      httpStatus,
      status: typeof body?.status === 'string' ? body.status : undefined,
      message,
      reason: reasonFor(httpStatus, code, message),
    });
  }
}

function reasonFor(
  httpStatus: number | undefined,
  code: unknown,
  message: string,
): GoogleApiErrorReason | undefined {
  if (httpStatus === undefined) {
    return NETWORK_CODES.includes(code as string) ? 'network' : undefined;
  }
  return IAP_AGENT_MISSING.test(message)
    ? 'iap-service-agent-missing'
    : undefined;
}
