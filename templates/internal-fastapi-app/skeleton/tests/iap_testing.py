"""Locally generated ES256 keys and tokens shaped like IAP's, for the tests."""

from __future__ import annotations

import base64
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from app.iap import IAP_ISSUER, IapKeySet


def _b64(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode("ascii")


AUDIENCE = "/projects/100000000001/locations/europe-west2/services/sample-app"


class LocalIap:
    """Plays Google: a signing key with a key id and the JWK set that publishes it."""

    def __init__(self, kid: str = "test-key-1") -> None:
        self.kid = kid
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.fetches = 0

    def jwks(self) -> dict:
        # Coordinates padded to 32 bytes, as Google publishes them (some PyJWT versions drop
        # leading zero bytes in to_jwk and then refuse their own output).
        numbers = self.private_key.public_key().public_numbers()
        jwk = {"kty": "EC", "crv": "P-256", "x": _b64(numbers.x), "y": _b64(numbers.y)}
        jwk.update({"kid": self.kid, "alg": "ES256", "use": "sig"})
        return {"keys": [jwk]}

    def key_set(self) -> IapKeySet:
        def fetch(_url: str) -> dict:
            self.fetches += 1
            return self.jwks()

        return IapKeySet(url="https://keys.invalid/jwk", fetch=fetch)

    def token(self, **overrides: object) -> str:
        now = int(time.time())
        claims = {
            "iss": IAP_ISSUER,
            "aud": AUDIENCE,
            "sub": "accounts.google.com:1234567890",
            "email": "ada@example.com",
            "iat": now - 5,
            "exp": now + 600,
        }
        headers = {"kid": overrides.pop("kid", self.kid)}
        claims.update(overrides)
        return jwt.encode(claims, self.private_key, algorithm="ES256", headers=headers)


def unsigned_token() -> str:
    now = int(time.time())
    return jwt.encode(
        {"iss": IAP_ISSUER, "aud": AUDIENCE, "sub": "x", "email": "mallory@example.com", "iat": now, "exp": now + 600},
        key=None,
        algorithm="none",
    )
