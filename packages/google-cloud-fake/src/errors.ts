/** Canonical gRPC codes as Google's JSON error envelope names them, with their HTTP status. */
export const canonicalCodes = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ABORTED: 409,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  DATA_LOSS: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
} as const;

export type CanonicalCode = keyof typeof canonicalCodes;

/** The status Google reports for an HTTP code when only the code is known (fault injection). */
export function canonicalCodeForHttpStatus(httpStatus: number): CanonicalCode {
  switch (httpStatus) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ABORTED';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return httpStatus >= 500 ? 'INTERNAL' : 'UNKNOWN';
  }
}

const defaultMessages: Partial<Record<CanonicalCode, string>> = {
  RESOURCE_EXHAUSTED:
    'Quota exceeded for quota metric and limit. Please retry with exponential backoff.',
  UNAVAILABLE: 'The service is currently unavailable.',
  INTERNAL: 'Internal error encountered.',
  DEADLINE_EXCEEDED: 'The request was aborted because it took too long.',
  PERMISSION_DENIED: 'The caller does not have permission',
  UNAUTHENTICATED:
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
};

export function defaultMessageFor(code: CanonicalCode): string {
  return defaultMessages[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

/** Google's JSON error envelope, as every API of the fake answers an error. */
export interface GoogleErrorEnvelope {
  error: {
    code: number;
    message: string;
    status: CanonicalCode;
    details?: object[];
  };
}

/** An error the fake answers with Google's envelope: `{ error: { code, message, status, details } }`. */
export class GoogleApiError extends Error {
  readonly status: CanonicalCode;
  readonly httpStatus: number;
  readonly details: object[];

  constructor(
    status: CanonicalCode,
    message?: string,
    details: object[] = [],
    httpStatus?: number,
  ) {
    super(message ?? defaultMessageFor(status));
    this.status = status;
    this.httpStatus = httpStatus ?? canonicalCodes[status];
    this.details = details;
  }

  toJSON(): GoogleErrorEnvelope {
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        status: this.status,
        ...(this.details.length > 0 ? { details: this.details } : {}),
      },
    };
  }
}

/** A `google.rpc.BadRequest` detail, as Cloud Run v2 attaches to validation errors. */
export function badRequest(field: string, description: string): object {
  return {
    '@type': 'type.googleapis.com/google.rpc.BadRequest',
    fieldViolations: [{ field, description }],
  };
}

/** 400 with Cloud Run v2's "Violation in <field>: <rule>" wording and a BadRequest detail. */
export function runViolation(field: string, rule: string): GoogleApiError {
  const prefix = `Violation in ${field}`;
  return new GoogleApiError('INVALID_ARGUMENT', `${prefix}: ${rule}`, [
    badRequest(prefix, rule),
  ]);
}

export function permissionDenied(
  permission: string,
  resource: string,
  domain = 'iam.googleapis.com',
): GoogleApiError {
  return new GoogleApiError(
    'PERMISSION_DENIED',
    `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'IAM_PERMISSION_DENIED',
        domain,
        metadata: { permission, resource },
      },
    ],
  );
}
