"""Product keys: is an activation key the licensing service's signature of the license key?

Immich sells two kinds of product key: ``IMCL-...`` (one user, "client") and ``IMSV-...`` (the
whole server). Its licensing service signs the license key with one of two RSA keys and hands
the buyer the base64 signature as the "activation key". Immich verifies it offline with the
matching public key it publishes (``repositories/config.repository.ts`` ``productionKeys``;
``crypto.repository.ts verifySha256``: Node's ``createVerify('SHA256')``, i.e. RSASSA-PKCS1-v1_5
over SHA-256 of the license key's UTF-8 bytes). We check the same signatures with the same
public keys, so a key bought for Immich activates here and a made-up one does not.

- A user license (``PUT /api/users/me/license``) is an ``IMCL-`` or ``IMSV-`` key signed by
  either public key.
- A server license (``PUT /api/server/license``) is an ``IMSV-`` key signed by the server key.

``PUBLIC_KEYS`` is a module attribute so a test can swap in a key pair of its own (Immich's
private keys are, rightly, nobody's). Pure functions: no HTTP, no database; the callers store.
``cryptography`` is imported on first use: it costs ~0.1 s, and only licensing needs it.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from typing import Any

import attrs

USER_PREFIXES = ("IMCL-", "IMSV-")
SERVER_PREFIX = "IMSV-"


@attrs.frozen
class PublicKeys:
    """The licensing service's public keys, each a base64-encoded PEM (as Immich publishes)."""

    client: str
    server: str


# Immich 3.1's production keys (``IMMICH_ENV`` unset or "production"), verbatim.
PRODUCTION = PublicKeys(
    client=(
        "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dL"
        "Q0FRRUF2LzdTMzJjUkE1KysxTm5WRHNDTQpzcFAvakpISU1xT0pYRm5oNE53QTJPcHorUk1mZGNvOTJQc09naCt3d1"
        "FlRXYxVTJjMnBqelRpUS8ybHJLcS9rCnpKUmxYd2M0Y1Vlc1FETUpPRitQMnFPTlBiQUprWHZDWFlCVUxpdENJa29M"
        "d2ZoU0dOanlJS2FSRGhkL3ROeU4KOCtoTlJabllUMWhTSWo5U0NrS3hVQ096YXRQVjRtQ0RlclMrYkUrZ0VVZVdwOT"
        "lWOWF6dkYwRkltblRXcFFTdwpjOHdFWmdPTWg0c3ZoNmFpY3dkemtQQ3dFTGFrMFZhQkgzMUJFVUNRTGI5K0FJdEhB"
        "VXRKQ0t4aGI1V2pzMXM5CmJyWGZpMHZycGdjWi82RGFuWTJxZlNQem5PbXZEMkZycmxTMXE0SkpOM1ZvN1d3LzBZeS"
        "95TWNtelRXWmhHdWgKVVFJREFRQUIKLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0tDQo="
    ),
    server=(
        "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dL"
        "Q0FRRUFvcG5ZRGEwYS9kVTVJZUc3NGlFRQpNd2RBS2pzTmN6TGRDcVJkMVo5eTVUMndqTzdlWUlPZUpUc2wzNTBzUj"
        "BwNEtmU1VEU1h2QzlOcERwYzF0T0tsCjVzaEMvQXhwdlFBTENva0Y0anQ4dnJyZDlmQ2FYYzFUcVJiT21uaGl1Z0Q2"
        "dmtyME8vRmIzVURpM1UwVHZoUFAKbFBkdlNhd3pMcldaUExmbUhWVnJiclNLbW45SWVTZ3kwN3VrV1RJeUxzY2lOcn"
        "ZuQnl3c0phUmVEdW9OV1BCSApVL21vMm1YYThtNHdNV2hpWGVoaUlPUXFNdVNVZ1BlQ3NXajhVVngxQ0dsUnpQREEw"
        "YlZOUXZlS1hXVnhjRUk2ClVMRWdKeTJGNDlsSDArYVlDbUJmN05FcjZWUTJXQjk1ZXZUS1hLdm4wcUlNN25nRmxjVU"
        "F3NmZ1VjFjTkNUSlMKNndJREFRQUIKLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0tDQo="
    ),
)

PUBLIC_KEYS = PRODUCTION  # tests replace this with keys whose private half they hold

_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")


def _node_base64(text: str) -> bytes:
    """Decode as Node's ``Buffer.from(text, 'base64')``: url-safe letters too, junk skipped."""
    cleaned = _NOT_BASE64.sub("", text.split("=", 1)[0].replace("-", "+").replace("_", "/"))
    return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))


@functools.lru_cache(maxsize=8)
def _load_key(public_key: str) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    return load_pem_public_key(base64.b64decode(public_key))


def verify_sha256(value: str, signature: str, public_key: str) -> bool:
    """Is ``signature`` (base64) a SHA-256 signature of ``value`` by ``public_key``'s owner?

    Immich's ``verifySha256``: RSA keys use PKCS#1 v1.5 padding, EC keys ECDSA (DER), as Node's
    ``createVerify`` does. Anything malformed is simply not a valid signature.
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = _load_key(public_key)
    try:
        raw = _node_base64(signature)
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(raw, value.encode(), padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(raw, value.encode(), ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


def is_valid_user_license(license_key: str, activation_key: str) -> bool:
    """A user's product key: either kind, signed by either licensing key (as Immich)."""
    if not license_key.startswith(USER_PREFIXES):
        return False
    keys = PUBLIC_KEYS
    return verify_sha256(license_key, activation_key, keys.client) or verify_sha256(
        license_key, activation_key, keys.server
    )


def is_valid_server_license(license_key: str, activation_key: str) -> bool:
    """A server's product key: an ``IMSV-`` key signed by the server licensing key."""
    if not license_key.startswith(SERVER_PREFIX):
        return False
    return verify_sha256(license_key, activation_key, PUBLIC_KEYS.server)


def activation(license_key: str, activation_key: str) -> dict[str, str]:
    """The record Immich stores for an activated key (``activatedAt`` now, ISO 8601 in UTC)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"licenseKey": license_key, "activationKey": activation_key, "activatedAt": now}
