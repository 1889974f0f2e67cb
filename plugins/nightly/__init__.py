"""Nightly duties: remove stale sessions, users whose delete delay has passed, old notifications,
recorded deletes older than the sync's limit (``AuditTableCleanup``).

As in Immich, the scheduler only enqueues the cleanup jobs (``SessionCleanup``,
``UserDeleteCheck``, ``NotificationsCleanup`` on the ``backgroundTask`` queue) at
``nightlyTasks.startTime`` when ``nightlyTasks.databaseCleanup`` is on; a worker runs them.
(Immich 3.1 has the ``NotificationsCleanup`` job but never queues it; ours does.)
``POST /api/jobs`` with ``user-cleanup`` enqueues ``UserDeleteCheck`` the same way.

Ours beyond Immich: ``UploadCleanup {olderThanHours?}`` removes what crashed uploads left
under ``upload/`` (``immich.services.upload.sweep``; 24 hours by default), and the temporary
files of killed writers there and in ``profile/``, ``backups/`` once older than the job lease
(``immich.storage.temp.sweep_server_named``). The scheduler
enqueues it every night and once at start-up. The ``missing-derived-files`` duty
(``plugins.nightly.missing``) re-queues, every night, each asset that lacks a thumbnail,
its metadata or (when the transcode policy asks) its encoded video.

The version check (``VersionCheck``, ``immich.services.version_check``): hourly at a minute
picked at start-up, and when ``newVersionCheck.enabled`` is switched on, as Immich's (Immich
also checks as its worker boots; ours waits for the first hourly run, so starting a server, a
test's included, never reaches out at once).

The delayed "Shared Album Update" (``NotifyAlbumUpdate`` on the ``notifications`` queue) is
registered and its listener started here too (``immich.services.album_events_notify``).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from immich import events, hookimpl
from immich.context import AppContext
from immich.db.repos import sessions, users
from immich.db.repos import tags as tags_repo
from immich.jobs.names import JobName
from immich.jobs.types import NIGHTLY, CronDuty, JobDefinition, JobRequest, JobResult
from immich.services import album_events_notify, version_check
from immich.services import notifications as notification_service
from immich.services import sync as sync_service
from immich.services import upload as upload_service
from immich.storage import temp
from plugins.nightly.missing import DUTY as MISSING_DUTY
from plugins.nightly.missing import queue_missing

log = logging.getLogger(__name__)

SESSION_CLEANUP = JobName.SessionCleanup
USER_DELETE_CHECK = JobName.UserDeleteCheck
UPLOAD_CLEANUP = JobName.UploadCleanup
NOTIFICATIONS_CLEANUP = JobName.NotificationsCleanup
TAG_CLEANUP = JobName.TagCleanup
AUDIT_CLEANUP = JobName.AuditTableCleanup
VERSION_CHECK = JobName.VersionCheck
VERSION_CHECK_CRON = f"{random.randrange(60)} * * * *"  # Immich's: hourly, a random minute
_VERSION_CHECK_KEY = "nightly.version-check"


@attrs.frozen(kw_only=True)
class CleanupResult(JobResult):
    """A cleanup job's result: how many rows it removed."""

    removed: int = 0


async def session_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> CleanupResult:
    removed = await sessions.delete_stale(ctx.db.pool)
    log.info("session cleanup: removed %d stale session(s)", removed)
    return CleanupResult(removed=removed)


async def user_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> CleanupResult:
    """Hard-delete users soft-deleted more than ``user.deleteDelay`` days ago."""
    delay = int(ctx.config.get()["user"]["deleteDelay"])
    removed = 0
    for row in await users.deleted_before(ctx.db.pool, delay):
        await users.delete_hard(ctx.db.pool, row["id"])
        await events.emit(ctx, None, "on_user_delete", str(row["id"]))  # as Immich: to all
        removed += 1
    if removed:
        log.info("user cleanup: removed %d deleted user(s)", removed)
    return CleanupResult(removed=removed)


async def notifications_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> CleanupResult:
    """Old, read and deleted notifications (``immich.services.notifications.cleanup``)."""
    return CleanupResult(removed=await notification_service.cleanup(ctx.db.pool))


async def tag_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> CleanupResult:
    """Tags that neither they nor a descendant is on an asset (Immich's TagCleanup, run from
    the admin's "tag-cleanup" manual job)."""
    async with ctx.db.transaction() as db:
        return CleanupResult(removed=await tags_repo.delete_empty(db))


async def audit_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> CleanupResult:
    """Recorded deletes older than the sync's limit (``immich.services.sync.prune_audit``)."""
    async with ctx.db.transaction() as db:
        return CleanupResult(removed=await sync_service.prune_audit(db))


async def upload_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, Any]:
    """Leftovers of crashed uploads (partial bodies, uncommitted renames) older than
    ``olderThanHours`` (default 24)."""
    hours = float(data.get("olderThanHours", upload_service.STALE_AFTER_S / 3600))
    result = await upload_service.sweep(ctx, max_age_s=hours * 3600)
    media, lease = ctx.settings.media_location, ctx.settings.job_lease_s  # killed writers' temps
    swept = await asyncio.to_thread(temp.sweep_server_named, media, lease)
    return {**result, "removed": [*result["removed"], *map(str, swept)]}


async def run_version_check(ctx: AppContext, data: Mapping[str, Any]) -> JobResult:
    return await version_check.run(ctx)


async def _enqueue_version_check(ctx: AppContext) -> None:
    if ctx.config.get().get("newVersionCheck", {}).get("enabled"):
        await ctx.queues.enqueue(JobRequest(VERSION_CHECK))


def _watch_version_check(ctx: AppContext) -> None:
    """Queue a check when ``newVersionCheck.enabled`` goes from off to on (any replica's change
    reaches every process's config service; the schedulers queue it)."""
    was = [bool(ctx.config.get().get("newVersionCheck", {}).get("enabled"))]

    async def changed(config: Mapping[str, Any]) -> None:
        now = bool(config.get("newVersionCheck", {}).get("enabled"))
        if now and not was[0]:
            await ctx.queues.enqueue(JobRequest(VERSION_CHECK))
        was[0] = now

    ctx.state[_VERSION_CHECK_KEY] = ctx.config.on_change(changed)


async def _enqueue_upload_cleanup(ctx: AppContext) -> None:
    await ctx.queues.enqueue(JobRequest(UPLOAD_CLEANUP))


def _nightly(job: str) -> Any:
    async def enqueue(ctx: AppContext) -> None:
        if ctx.config.get().get("nightlyTasks", {}).get("databaseCleanup", True):
            await ctx.queues.enqueue(JobRequest(job))

    return enqueue


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=SESSION_CLEANUP, queue="backgroundTask", handler=session_cleanup),
        JobDefinition(name=USER_DELETE_CHECK, queue="backgroundTask", handler=user_cleanup),
        JobDefinition(name=UPLOAD_CLEANUP, queue="backgroundTask", handler=upload_cleanup),
        JobDefinition(
            name=NOTIFICATIONS_CLEANUP, queue="backgroundTask", handler=notifications_cleanup
        ),
        JobDefinition(name=TAG_CLEANUP, queue="backgroundTask", handler=tag_cleanup),
        JobDefinition(name=AUDIT_CLEANUP, queue="backgroundTask", handler=audit_cleanup),
        JobDefinition(name=VERSION_CHECK, queue="backgroundTask", handler=run_version_check),
        album_events_notify.JOB,  # the delayed "Shared Album Update"
    ]


@hookimpl
def register_cron_jobs() -> Sequence[CronDuty]:
    return [
        CronDuty(name="session-cleanup", cron=NIGHTLY, handler=_nightly(SESSION_CLEANUP)),
        CronDuty(name="user-cleanup", cron=NIGHTLY, handler=_nightly(USER_DELETE_CHECK)),
        CronDuty(name="upload-cleanup", cron=NIGHTLY, handler=_enqueue_upload_cleanup),
        CronDuty(
            name="notifications-cleanup", cron=NIGHTLY, handler=_nightly(NOTIFICATIONS_CLEANUP)
        ),
        CronDuty(name=MISSING_DUTY, cron=NIGHTLY, handler=queue_missing),
        CronDuty(name="audit-cleanup", cron=NIGHTLY, handler=_nightly(AUDIT_CLEANUP)),
        CronDuty(name="version-check", cron=VERSION_CHECK_CRON, handler=_enqueue_version_check),
    ]


@hookimpl
async def startup(ctx: AppContext) -> None:
    """The scheduler sweeps once at start-up too: a crash is usually followed by a restart."""
    album_events_notify.start(ctx)
    if "scheduler" in ctx.settings.roles:
        await _enqueue_upload_cleanup(ctx)
        _watch_version_check(ctx)


@hookimpl
def shutdown(ctx: AppContext) -> None:
    album_events_notify.stop(ctx)
    unwatch = ctx.state.pop(_VERSION_CHECK_KEY, None)
    if unwatch is not None:
        unwatch()
