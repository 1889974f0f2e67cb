"""Product keys signed by key pairs of our own, swapped in for Immich's public keys."""

from __future__ import annotations

import base64
import functools

import attrs
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from immich.services import license as license_service

USER_KEY = "IMCL" + "-EF56" * 8
SERVER_KEY = "IMSV" + "-CD34" * 8


@functools.cache
def _private_key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_b64(key: rsa.RSAPrivateKey) -> str:
    """The public half as Immich publishes its keys: a base64-encoded SPKI PEM."""
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(pem).decode()


def sign(key: rsa.RSAPrivateKey, license_key: str) -> str:
    """An activation key: the licensing service's base64 signature of the license key."""
    raw = key.sign(license_key.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode()


@attrs.frozen
class Signers:
    client: rsa.RSAPrivateKey
    server: rsa.RSAPrivateKey
    stranger: rsa.RSAPrivateKey  # a key the server does not trust


def use_test_keys(monkeypatch: pytest.MonkeyPatch) -> Signers:
    """Make the server trust our own client and server keys (for this test only)."""
    signers = Signers(_private_key("client"), _private_key("server"), _private_key("stranger"))
    keys = license_service.PublicKeys(
        client=public_b64(signers.client), server=public_b64(signers.server)
    )
    monkeypatch.setattr(license_service, "PUBLIC_KEYS", keys)
    return signers
