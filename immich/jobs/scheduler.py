"""The scheduler role: the plugins' cron duties on apscheduler, safe on every replica.

Each run takes a PostgreSQL advisory lock named after the duty and records the minute it was
scheduled for, so when several replicas run the scheduler exactly one of them runs the duty at
each scheduled time (a replica whose clock is a little late finds the minute already taken).
Duties whose cron is ``NIGHTLY`` follow the config's ``nightlyTasks.startTime``, live.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from immich.jobs import _state
from immich.jobs.registry import cron_duties
from immich.jobs.types import NIGHTLY, CronDuty

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)
DEFAULT_NIGHTLY_START = "00:00"


def nightly_cron(config: Mapping[str, Any]) -> str:
    """``nightlyTasks.startTime`` (HH:MM) as a crontab expression, as Immich does."""
    start = str(config.get("nightlyTasks", {}).get("startTime") or DEFAULT_NIGHTLY_START)
    try:
        hours, minutes = (int(part) for part in start.split(":"))
    except ValueError:
        hours, minutes = 0, 0
    return f"{minutes} {hours} * * *"


def current_slot(now: dt.datetime | None = None) -> str:
    """The minute a run belongs to (UTC, ISO): replicas firing together share it."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


async def run_duty(ctx: AppContext, duty: CronDuty, *, slot: str | None = None) -> bool:
    """Run ``duty`` under its advisory lock; True if this call ran it.

    With ``slot`` (a scheduled run), it runs only if no replica has run that slot yet; without,
    it runs now (a manual run) unless another replica is running it at this moment.
    """
    key = _state.lock_key(duty.name)
    async with ctx.db.pool.acquire() as conn:
        if not await _state.try_lock(conn, key):
            log.debug("cron %s: another replica holds it", duty.name)
            return False
        try:
            if slot is not None and not await _state.claim_cron_slot(conn, duty.name, slot):
                log.debug("cron %s: %s already run", duty.name, slot)
                return False
            log.info("cron %s: running", duty.name)
            await duty.handler(ctx)
            return True
        except Exception:
            log.exception("cron %s failed", duty.name)
            return False
        finally:
            await _state.unlock(conn, key)


class SchedulerRole:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.duties: dict[str, CronDuty] = {}
        tz = ZoneInfo(ctx.settings.tz) if ctx.settings.tz else None
        self.scheduler = AsyncIOScheduler(timezone=tz) if tz else AsyncIOScheduler()
        self._unsubscribe: Callable[[], Any] | None = None

    async def start(self) -> None:
        config = self.ctx.config.get()
        for duty in cron_duties(self.ctx.pm):
            self.duties[duty.name] = duty
            self.scheduler.add_job(
                self.fire,
                self._trigger(duty, config),
                args=[duty.name],
                id=duty.name,
                name=duty.name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=60,
            )
        self.scheduler.start()
        if hasattr(self.ctx.config, "on_change"):
            self._unsubscribe = self.ctx.config.on_change(self.apply_config)
        log.info("scheduler: %s", ", ".join(self.duties) or "no duties")

    def _trigger(self, duty: CronDuty, config: Mapping[str, Any]) -> CronTrigger:
        cron = nightly_cron(config) if duty.cron == NIGHTLY else duty.cron
        return CronTrigger.from_crontab(cron, timezone=self.scheduler.timezone)

    def apply_config(self, config: Mapping[str, Any]) -> None:
        """Move the nightly duties when ``nightlyTasks.startTime`` changes."""
        for duty in self.duties.values():
            if duty.cron == NIGHTLY:
                self.scheduler.reschedule_job(duty.name, trigger=self._trigger(duty, config))

    async def fire(self, name: str) -> bool:
        """What apscheduler calls at each scheduled time."""
        return await run_duty(self.ctx, self.duties[name], slot=current_slot())

    async def run_now(self, name: str) -> bool:
        """Run a duty now, outside its schedule (still one replica at a time)."""
        return await run_duty(self.ctx, self.duties[name])

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
