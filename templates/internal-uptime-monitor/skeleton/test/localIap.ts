// Plays Google for the tests: a locally generated ES256 key with a key id, its JWK set, and
// tokens shaped like IAP's.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { IAP_ISSUER, IapKeySet } from '../src/iap.ts';

export const AUDIENCE = '/projects/100000000001/locations/europe-west2/services/sample-app';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class LocalIap {
  readonly kid: string;
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  fetches = 0;

  constructor(kid = 'test-key-1') {
    this.kid = kid;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
  }

  jwks() {
    return { keys: [{ ...this.#publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'ES256', use: 'sig' }] };
  }

  keySet(): IapKeySet {
    return new IapKeySet({
      url: 'https://keys.invalid/jwk',
      fetch: async () => {
        this.fetches += 1;
        return this.jwks();
      },
    });
  }

  token(overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: IAP_ISSUER,
      aud: AUDIENCE,
      sub: 'accounts.google.com:1234567890',
      email: 'ada@example.com',
      iat: now - 5,
      exp: now + 600,
      ...overrides,
    };
    const signingInput = `${b64({ alg: 'ES256', typ: 'JWT', kid: this.kid, ...header })}.${b64(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key: this.#privateKey, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  }
}

export function unsignedToken(): string {
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: IAP_ISSUER, aud: AUDIENCE, sub: 'x', email: 'mallory@example.com', iat: now, exp: now + 600 })}.`;
}
