"""Immich's delayed "Shared Album Update" notification (NotificationService.onAlbumUpdate and
its ``NotifyAlbumUpdate`` job).

When assets are added to an album, every recipient of the ``AlbumUpdate`` event (the members
but the one who added them; everyone, owner included, for a link visitor's upload) gets one
in-app notification five minutes after the last addition: Immich removes the recipient's queued
job and queues a new one, delayed. Our queue stores cannot reschedule a job, so each event
writes a fresh token per recipient (``album_update_pending``) and queues a delayed job carrying
it; a job whose token was replaced meanwhile does nothing. The job's answer is Immich's: skipped
for an album or recipient gone, else the notification (``on_notification`` to their open
clients once committed). E-mail (Immich's second half of the job) waits for SMTP.

The listener is started by the plugin that registers the job (``plugins.nightly``), so a
process without that plugin queues nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from immich.db.repos import albums as repo
from immich.db.repos import users as users_repo
from immich.jobs.names import JobName
from immich.jobs.queues import UnknownJob
from immich.jobs.types import JobDefinition, JobRequest, JobResult, JobStatus
from immich.services import album_events, notifications

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)

DELAY_S = 300.0
"""Immich's ``albumUpdateEmailDelayMs``: the quiet time after the last addition."""

_STATE_KEY = "album-events.notify"


async def schedule(ctx: AppContext, event: album_events.AlbumUpdate) -> int:
    """Replace each recipient's pending notification for the album by one due ``DELAY_S``
    from now and queue its delayed job; how many were queued."""
    if not event.recipient_ids:
        return 0
    due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=DELAY_S)
    async with ctx.db.transaction() as db:
        tokens = await repo.set_update_pending(db, event.album_id, event.recipient_ids, due)
    for recipient_id, token in tokens.items():
        data = {"id": event.album_id, "recipientId": str(recipient_id), "token": str(token)}
        try:
            await ctx.queues.enqueue(JobRequest(JobName.NotifyAlbumUpdate, data, DELAY_S))
        except UnknownJob:
            log.warning(
                "no %s job registered: album update not notified", JobName.NotifyAlbumUpdate
            )
            return 0
    return len(tokens)


async def handle(ctx: AppContext, data: Mapping[str, Any]) -> JobResult:
    """The ``NotifyAlbumUpdate`` job: the in-app notification, unless superseded."""
    album_id, recipient_id = str(data["id"]), str(data["recipientId"])
    async with ctx.db.transaction() as db:
        if not await repo.take_update_pending(db, album_id, recipient_id, str(data["token"])):
            return JobResult(status=JobStatus.skipped, reason="superseded by a later addition")
        album = await repo.get(db, album_id)
        if album is None:
            return JobResult(status=JobStatus.skipped, reason="album gone")
        if await users_repo.get(db, recipient_id) is None:
            return JobResult(status=JobStatus.skipped, reason="recipient gone")
        await notifications.notify_album_update(
            db, recipient_id, album_id, album["albumName"], ctx=ctx
        )
    return JobResult()


JOB = JobDefinition(name=JobName.NotifyAlbumUpdate, queue="notifications", handler=handle)


def start(ctx: AppContext) -> None:
    """Schedule the notification of every ``AlbumUpdate`` this process raises from now on."""

    async def on_event(event: album_events.AlbumEvent) -> None:
        if isinstance(event, album_events.AlbumUpdate):
            await schedule(ctx, event)

    stop(ctx)
    ctx.state[_STATE_KEY] = album_events.subscribe(on_event)


def stop(ctx: AppContext) -> None:
    unsubscribe = ctx.state.pop(_STATE_KEY, None)
    if unsubscribe is not None:
        unsubscribe()
