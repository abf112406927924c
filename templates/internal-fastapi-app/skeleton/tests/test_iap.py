"""The IAP assertion checks, with locally generated ES256 keys."""

import time

import pytest

from app.iap import IapKeySet, IapVerificationError, IapVerifier
from tests.iap_testing import AUDIENCE, LocalIap, unsigned_token


@pytest.fixture()
def iap() -> LocalIap:
    return LocalIap()


@pytest.fixture()
def verifier(iap: LocalIap) -> IapVerifier:
    return IapVerifier(AUDIENCE, iap.key_set())


def test_a_valid_assertion_gives_the_user_from_the_token(iap, verifier):
    user = verifier.verify(iap.token())
    assert user.email == "ada@example.com"
    assert user.user_id == "accounts.google.com:1234567890"


@pytest.mark.parametrize(
    "token_kwargs, reason",
    [
        ({"exp": int(time.time()) - 120, "iat": int(time.time()) - 700}, "IAP assertion has expired"),
        ({"aud": "/projects/1/locations/us-central1/services/other"}, "IAP assertion is for another audience"),
        ({"iss": "https://accounts.google.com"}, "IAP assertion issuer is not https://cloud.google.com/iap"),
        ({"iat": int(time.time()) + 3600}, "IAP assertion is issued in the future"),
        ({"kid": "rotated-away"}, "IAP assertion is signed with unknown key rotated-away"),
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "issued-in-future", "unknown-kid"],
)
def test_a_bad_assertion_is_refused_with_a_one_line_reason(iap, verifier, token_kwargs, reason):
    with pytest.raises(IapVerificationError) as error:
        verifier.verify(iap.token(**token_kwargs))
    assert str(error.value) == reason
    assert "\n" not in str(error.value)


def test_an_unsigned_assertion_is_refused(verifier):
    with pytest.raises(IapVerificationError, match="must be signed with ES256, not none"):
        verifier.verify(unsigned_token())


def test_a_token_signed_by_another_key_with_a_known_kid_is_refused(iap, verifier):
    forger = LocalIap(kid=iap.kid)
    with pytest.raises(IapVerificationError, match="signature does not verify"):
        verifier.verify(forger.token())


def test_a_missing_or_malformed_header_is_refused(verifier):
    with pytest.raises(IapVerificationError, match="missing x-goog-iap-jwt-assertion"):
        verifier.verify(None)
    with pytest.raises(IapVerificationError, match="malformed IAP assertion"):
        verifier.verify("not-a-jwt")


def test_keys_are_cached_and_fetched_again_for_a_rotated_kid():
    old = LocalIap(kid="k1")
    clock = [1000.0]
    published = [old.jwks()]
    fetches = []

    def fetch(_url):
        fetches.append(1)
        return published[0]

    keys = IapKeySet(url="https://keys.invalid/jwk", fetch=fetch, min_refresh_seconds=30, clock=lambda: clock[0])
    verifier = IapVerifier(AUDIENCE, keys)
    verifier.verify(old.token())
    verifier.verify(old.token())
    assert len(fetches) == 1

    # Google rotates: a new key id appears; the cache fetches the set again once it may.
    new = LocalIap(kid="k2")
    published[0] = {"keys": old.jwks()["keys"] + new.jwks()["keys"]}
    clock[0] += 31
    assert verifier.verify(new.token()).email == "ada@example.com"
    assert len(fetches) == 2
    # An unknown kid within the refresh interval does not hammer Google.
    with pytest.raises(IapVerificationError, match="unknown key"):
        verifier.verify(LocalIap(kid="k3").token())
    assert len(fetches) == 2


def test_the_audience_comes_from_the_environment():
    assert IapVerifier.from_env({"IAP_AUDIENCE": AUDIENCE}).audience == AUDIENCE
    with pytest.raises(RuntimeError, match="IAP_AUDIENCE is not set"):
        IapVerifier.from_env({})
