"""immich.services.license: Immich's published keys and its signature check (verifySha256)."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from immich.services import license as license_service
from tests.api.license_helpers import SERVER_KEY, USER_KEY, public_b64, sign, use_test_keys
from tests.conftest import SHARED

REFERENCE = SHARED / "reference" / "immich-server-3.1.0"
CONFIG_TS = REFERENCE / "server" / "src" / "repositories" / "config.repository.ts"


def test_production_keys_are_immichs() -> None:
    """The keys are Immich 3.1's production keys, verbatim, and load as 2048-bit RSA keys."""
    if not CONFIG_TS.exists():
        pytest.skip("Immich's source is not beside the project")
    text = CONFIG_TS.read_text()
    block = text[text.index("const productionKeys") : text.index("const stagingKeys")]
    client, server = re.findall(r"'([A-Za-z0-9+/=]+)'", block)
    assert (client, server) == (
        license_service.PRODUCTION.client,
        license_service.PRODUCTION.server,
    )
    for key in (client, server):
        loaded = serialization.load_pem_public_key(base64.b64decode(key))
        assert isinstance(loaded, rsa.RSAPublicKey) and loaded.key_size == 2048
    assert license_service.PUBLIC_KEYS == license_service.PRODUCTION


def test_made_up_activation_keys_fail_against_immichs_keys() -> None:
    forged = base64.b64encode(b"\x01" * 256).decode()
    assert not license_service.is_valid_user_license(USER_KEY, forged)
    assert not license_service.is_valid_server_license(SERVER_KEY, forged)
    assert not license_service.is_valid_user_license(USER_KEY, "")
    assert not license_service.is_valid_user_license(USER_KEY, "%%% not base64 %%%")


def test_signature_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = use_test_keys(monkeypatch)
    by_client, by_server = sign(keys.client, USER_KEY), sign(keys.server, SERVER_KEY)
    assert license_service.is_valid_user_license(USER_KEY, by_client)
    assert license_service.is_valid_user_license(SERVER_KEY, by_server)
    assert license_service.is_valid_server_license(SERVER_KEY, by_server)
    assert not license_service.is_valid_server_license(SERVER_KEY, sign(keys.client, SERVER_KEY))
    assert not license_service.is_valid_user_license(USER_KEY, sign(keys.stranger, USER_KEY))
    # the prefix decides what a key may license, whoever signed it
    odd = "IMXX" + "-AB12" * 8
    assert not license_service.is_valid_user_license(odd, sign(keys.client, odd))
    assert not license_service.is_valid_server_license(USER_KEY, sign(keys.server, USER_KEY))


def test_activation_key_decodes_as_node_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Node's Buffer.from(s, 'base64'): url-safe letters, no padding, whitespace all fine."""
    keys = use_test_keys(monkeypatch)
    good = sign(keys.client, USER_KEY)
    for variant in (
        good.rstrip("="),
        good.replace("+", "-").replace("/", "_"),
        "\n".join(good[i : i + 64] for i in range(0, len(good), 64)),
        f"  {good}  ",
    ):
        assert license_service.is_valid_user_license(USER_KEY, variant)
    assert not license_service.is_valid_user_license(USER_KEY, good[:-8])


def test_ec_keys_verify_like_node() -> None:
    """Node's createVerify('SHA256') takes EC keys too (DER ECDSA); an Ed25519 key never verifies."""
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signature = base64.b64encode(private.sign(b"value", ec.ECDSA(hashes.SHA256()))).decode()
    public = base64.b64encode(pem).decode()
    assert license_service.verify_sha256("value", signature, public)
    assert not license_service.verify_sha256("other", signature, public)
    edwards = ed25519.Ed25519PrivateKey.generate()
    ed_pem = edwards.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    ed_sig = base64.b64encode(edwards.sign(b"value")).decode()
    assert not license_service.verify_sha256("value", ed_sig, base64.b64encode(ed_pem).decode())


def test_rsa_test_keys_are_published_like_immichs() -> None:
    """Our test key pairs use Immich's publishing format (base64 of an SPKI PEM)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert base64.b64decode(public_b64(private)).startswith(b"-----BEGIN PUBLIC KEY-----")


def test_activation_record() -> None:
    record = license_service.activation(USER_KEY, "sig")
    assert record["licenseKey"] == USER_KEY and record["activationKey"] == "sig"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["activatedAt"])


# Made by Node 20's crypto (``generateKeyPairSync('rsa')``, ``createSign('SHA256')``), as
# Immich's licensing service signs: our check accepts Node's signature of this key.
NODE_SIGNED = "IMSV-CD34-CD34-CD34-CD34-CD34-CD34-CD34-CD34"
NODE_PUBLIC_KEY = (
    "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dL"
    "Q0FRRUFvTXlmcFFlUitVbFZXUkQrNGl1Vwo5Q3dZM2J0MVBVM0N5anB3MDRydEFTZnZ1SS9iRUpRK3NnT3FWUHdB"
    "aE92cUFMcWc3VFQ1RHlSQml1NEpCSzM0CitySFNnQmhoVzNvV3NlVStoUi96QnlIOVhnVnhsSWRFcnl4UzJDWEJS"
    "eGdhbmt3WktPOFNZV0NZcXFxbENMejEKV1VxUWVlV1F3YzRGSXBzRDB5QUFUa3JNNDBrYzFwV05Oa1pKLzR1dUQ0"
    "S3RQZXhNcFRvU1B5dlB0NmtQeVNjZQpQS3VVdklqVnJQMHFiRTZpZGhNY1N0Z3ZMM1MzL3BuMkk4QlNZZjJBUVVC"
    "WksvdC83bCthQUFNYTdMRzlndVl2Cm11dEVRNXRiZkMzVGhnb3JrcWRFK0lWS2NvL3FoSUovVlp2Qlowa1VicUth"
    "MnAxSDZjZ0dYbUxkR1h5dlI5QkoKK3dJREFRQUIKLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0tCg=="
)
NODE_SIGNATURE = (
    "WjZ2OBuZ+2HDVQ4Odg1UWAYW4/13Ic4iQboMo/m/K4qUKdLv43cFKMC04bZy5f/mkLbSO8EeX+Ib/+4KesHUy8Xn"
    "up44TlbZQ4P240r0OjzDituC4GaYRjQgOy/kFHRZgnPwhqLYGcIXNyEVVYMrUA4FqVWk6PPHzJTwpv51b7pEdx9g"
    "YVtO6hSMRWxJ3Qp+Ltc4d1vUukkVMkZg42KPwSGzC9ZUKlicDHGqBuFC4+0Oiu4tPBFECJBhKtKGHTlLofJsN0EY"
    "ScpGpdgE9tURnwhaidXnxJQBNSDb0/+A8/x1w1l9vB5r7XMTwsr/mNH3Sk/Y2G+uX9vYXA/+JjolpQ=="
)


def test_accepts_a_signature_made_by_node() -> None:
    assert license_service.verify_sha256(NODE_SIGNED, NODE_SIGNATURE, NODE_PUBLIC_KEY)
    assert not license_service.verify_sha256(
        NODE_SIGNED[:-1] + "5", NODE_SIGNATURE, NODE_PUBLIC_KEY
    )
