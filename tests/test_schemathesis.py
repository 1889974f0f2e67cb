"""Schemathesis over our own ``/api/spec.json``: every operation, as an admin and as a plain
user, a few generated requests each against a real ``immich-server``; no answer may be a 5xx,
and every 2xx answer must match the schema our document gives for it (Immich's document
describes no 4xx bodies). A bounded run; ``bench/fuzz_bench.py`` runs a longer one.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import EXAMPLE_PLUGIN
from tests.test_process import _fresh_database, servers  # noqa: F401 - the fixture

EXAMPLES = int(os.environ.get("IMMICH_TEST_FUZZ_EXAMPLES", "3"))
ADMIN = {"email": "fuzz-admin@example.com", "password": "fuzz-password", "name": "Fuzz"}
USER = {"email": "fuzz-user@example.com", "password": "fuzz-password", "name": "Plain"}


def api_key(url: str, creds: dict[str, str]) -> dict[str, str]:
    """An all-permission API key of ``creds``' user: unlike a session, no generated
    request (``POST /auth/logout``, ``DELETE /sessions``) can take it away."""
    login = {"email": creds["email"], "password": creds["password"]}
    token = httpx.post(f"{url}/api/auth/login", json=login, timeout=10).json()["accessToken"]
    r = httpx.post(
        f"{url}/api/api-keys",
        json={"name": "fuzz", "permissions": ["all"]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 201, r.text
    return {"x-api-key": r.json()["secret"]}


def identities(url: str) -> dict[str, dict[str, str]]:
    assert httpx.post(f"{url}/api/auth/admin-sign-up", json=ADMIN, timeout=10).is_success
    admin = api_key(url, ADMIN)
    r = httpx.post(f"{url}/api/admin/users", json=USER, headers=admin, timeout=10)
    assert r.status_code == 201, r.text
    return {"admin": admin, "user": api_key(url, USER)}


def fuzz(url: str, headers: dict[str, str], examples: int) -> tuple[int, list[str]]:
    """Run every operation ``examples`` times; (cases run, failures as one line each)."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = schemathesis.openapi.from_url(f"{url}/api/spec.json")
    checks = [not_a_server_error, response_schema_conformance]
    failures: list[str] = []
    cases = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            nonlocal cases
            cases += 1
            response = case.call(headers=headers, timeout=30)
            try:
                case.validate_response(response, checks=checks)
            except Exception as err:  # one line per failing operation is enough
                failures.append(f"{case.operation.label} -> {response.status_code}: {err}"[:600])
                raise

        try:
            run()
        except Exception:  # noqa: S112 - recorded above; go on with the next operation
            continue
    return cases, failures


@pytest.fixture
def fuzz_server(servers: Any, tmp_path: Path, pg_server: Any) -> Iterator[str]:  # noqa: F811
    url = asyncio.run(_fresh_database(pg_server, "fuzz"))
    env = {
        "DB_URL": url,
        "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"),
        "IMMICH_ROLES": "api",
        "IMMICH_PLUGINS_SKIP": EXAMPLE_PLUGIN,
    }
    yield servers(env).url


def test_no_operation_answers_5xx_or_off_its_schema(fuzz_server: str) -> None:
    pytest.importorskip("schemathesis")
    people = identities(fuzz_server)
    total, problems = 0, []
    for who, headers in people.items():
        cases, failures = fuzz(fuzz_server, headers, EXAMPLES)
        total += cases
        problems += [f"{who}: {line}" for line in failures]
    print(f"schemathesis: {total} cases, {len(problems)} failures")
    assert total > 2 * 100 * EXAMPLES // 2
    assert not problems, f"{len(problems)} of {total} cases failed:\n" + "\n".join(problems)
