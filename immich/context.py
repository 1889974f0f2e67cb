"""The application context: what every route, job and duty of a process shares."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from immich.settings import Settings

if TYPE_CHECKING:
    from immich.db.engine import Database
    from immich.jobs.queues import JobQueues
    from immich.services.system_config import SystemConfigService


@attrs.define
class AppContext:
    settings: Settings
    pm: pluggy.PluginManager
    db: Database = attrs.field(default=None)
    config: SystemConfigService = attrs.field(default=None)
    queues: JobQueues = attrs.field(default=None)
    started_at: float = attrs.field(factory=time.time)
    state: dict[str, Any] = attrs.field(factory=dict)  # role runners, plugin state

    @property
    def hook(self) -> Any:
        return self.pm.hook
