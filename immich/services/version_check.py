"""The version check: Immich's ``VersionCheck`` job (version.service.ts).

When ``newVersionCheck.enabled``, a worker asks ``IMMICH_VERSION_CHECK_URL`` (Immich's
``https://version.immich.cloud/version``, ``?channel=stable`` or ``rc``) for the latest release
(``{"version": "v3.2.0", "published_at": ...}``), stores ``{checkedAt, releaseVersion}`` under
the ``version-check-state`` system metadata (what ``getVersionCheck`` and
``getVersionCheckState`` answer) and, when that release is newer than ours, broadcasts
``on_new_release`` (``ReleaseEventV1``, built by the api replica from the stored state). A
check within 50 s of the last one is skipped, as Immich's. No network (an air-gapped home
server) is not an error worth more than a warning: the job ends ``failed`` with the reason and
the next hourly run tries again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from immich import IMMICH_API_VERSION, events
from immich.db.repos import system_metadata as repo
from immich.jobs.types import JobResult, JobStatus
from immich.services.system_metadata import VERSION_CHECK_STATE, version_check_state

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 50  # Immich skips a check this soon after the last one
TIMEOUT_S = 10.0
CHANNELS = {"stable": "stable", "releaseCandidate": "rc"}  # config value -> query value


def release_ref(channel: str) -> dict[str, str]:
    """``on_new_release``'s argument by reference: the api replica builds ``ReleaseEventV1``
    from the stored state (where the version DTO mapping lives)."""
    return {"$release": channel}


def _numbers(version: str) -> tuple[int, int, int, float]:
    """Semver order key: a release sorts after its own pre-releases (``3.2.0-rc.1`` < ``3.2.0``)."""
    core, _, pre = version.strip().lstrip("v").partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    digits = "".join(ch for ch in pre if ch.isdigit())
    return major, minor, patch, (float(digits or 0) if pre else float("inf"))


def is_newer(release: str, channel: str, server: str = IMMICH_API_VERSION) -> bool:
    """Immich's ``semver.intersects('>server', release)``: pre-releases count only on the
    release-candidate channel."""
    if "-" in release and channel != "releaseCandidate":
        return False
    return _numbers(release) > _numbers(server)


async def fetch_latest(url: str, channel: str) -> dict[str, Any]:
    """The release service's answer; raises on any failure (no network, a bad answer)."""
    params = {"channel": CHANNELS[channel]} if channel in CHANNELS else {}
    async with httpx.AsyncClient(timeout=TIMEOUT_S, follow_redirects=True) as client:
        response = await client.get(url, params=params)
    if response.status_code >= 400:
        raise RuntimeError(f"status {response.status_code}: {response.text[:200]}")
    answer = response.json()
    if not isinstance(answer, dict) or not isinstance(answer.get("version"), str):
        raise RuntimeError(f"unexpected answer: {str(answer)[:200]}")
    _numbers(answer["version"])  # a version we cannot read is a bad answer
    return answer


async def run(ctx: AppContext, url: str | None = None) -> JobResult:
    """One check (the ``VersionCheck`` job); ``url`` overrides the setting (tests)."""
    check = ctx.config.get().get("newVersionCheck", {})
    if not check.get("enabled"):
        return JobResult(status=JobStatus.skipped, reason="newVersionCheck is disabled")
    channel = str(check.get("channel", "stable"))
    state = await version_check_state(ctx.db.pool)
    if state.get("checkedAt"):
        try:
            last = datetime.fromisoformat(str(state["checkedAt"]).replace("Z", "+00:00"))
            if (datetime.now(UTC) - last).total_seconds() < MIN_INTERVAL_S:
                return JobResult(status=JobStatus.skipped, reason="checked less than 50 s ago")
        except ValueError:
            pass
    try:
        latest = await fetch_latest(url or ctx.settings.version_check_url, channel)
    except Exception as err:
        log.warning("version check: unable to reach the release service (%s)", err)
        return JobResult(status=JobStatus.failed, reason=f"version check failed: {err}")
    release = latest["version"]
    checked_at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    await repo.set(
        ctx.db.pool, VERSION_CHECK_STATE, {"checkedAt": checked_at, "releaseVersion": release}
    )
    if is_newer(release, channel):
        log.info("version check: found %s, released at %s", release, latest.get("published_at"))
        await events.emit(ctx, None, "on_new_release", release_ref(channel))  # to everyone
    return JobResult()
