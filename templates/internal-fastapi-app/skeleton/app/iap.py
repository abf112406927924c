"""Verification of the signed header that Identity-Aware Proxy adds to every request.

IAP signs `x-goog-iap-jwt-assertion` with ES256. The app trusts the user's email and id only
from this verified token, never from the unsigned `x-goog-authenticated-user-*` headers, so a
request that reaches the container without passing IAP (IAP turned off by mistake, a
misconfigured ingress) is refused. Rules: https://cloud.google.com/iap/docs/signed-headers-howto
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Mapping

import jwt
from jwt.algorithms import ECAlgorithm

HEADER = "x-goog-iap-jwt-assertion"
IAP_ISSUER = "https://cloud.google.com/iap"
IAP_PUBLIC_KEYS_URL = "https://www.gstatic.com/iap/verify/public_key-jwk"
# Google allows 30 seconds of clock skew on exp and iat.
LEEWAY_SECONDS = 30


class IapVerificationError(Exception):
    """The request carries no valid IAP assertion; str() is a one-line reason."""


@dataclass(frozen=True)
class IapUser:
    """Who IAP let through, from the verified token only."""

    email: str
    user_id: str
    claims: Mapping[str, object] = field(repr=False)


def _fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (fixed https URL)
        return json.loads(response.read().decode("utf-8"))


class IapKeySet:
    """Google's IAP public keys (a JWK set), fetched on first use, cached for `max_age`
    seconds and fetched again when a token names a key id the cache does not know (IAP
    rotates its keys), at most once every `min_refresh_seconds`."""

    def __init__(
        self,
        url: str = IAP_PUBLIC_KEYS_URL,
        fetch: Callable[[str], dict] = _fetch_json,
        max_age: float = 3600,
        min_refresh_seconds: float = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._fetch = fetch
        self._max_age = max_age
        self._min_refresh = min_refresh_seconds
        self._clock = clock
        self._keys: dict[str, object] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        document = self._fetch(self._url)
        keys = {}
        for jwk in document.get("keys", []):
            if jwk.get("kty") == "EC" and jwk.get("kid"):
                try:
                    keys[jwk["kid"]] = ECAlgorithm.from_jwk(json.dumps(jwk))
                except jwt.PyJWTError:
                    continue  # one unusable key must not drop the others
        self._keys = keys
        self._fetched_at = self._clock()

    def key(self, kid: str):
        """The public key for `kid`, or None when Google publishes no such key."""
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at > self._max_age
            unknown = kid not in self._keys
            may_refetch = self._fetched_at is None or now - self._fetched_at >= self._min_refresh
            if stale or (unknown and may_refetch):
                try:
                    self._refresh()
                except Exception as error:  # network or format: keep the keys we have
                    if not self._keys:
                        raise IapVerificationError(
                            f"cannot fetch IAP public keys: {error.__class__.__name__}"
                        ) from error
            return self._keys.get(kid)


class IapVerifier:
    """Checks an assertion: ES256, a known Google key id, issuer, audience, expiry and issue time."""

    def __init__(
        self,
        audience: str,
        keys: IapKeySet | None = None,
        issuer: str = IAP_ISSUER,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not audience:
            raise ValueError("the expected IAP audience is empty")
        self.audience = audience
        self._keys = keys or IapKeySet()
        self._issuer = issuer
        self._clock = clock

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "IapVerifier":
        """IAP_AUDIENCE (set on the service by the portal), optional IAP_PUBLIC_KEYS_URL."""
        audience = env.get("IAP_AUDIENCE", "")
        if not audience:
            raise RuntimeError(
                "IAP_AUDIENCE is not set: give the service the audience of its IAP signed header, "
                "/projects/PROJECT_NUMBER/locations/REGION/services/SERVICE"
            )
        return cls(audience, IapKeySet(env.get("IAP_PUBLIC_KEYS_URL", IAP_PUBLIC_KEYS_URL)))

    def verify(self, assertion: str | None) -> IapUser:
        if not assertion:
            raise IapVerificationError(f"missing {HEADER} header (the request did not come through IAP)")
        try:
            header = jwt.get_unverified_header(assertion)
        except jwt.PyJWTError:
            raise IapVerificationError("malformed IAP assertion") from None
        algorithm = header.get("alg")
        if algorithm != "ES256":
            raise IapVerificationError(f"IAP assertion must be signed with ES256, not {algorithm}")
        kid = header.get("kid")
        if not kid:
            raise IapVerificationError("IAP assertion names no key id (kid)")
        key = self._keys.key(kid)
        if key is None:
            raise IapVerificationError(f"IAP assertion is signed with unknown key {kid}")
        now = self._clock()
        try:
            claims = jwt.decode(
                assertion,
                key=key,
                algorithms=["ES256"],
                audience=self.audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                # exp and iat are checked below against the verifier's clock.
                options={
                    "require": ["exp", "iat", "aud", "iss", "sub", "email"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.InvalidSignatureError:
            raise IapVerificationError("IAP assertion signature does not verify") from None
        except jwt.InvalidAudienceError:
            raise IapVerificationError("IAP assertion is for another audience") from None
        except jwt.InvalidIssuerError:
            raise IapVerificationError(f"IAP assertion issuer is not {self._issuer}") from None
        except jwt.MissingRequiredClaimError as error:
            raise IapVerificationError(f"IAP assertion has no {error.claim} claim") from None
        except jwt.PyJWTError:
            raise IapVerificationError("invalid IAP assertion") from None
        # Google allows 30 seconds of skew on both.
        if not isinstance(claims["exp"], (int, float)) or not isinstance(claims["iat"], (int, float)):
            raise IapVerificationError("IAP assertion exp and iat must be numbers")
        if claims["exp"] <= now - LEEWAY_SECONDS:
            raise IapVerificationError("IAP assertion has expired")
        if claims["iat"] > now + LEEWAY_SECONDS:
            raise IapVerificationError("IAP assertion is issued in the future")
        return IapUser(email=str(claims["email"]), user_id=str(claims["sub"]), claims=claims)
