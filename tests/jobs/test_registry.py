"""The job registry, plugin loading by module path, and the worker's config rules."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from immich import hookimpl
from immich.jobs.queues import UnknownJob
from immich.jobs.registry import JobRegistry, RegistryError, cron_duties
from immich.jobs.scheduler import current_slot, nightly_cron
from immich.jobs.types import QUEUE_NAMES, CronDuty, JobDefinition, JobRequest
from immich.jobs.worker import concurrency_for, failure_reason
from immich.plugins import PluginError, make_manager
from immich.settings import load_settings
from tests.jobs.conftest import TOY_REPLACES, job_app


async def _noop(ctx: Any, data: Mapping[str, Any]) -> None:
    return None


async def _duty(ctx: Any) -> None:
    return None


class _Twice:
    @hookimpl
    def register_jobs(self) -> list[JobDefinition]:
        return [JobDefinition(name="ToyRecord", queue="library", handler=_noop)]

    @hookimpl
    def register_cron_jobs(self) -> list[CronDuty]:
        return [CronDuty(name="toy-duty", cron="* * * * *", handler=_duty)]


def test_queue_names_are_immichs() -> None:
    import json

    from tests.conftest import SHARED

    spec = json.loads((SHARED / "reference" / "immich-openapi-3.1.0.json").read_text())
    assert list(QUEUE_NAMES) == spec["components"]["schemas"]["QueueName"]["enum"]


def test_plugin_modules_setting_loads_modules_as_plugins() -> None:
    settings = load_settings(
        environ={"IMMICH_PLUGIN_MODULES": "tests.plugins.toy_jobs, tests.plugins.toy_contract"},
        env_file=None,
    )
    assert settings.plugin_modules == ("tests.plugins.toy_jobs", "tests.plugins.toy_contract")
    pm = make_manager(modules=settings.plugin_modules[:1], skip=[TOY_REPLACES])
    registry = JobRegistry.from_plugins(pm)
    assert registry.get("ToyRecord").queue == "notifications"
    assert "toy-duty" in {d.name for d in cron_duties(pm)}
    with pytest.raises(PluginError, match="IMMICH_PLUGIN_MODULES: cannot load 'no.such.mod'"):
        make_manager(modules=["no.such.mod"])


def test_duplicate_job_or_duty_names_stop_start_up() -> None:
    pm = make_manager(modules=["tests.plugins.toy_jobs"], extra=[("twice", _Twice())])
    with pytest.raises(RegistryError, match="job 'ToyRecord' is registered twice"):
        JobRegistry.from_plugins(pm)
    with pytest.raises(RegistryError, match="cron duty 'toy-duty' is registered twice"):
        cron_duties(pm)
    with pytest.raises(RegistryError, match="unknown queue 'nowhere'"):
        JobRegistry([JobDefinition(name="X", queue="nowhere", handler=_noop)])


async def test_unknown_job_names_are_refused(app: Any, db_url: str, media_dir: Path) -> None:
    async with job_app(db_url, media_dir, "api") as ctx:
        with pytest.raises(UnknownJob, match="NoSuchJob"):
            await ctx.queues.enqueue(JobRequest("NoSuchJob"))


def test_concurrency_defaults_when_the_config_lacks_them() -> None:
    assert concurrency_for({}, "thumbnailGeneration") == 3
    assert concurrency_for({"job": {"library": {"concurrency": 0}}}, "library") == 1
    assert concurrency_for({"job": {"library": {"concurrency": 9}}}, "library") == 9
    serial = {"job": {"facialRecognition": {"concurrency": 9}}}
    assert concurrency_for(serial, "facialRecognition") == 1


def test_failure_reasons_are_one_line() -> None:
    assert failure_reason(ValueError("bad file"), None, 10) == "ValueError: bad file"
    assert failure_reason(TimeoutError(), None, 10) == "TimeoutError: ran longer than 10s"
    trace = "Traceback (most recent call last):\n  ...\nKeyError: 'x'\n"
    assert failure_reason(None, trace, 10) == "KeyError: 'x'"


def test_nightly_cron_and_slots() -> None:
    import datetime as dt

    assert nightly_cron({"nightlyTasks": {"startTime": "02:30"}}) == "30 2 * * *"
    assert nightly_cron({}) == "0 0 * * *"
    when = dt.datetime(2026, 1, 2, 3, 4, 59, tzinfo=dt.UTC)
    assert current_slot(when) == "2026-01-02T03:04Z"
