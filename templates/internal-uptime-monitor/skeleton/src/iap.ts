// Verification of the signed header Identity-Aware Proxy adds to every request
// (https://cloud.google.com/iap/docs/signed-headers-howto): ES256 against Google's published
// keys (cached, fetched again for an unknown key id), issuer, audience, expiry and issue time.
// The user's email and id come from the verified token only.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

export const IAP_HEADER = 'x-goog-iap-jwt-assertion';
export const IAP_ISSUER = 'https://cloud.google.com/iap';
export const IAP_PUBLIC_KEYS_URL = 'https://www.gstatic.com/iap/verify/public_key-jwk';
/** Google allows 30 seconds of clock skew on exp and iat. */
export const LEEWAY_SECONDS = 30;

/** The request carries no valid IAP assertion; the message is a one-line reason. */
export class IapVerificationError extends Error {
  override name = 'IapVerificationError';
}

export interface IapUser {
  email: string;
  userId: string;
}

/** One key of Google's JWK set (EC P-256 for ES256). */
export interface Jwk {
  kty?: string;
  kid?: string;
  crv?: string;
  x?: string;
  y?: string;
  alg?: string;
  use?: string;
}

type FetchKeys = (url: string) => Promise<{ keys?: Jwk[] }>;

async function fetchKeys(url: string) {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as { keys?: Jwk[] };
}

/** Google's IAP keys by key id: fetched on first use, kept for `maxAgeMs`, fetched again for an
 * unknown key id at most once every `minRefreshMs`. */
export class IapKeySet {
  #keys = new Map<string, KeyObject>();
  #fetchedAt: number | undefined;
  #pending: Promise<void> | undefined;
  readonly #url: string;
  readonly #fetch: FetchKeys;
  readonly #maxAgeMs: number;
  readonly #minRefreshMs: number;
  readonly #now: () => number;

  constructor(options: {
    url?: string;
    fetch?: FetchKeys;
    maxAgeMs?: number;
    minRefreshMs?: number;
    now?: () => number;
  } = {}) {
    this.#url = options.url ?? IAP_PUBLIC_KEYS_URL;
    this.#fetch = options.fetch ?? fetchKeys;
    this.#maxAgeMs = options.maxAgeMs ?? 3_600_000;
    this.#minRefreshMs = options.minRefreshMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  async #refresh(): Promise<void> {
    const document = await this.#fetch(this.#url);
    const keys = new Map<string, KeyObject>();
    for (const jwk of document.keys ?? []) {
      if (jwk.kty === 'EC' && jwk.kid) keys.set(jwk.kid, createPublicKey({ key: { ...jwk }, format: 'jwk' }));
    }
    this.#keys = keys;
    this.#fetchedAt = this.#now();
  }

  async key(kid: string): Promise<KeyObject | undefined> {
    const now = this.#now();
    const age = this.#fetchedAt === undefined ? Infinity : now - this.#fetchedAt;
    if (age > this.#maxAgeMs || (!this.#keys.has(kid) && age >= this.#minRefreshMs)) {
      this.#pending ??= this.#refresh().finally(() => {
        this.#pending = undefined;
      });
      try {
        await this.#pending;
      } catch (error) {
        if (this.#keys.size === 0) {
          throw new IapVerificationError(`cannot fetch IAP public keys: ${(error as Error).name}`);
        }
      }
    }
    return this.#keys.get(kid);
  }
}

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw new IapVerificationError(`malformed IAP assertion (${what})`);
}

export class IapVerifier {
  readonly audience: string;
  readonly #keys: IapKeySet;
  readonly #issuer: string;
  readonly #nowSeconds: () => number;

  constructor(options: { audience: string; keys?: IapKeySet; issuer?: string; nowSeconds?: () => number }) {
    if (!options.audience) throw new Error('the expected IAP audience is empty');
    this.audience = options.audience;
    this.#keys = options.keys ?? new IapKeySet();
    this.#issuer = options.issuer ?? IAP_ISSUER;
    this.#nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
  }

  /** IAP_AUDIENCE (set on the service by the portal), optional IAP_PUBLIC_KEYS_URL. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): IapVerifier {
    const audience = env.IAP_AUDIENCE;
    if (!audience) {
      throw new Error(
        'IAP_AUDIENCE is not set: give the service the audience of its IAP signed header, /projects/PROJECT_NUMBER/locations/REGION/services/SERVICE',
      );
    }
    return new IapVerifier({ audience, keys: new IapKeySet({ url: env.IAP_PUBLIC_KEYS_URL }) });
  }

  async verify(assertion: string | undefined): Promise<IapUser> {
    if (!assertion) {
      throw new IapVerificationError(`missing ${IAP_HEADER} header (the request did not come through IAP)`);
    }
    const parts = assertion.split('.');
    if (parts.length !== 3) throw new IapVerificationError('malformed IAP assertion');
    const [encodedHeader, encodedPayload, encodedSignature] = parts;
    const header = decodePart(encodedHeader, 'header');
    if (header.alg !== 'ES256') {
      throw new IapVerificationError(`IAP assertion must be signed with ES256, not ${String(header.alg)}`);
    }
    if (typeof header.kid !== 'string' || !header.kid) {
      throw new IapVerificationError('IAP assertion names no key id (kid)');
    }
    const key = await this.#keys.key(header.kid);
    if (!key) throw new IapVerificationError(`IAP assertion is signed with unknown key ${header.kid}`);
    const signed = verify(
      'sha256',
      Buffer.from(`${encodedHeader}.${encodedPayload}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(encodedSignature, 'base64url'),
    );
    if (!signed) throw new IapVerificationError('IAP assertion signature does not verify');
    const claims = decodePart(encodedPayload, 'payload');
    if (claims.iss !== this.#issuer) {
      throw new IapVerificationError(`IAP assertion issuer is not ${this.#issuer}`);
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.audience)) {
      throw new IapVerificationError('IAP assertion is for another audience');
    }
    const now = this.#nowSeconds();
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
      throw new IapVerificationError('IAP assertion exp and iat must be numbers');
    }
    if (claims.exp <= now - LEEWAY_SECONDS) throw new IapVerificationError('IAP assertion has expired');
    if (claims.iat > now + LEEWAY_SECONDS) throw new IapVerificationError('IAP assertion is issued in the future');
    if (typeof claims.email !== 'string' || typeof claims.sub !== 'string') {
      throw new IapVerificationError('IAP assertion has no email or sub claim');
    }
    return { email: claims.email, userId: claims.sub };
  }
}
