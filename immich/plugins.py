"""Plugin manager: in-tree and third-party plugins through the ``immich.plugins`` entry points.

Registration hooks (``register_*``) are called the plain pluggy way: a plugin that cannot
register stops start-up. Event hooks (``on_*``, ``startup``, ``shutdown``) go through
``call_each``/``follow_ups`` instead: plugin by plugin, so one plugin that raises (or whose
awaitable raises) is logged with its name and never drops another plugin's answer.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Iterable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import pluggy

from immich import hookspecs

if TYPE_CHECKING:
    from immich.jobs.types import JobRequest

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "immich.plugins"
hookimpl = pluggy.HookimplMarker("immich")


class PluginError(RuntimeError):
    """A plugin could not be loaded or implements a hook the contract does not have."""


def make_manager(
    allow: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    extra: Iterable[tuple[str, object]] = (),
    modules: Iterable[str] = (),
) -> pluggy.PluginManager:
    """Load every installed plugin (or only ``allow``), minus ``skip``, plus ``extra`` objects
    and the ``modules`` named by import path (IMMICH_PLUGIN_MODULES), each under its path."""
    pm = pluggy.PluginManager("immich")
    pm.add_hookspecs(hookspecs)
    allowed = set(allow) if allow is not None else None
    skipped = set(skip)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in skipped or (allowed is not None and ep.name not in allowed):
            continue
        try:
            module = ep.load()
        except Exception as err:
            raise PluginError(f"plugin {ep.name!r} failed to load: {err}") from err
        pm.register(module, name=ep.name)
    for path in modules:
        try:
            pm.register(importlib.import_module(path), name=path)
        except Exception as err:
            raise PluginError(f"IMMICH_PLUGIN_MODULES: cannot load {path!r}: {err}") from err
    for name, plugin in extra:
        pm.register(plugin, name=name)
    if allowed is not None:
        missing = allowed - set(dict(pm.list_name_plugin()))
        if missing:
            raise PluginError(f"IMMICH_PLUGINS: no installed plugin named {sorted(missing)[0]!r}")
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as err:
        raise PluginError(str(err)) from err
    log.debug("plugins: %s", ", ".join(n for n, _ in pm.list_name_plugin()))
    return pm


async def call_async(results: Iterable[Any]) -> list[Any]:
    """Await whichever hook results are awaitable; return them all in order."""
    out = []
    for result in results:
        out.append(await result if inspect.isawaitable(result) else result)
    return out


def flatten(results: Iterable[Iterable[Any] | None]) -> list[Any]:
    """Merge the lists several plugins returned, skipping None."""
    return [item for result in results if result for item in result]


async def call_each(caller: pluggy.HookCaller, **kwargs: Any) -> list[Any]:
    """Call an event hook plugin by plugin (in pluggy's order) and await awaitable answers.

    A plugin whose implementation or awaitable raises is logged (with the plugin's name and
    the traceback) and left out; the other plugins' answers are returned, None included.
    """
    answers: list[Any] = []
    for impl in reversed(caller.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue  # wrappers wrap a whole pluggy call; events have none
        try:
            answer = impl.function(*(kwargs[name] for name in impl.argnames))
            if inspect.isawaitable(answer):
                answer = await answer
        except Exception:
            log.exception(
                "plugin %r failed in %s; the other plugins go on", impl.plugin_name, caller.name
            )
            continue
        answers.append(answer)
    return answers


async def follow_ups(caller: pluggy.HookCaller, **kwargs: Any) -> list[JobRequest]:
    """The follow-up jobs plugins answer an event with (``call_each``, then ``flatten``)."""
    return flatten(await call_each(caller, **kwargs))
