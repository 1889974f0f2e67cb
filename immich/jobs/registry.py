"""The job registry: every job type the plugins register, by name and by queue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pluggy

from immich.jobs.types import QUEUE_NAMES, CronDuty, JobDefinition
from immich.plugins import flatten


class RegistryError(RuntimeError):
    """A plugin registered a job or duty the core cannot accept; start-up stops."""


class JobRegistry:
    """Job definitions from ``register_jobs``: one per name, each on a known queue."""

    def __init__(self, definitions: Iterable[JobDefinition]) -> None:
        self.jobs: dict[str, JobDefinition] = {}
        for definition in definitions:
            if definition.name in self.jobs:
                raise RegistryError(f"job {definition.name!r} is registered twice")
            if definition.queue not in QUEUE_NAMES:
                raise RegistryError(
                    f"job {definition.name!r}: unknown queue {definition.queue!r} "
                    f"(expected one of {', '.join(QUEUE_NAMES)})"
                )
            self.jobs[definition.name] = definition

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager) -> JobRegistry:
        return cls(flatten(pm.hook.register_jobs()))

    def __contains__(self, name: object) -> bool:
        return name in self.jobs

    def get(self, name: str) -> JobDefinition:
        try:
            return self.jobs[name]
        except KeyError:
            raise KeyError(f"no plugin registers a job named {name!r}") from None

    def by_queue(self) -> Mapping[str, list[JobDefinition]]:
        """Queue name -> its job definitions, for the queues that have any."""
        out: dict[str, list[JobDefinition]] = {}
        for definition in self.jobs.values():
            out.setdefault(definition.queue, []).append(definition)
        return out


def cron_duties(pm: pluggy.PluginManager) -> list[CronDuty]:
    """Cron duties from ``register_cron_jobs``; a name used twice stops start-up."""
    duties: list[CronDuty] = flatten(pm.hook.register_cron_jobs())
    seen: set[str] = set()
    for duty in duties:
        if duty.name in seen:
            raise RegistryError(f"cron duty {duty.name!r} is registered twice")
        seen.add(duty.name)
    return duties
