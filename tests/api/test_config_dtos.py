"""Bounds of ``SystemConfigDto`` that are tighter than Immich's (input hygiene): the job
concurrency a worker can honour. Through the real app and database."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from immich.jobs.types import MAX_JOB_CONCURRENCY
from immich.jobs.worker import concurrency_for
from immich.services._config_defaults import JOB_CONCURRENCY

SAFE_INT = 2**53 - 1


async def _put_concurrency(
    client: httpx.AsyncClient, headers: Any, queue: str, value: Any
) -> httpx.Response:
    config = (await client.get("/api/system-config", headers=headers)).json()
    config["job"][queue]["concurrency"] = value
    return await client.put("/api/system-config", json=config, headers=headers)


@pytest.mark.parametrize("queue", ["thumbnailGeneration", "backgroundTask"])
async def test_concurrency_up_to_the_bound_is_taken(
    client: httpx.AsyncClient, admin_headers: Any, queue: str
) -> None:
    r = await _put_concurrency(client, admin_headers, queue, MAX_JOB_CONCURRENCY)
    assert r.status_code == 200, r.text
    assert r.json()["job"][queue]["concurrency"] == MAX_JOB_CONCURRENCY
    app = client._transport.app  # type: ignore[attr-defined]
    assert concurrency_for(app.state.ctx.config.get(), queue) == MAX_JOB_CONCURRENCY


@pytest.mark.parametrize("value", [MAX_JOB_CONCURRENCY + 1, 1_000_000, SAFE_INT])
async def test_concurrency_above_the_bound_is_immichs_400(
    client: httpx.AsyncClient, admin_headers: Any, value: int
) -> None:
    """Immich would take 2^53-1 (and never run that many); we answer its validation body."""
    r = await _put_concurrency(client, admin_headers, "metadataExtraction", value)
    assert r.status_code == 400
    assert r.json() == {
        "message": "Validation failed",
        "errors": [
            {
                "path": ["job", "metadataExtraction", "concurrency"],
                "message": f"Too big: expected number to be <={MAX_JOB_CONCURRENCY}",
            }
        ],
    }
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    assert (
        config["job"]["metadataExtraction"]["concurrency"] == JOB_CONCURRENCY["metadataExtraction"]
    )


async def test_the_bound_is_published_in_our_spec(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/api/spec.json")).json()
    concurrency = doc["components"]["schemas"]["JobSettingsDto"]["properties"]["concurrency"]
    assert concurrency["minimum"] == 1 and concurrency["maximum"] == MAX_JOB_CONCURRENCY


def test_a_worker_never_runs_more_than_the_bound() -> None:
    """A config stored before the bound (or written past the check) is clamped, not obeyed."""
    config = {"job": {"thumbnailGeneration": {"concurrency": SAFE_INT}}}
    assert concurrency_for(config, "thumbnailGeneration") == MAX_JOB_CONCURRENCY
    assert concurrency_for({"job": {"sidecar": {"concurrency": 0}}}, "sidecar") == 1
