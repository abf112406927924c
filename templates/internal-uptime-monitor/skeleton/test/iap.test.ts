import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IapKeySet, IapVerifier } from '../src/iap.ts';
import { AUDIENCE, LocalIap, unsignedToken } from './localIap.ts';

const now = () => Math.floor(Date.now() / 1000);

describe('IAP assertion checks', () => {
  const iap = new LocalIap();
  const verifier = new IapVerifier({ audience: AUDIENCE, keys: iap.keySet() });
  const refused = (token: string | undefined, reason: string) =>
    assert.rejects(verifier.verify(token), { name: 'IapVerificationError', message: reason });

  it('accepts a valid assertion and reads the user from it', async () => {
    assert.deepEqual(await verifier.verify(iap.token()), {
      email: 'ada@example.com',
      userId: 'accounts.google.com:1234567890',
    });
  });

  it('refuses an expired assertion', () =>
    refused(iap.token({ exp: now() - 120, iat: now() - 700 }), 'IAP assertion has expired'));

  it('refuses an assertion for another audience', () =>
    refused(iap.token({ aud: '/projects/1/locations/us-central1/services/other' }), 'IAP assertion is for another audience'));

  it('refuses an assertion from another issuer', () =>
    refused(iap.token({ iss: 'https://accounts.google.com' }), 'IAP assertion issuer is not https://cloud.google.com/iap'));

  it('refuses an assertion issued in the future', () =>
    refused(iap.token({ iat: now() + 3600 }), 'IAP assertion is issued in the future'));

  it('refuses an unsigned assertion', () => refused(unsignedToken(), 'IAP assertion must be signed with ES256, not none'));

  it('refuses an assertion signed with an unknown key id', () =>
    refused(iap.token({}, { kid: 'rotated-away' }), 'IAP assertion is signed with unknown key rotated-away'));

  it('refuses a forged signature under a known key id', () =>
    refused(new LocalIap(iap.kid).token(), 'IAP assertion signature does not verify'));

  it('refuses a missing or malformed header', async () => {
    await refused(undefined, 'missing x-goog-iap-jwt-assertion header (the request did not come through IAP)');
    await refused('not-a-jwt', 'malformed IAP assertion');
  });

  it('caches the keys and fetches them again for a rotated key id', async () => {
    const old = new LocalIap('k1');
    const rotated = new LocalIap('k2');
    let clock = 1_000_000;
    let published = old.jwks();
    let fetches = 0;
    const keys = new IapKeySet({
      fetch: async () => {
        fetches += 1;
        return published;
      },
      minRefreshMs: 30_000,
      now: () => clock,
    });
    const v = new IapVerifier({ audience: AUDIENCE, keys });
    await v.verify(old.token());
    await v.verify(old.token());
    assert.equal(fetches, 1);
    published = { keys: [...old.jwks().keys, ...rotated.jwks().keys] };
    clock += 31_000;
    assert.equal((await v.verify(rotated.token())).email, 'ada@example.com');
    assert.equal(fetches, 2);
    await assert.rejects(v.verify(new LocalIap('k3').token()), /unknown key k3/);
    assert.equal(fetches, 2);
  });

  it('takes the audience from IAP_AUDIENCE', () => {
    assert.equal(IapVerifier.fromEnv({ IAP_AUDIENCE: AUDIENCE }).audience, AUDIENCE);
    assert.throws(() => IapVerifier.fromEnv({}), /IAP_AUDIENCE is not set/);
  });
});
