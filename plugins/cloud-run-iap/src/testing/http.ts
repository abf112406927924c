import { ResponseError } from '@backstage/errors';
import { CloudRunIapApi } from '../api';

/** A minimal fetch `Response` for tests, without the network. */
export function fakeResponse(opts: {
  status: number;
  body: unknown;
  contentType?: string;
}) {
  const text =
    typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const type = opts.contentType ?? 'application/json; charset=utf-8';
  return {
    ok: opts.status >= 200 && opts.status < 300,
    status: opts.status,
    statusText: `status ${opts.status}`,
    redirected: false,
    type: 'basic',
    url: 'http://localhost:7007/api/cloud-run-iap',
    headers: {
      get: (name: string) =>
        name.toLowerCase() === 'content-type' ? type : null,
    },
    text: async () => text,
    json: async () => JSON.parse(text),
    blob: async () => ({ type, text: async () => text }),
  };
}

/** The ResponseError the client throws for a Backstage error answer. */
export function responseError(name: string, status: number, message: string) {
  return ResponseError.fromResponse(
    fakeResponse({
      status,
      body: { error: { name, message }, response: { statusCode: status } },
    }) as any,
  );
}

/** A CloudRunIapApi whose methods are jest mocks that fail unless set. */
export function mockApi(
  overrides: Partial<Record<keyof CloudRunIapApi, jest.Mock>> = {},
): jest.Mocked<CloudRunIapApi> {
  const unexpected = (method: string) =>
    jest.fn(() => Promise.reject(new Error(`unexpected call to ${method}`)));
  return {
    getAccessReport: unexpected('getAccessReport'),
    simulateAccess: unexpected('simulateAccess'),
    getReview: unexpected('getReview'),
    getReviewCsv: unexpected('getReviewCsv'),
    getAccessLevels: unexpected('getAccessLevels'),
    previewAccessChange: unexpected('previewAccessChange'),
    applyAccessChange: unexpected('applyAccessChange'),
    requestAccess: unexpected('requestAccess'),
    listAccessRequests: unexpected('listAccessRequests'),
    listPendingAccessRequests: unexpected('listPendingAccessRequests'),
    decideAccessRequest: unexpected('decideAccessRequest'),
    getAccessHistory: unexpected('getAccessHistory'),
    checkMyAccess: unexpected('checkMyAccess'),
    ...overrides,
  } as jest.Mocked<CloudRunIapApi>;
}
