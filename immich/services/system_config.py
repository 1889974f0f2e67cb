"""System config (admin settings): defaults, file override, stored diff, live reload.

The config is a JSON object shaped as Immich's ``SystemConfigDto`` plus the sections plugins add
through ``register_config_defaults``. Where it comes from, in order:

- ``IMMICH_CONFIG_FILE`` set: that file (JSON or YAML, may be partial) merged onto the defaults;
  it is validated at start-up and the config is read-only (``update`` answers 400).
- otherwise: the ``system-config`` row of ``system_metadata``, which holds only the difference
  from the defaults (``{}`` after a reset), merged onto the defaults.

Every process LISTENs on the ``immich_system_config`` channel; ``update`` writes the row and
NOTIFYs in one transaction, so every replica reloads once the change is committed. A write that
sends no NOTIFY (a restored backup, ``psql``, a replica whose notification was lost) is caught
by watching the row's ``xmin`` once a second on the listen connection (``POLL_SECONDS``): every
replica sees any committed change within about a second, and a request never queries for it
(``get()`` returns the config held in memory). Code that must react (job concurrency, log
level) registers ``on_change(callback)``.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from immich.db.listen import Listener
from immich.db.repos import Conn, system_metadata
from immich.db.session import after_commit
from immich.errors import BadRequest, ValidationFailed
from immich.services import _config_merge as cm
from immich.services._config_defaults import core_defaults
from immich.services._config_validate import (
    ConfigError,
    CoreCheck,
    Validator,
    check_cron_expressions,
    describe,
    read_file,
    validate,
)

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)

CONFIG_KEY = "system-config"
CHANNEL = "immich_system_config"
FILE_IN_USE = "Cannot update configuration while IMMICH_CONFIG_FILE is in use"
POLL_SECONDS = 1.0
"""How often each process checks whether the stored config row changed without a NOTIFY."""

Callback = Callable[[dict[str, Any]], Awaitable[None] | None]

__all__ = [
    "CHANNEL",
    "CONFIG_KEY",
    "FILE_IN_USE",
    "ConfigError",
    "SystemConfigService",
    "notify_changed",
]


async def notify_changed(db: Any, sender: str = "external") -> None:
    """Tell every running process to reload (for code that wrote the stored config itself,
    e.g. ``immich-admin enable-password-login``). Inside a transaction, sent on commit."""
    await db.execute("SELECT pg_notify($1, $2)", CHANNEL, sender)


def build_defaults(ctx: AppContext) -> dict[str, Any]:
    """Immich's defaults plus every plugin's sections; a section defined twice is an error."""
    out = core_defaults(ctx.settings)
    owners = dict.fromkeys(out, "the core")
    for impl in ctx.pm.hook.register_config_defaults.get_hookimpls():
        sections = impl.function() or {}
        if not isinstance(sections, Mapping):
            raise ConfigError(
                f"plugin {impl.plugin_name!r}: register_config_defaults must return a mapping"
            )
        for name, value in sections.items():
            if name in owners:
                raise ConfigError(
                    f"system config section {name!r} is defined twice: "
                    f"by {owners[name]} and by plugin {impl.plugin_name!r}"
                )
            if not isinstance(value, Mapping):
                raise ConfigError(
                    f"plugin {impl.plugin_name!r}: system config section {name!r} "
                    "must be a mapping of settings"
                )
            out[name] = copy.deepcopy(dict(value))
            owners[name] = f"plugin {impl.plugin_name!r}"
    return out


class SystemConfigService:
    """One per process (``ctx.config``): the current config and the ways to change it.

    ``check_core`` checks the core sections (the app passes the api's ``SystemConfigDto``
    check); without it they are held to the defaults' shape only."""

    def __init__(self, ctx: AppContext, check_core: CoreCheck | None = None) -> None:
        self.ctx = ctx
        self.check_core = check_core
        self.instance_id = uuid.uuid4().hex
        self.defaults = build_defaults(ctx)
        self.current: dict[str, Any] = copy.deepcopy(self.defaults)
        self._callbacks: list[Callback] = []
        self._validators: list[Validator] = [check_cron_expressions]
        self._lock = asyncio.Lock()
        self._listener: Listener | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- reading -------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when ``IMMICH_CONFIG_FILE`` is in use."""
        return self.ctx.settings.config_file is not None

    def get(self) -> dict[str, Any]:
        """The current config (shared: read it, do not modify it)."""
        return self.current

    def get_defaults(self) -> dict[str, Any]:
        """A copy of the defaults (Immich's plus the plugins' sections)."""
        return copy.deepcopy(self.defaults)

    async def _stored(self, db: Any) -> dict[str, Any]:
        stored = await system_metadata.get(db, CONFIG_KEY)
        return stored if isinstance(stored, dict) else {}

    async def _build(self) -> dict[str, Any]:
        """The config from the file or the stored diff, merged onto the defaults."""
        config_file = self.ctx.settings.config_file
        if config_file is not None:
            partial = read_file(config_file)
        else:
            partial = await self._stored(self.ctx.db.pool)
        extra = cm.unknown(partial, self.defaults)
        if extra:
            log.warning("system config: unknown keys ignored: %s", ", ".join(extra))
        config = cm.merge(self.defaults, cm.prune(partial, self.defaults))
        errors = validate(config, self.defaults, self.check_core)
        if config_file is not None:
            problem = describe(errors) if errors else self._rule_problem(config, config)
            if problem:
                raise ConfigError(f"IMMICH_CONFIG_FILE {config_file}: invalid value: {problem}")
        elif errors:
            log.error("system config: stored values are invalid: %s", describe(errors))
        return cm.normalise(config)

    def _rule_problem(self, new: Mapping[str, Any], old: Mapping[str, Any]) -> str | None:
        for validator in self._validators:
            try:
                validator(new, old)
            except ValueError as err:
                return str(err)
        return None

    async def load(self) -> dict[str, Any]:
        """Re-read the config; run the ``on_change`` callbacks if it changed."""
        async with self._lock:
            changed = self._apply(await self._build())
        if changed:
            await self._fire()
        return self.current

    # -- changing ------------------------------------------------------------------------

    def on_change(self, callback: Callback) -> Callable[[], None]:
        """Call ``callback(new_config)`` (sync or async) after every change, in every replica.

        Returns a function that unregisters it. A callback's error is logged, never raised.
        """
        self._callbacks.append(callback)
        return lambda: self._callbacks.remove(callback) if callback in self._callbacks else None

    def add_validator(self, validator: Validator) -> None:
        """A rule ``(new, old) -> None`` run before every update; a ``ValueError`` answers 400."""
        self._validators.append(validator)

    async def update(self, changes: Mapping[str, Any], db: Conn | None = None) -> dict[str, Any]:
        """Merge ``changes`` (a full config or any part of one) onto the current config, check
        it, store its difference from the defaults and tell every replica. Returns the config.

        ``db``: the caller's transaction (a request's ``call.db``); the row and the NOTIFY are
        written there, and this process takes the new config (``on_change`` callbacks) once it
        commits. Without one, the pool (autocommit)."""
        if self.read_only:
            raise BadRequest(FILE_IN_USE)
        db = self.ctx.db.pool if db is None else db
        async with self._lock:
            old = self.current
            known = {k: v for k, v in changes.items() if k in self.defaults}
            new = cm.merge(old, known)
            errors = validate(new, self.defaults, self.check_core)
            if errors:
                raise ValidationFailed(errors)
            problem = self._rule_problem(new, old)
            if problem:
                log.warning("Unable to save system config due to a validation error: %s", problem)
                raise BadRequest(problem)
            new = cm.normalise(new)
            partial = cm.diff(new, self.defaults)
            stored = await self._stored(db)
            for key, value in stored.items():  # sections of plugins this process lacks
                if key not in self.defaults:
                    partial[key] = value
            await system_metadata.set(db, CONFIG_KEY, partial)
            await notify_changed(db, self.instance_id)  # delivered when the transaction commits

        async def take() -> None:
            async with self._lock:
                changed = self._apply(new)
            if changed:
                await self._fire()

        await after_commit(db, take)
        return new

    def _apply(self, new: dict[str, Any]) -> bool:
        if new == self.current:
            return False
        self.current = new
        return True

    async def _fire(self) -> None:
        config = self.current
        for callback in list(self._callbacks):
            try:
                result = callback(config)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("system config: on_change callback %r failed", callback)

    # -- lifecycle and the replica channel -----------------------------------------------

    async def start(self) -> None:
        """Load the config (a bad file stops start-up) and listen for other replicas' changes."""
        await self.load()
        if self.read_only:
            log.info("system config from %s (read-only)", self.ctx.settings.config_file)
            return
        self._listener = Listener(
            self.ctx.db.url,
            CHANNEL,
            self._on_notify,
            name="system config",
            on_reconnect=self._reload_logged,  # catch the changes missed while away
        )
        self._listener.watch_row(
            "system_metadata", "key", CONFIG_KEY, self._reload_logged, every=POLL_SECONDS
        )
        await self._listener.start()

    async def stop(self) -> None:
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass

    def _on_notify(self, payload: str) -> None:
        if payload == self.instance_id:
            return  # our own update, already applied
        task = asyncio.get_running_loop().create_task(self._reload_logged())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reload_logged(self) -> None:
        try:
            await self.load()
        except Exception:
            log.exception("system config: reload after a change notification failed")
