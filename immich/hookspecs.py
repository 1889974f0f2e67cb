"""THE plugin contract. Every hook the core calls, typed and documented.

Plugins implement hooks with ``@immich.hookimpl``. pluggy is synchronous: a hook returns plain
objects, or an awaitable that the core awaits (``startup``/``shutdown``). Results of all plugins
are collected into a list unless a hook is marked ``firstresult``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pathlib import Path

    from immich.api.routing import Operation
    from immich.context import AppContext
    from immich.jobs.types import CronDuty, JobDefinition, JobRequest, RenditionsResult
    from immich.places import PlaceMatch
    from immich.services.map import GeoPlace

hookspec = pluggy.HookspecMarker("immich")


@hookspec
def register_jobs() -> Sequence[JobDefinition]:
    """Job types this plugin handles.

    Called once at start-up in every role. Returns ``JobDefinition``s (name, Immich queue name,
    async handler ``(ctx, data) -> result``). All plugins' lists are merged; a job name defined
    twice stops start-up. Workers run the handlers; the api role only enqueues by name.
    """
    raise NotImplementedError


@hookspec
def register_cron_jobs() -> Sequence[CronDuty]:
    """Scheduled duties (``CronDuty``: name, crontab expression, async handler ``(ctx)``).

    Called once when the scheduler role starts. All plugins' lists are merged; a name used twice
    stops start-up. The expression ``immich.jobs.types.NIGHTLY`` means the system config's
    ``nightlyTasks.startTime``. Each run takes a PostgreSQL advisory lock named after the duty
    and records its minute, so exactly one replica runs it at each scheduled time.
    """
    raise NotImplementedError


@hookspec
def register_routes() -> Sequence[Operation]:
    """Extra HTTP operations (``immich.api.routing.Operation``) served under ``/api``.

    Called once when the api role builds the app. All plugins' lists are merged; they appear in
    ``/api/spec.json`` like the core's.
    """
    raise NotImplementedError


@hookspec
def register_config_defaults() -> Mapping[str, Any]:
    """System-config sections this plugin adds: ``{section: {key: default, ...}}``.

    Called once at start-up. Merged into the defaults of ``/api/system-config``; a section that
    the core or another plugin already defines stops start-up.
    """
    raise NotImplementedError


@hookspec
def register_migrations() -> Path | None:
    """This plugin's schema: a folder of forward-only SQL files (``NNNN_name.sql``), or None.

    Called once when migrations run. The core's migrations run first, then each plugin's in
    name order, in the same advisory-locked run; applied files are recorded under
    ``<plugin name>/<file name>``, so plugins never collide with the core or each other. A
    plugin owns only tables that it alone reads (its sessions, its caches); skipping the plugin
    leaves its tables untouched.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def make_video_poster(
    ctx: AppContext, asset: Mapping[str, Any]
) -> Awaitable[RenditionsResult] | None:
    """Provider: make the poster renditions (preview, thumbnail, ThumbHash) of a VIDEO asset.

    Called by the ``AssetGenerateThumbnails`` job for a VIDEO asset (``asset`` is its row:
    ``id``, ``ownerId``, ``originalPath``, ...). The first plugin that can returns an
    awaitable of the job's result (a ``RenditionsResult``: it writes the files and records
    them as the image path does, ``immich.media.renditions`` helps); None from every plugin
    means no plugin handles video (the job then ends as skipped). An awaitable that raises
    fails the job.
    """


@hookspec(firstresult=True)
def reverse_geocode(
    ctx: AppContext, latitude: float, longitude: float
) -> Awaitable[GeoPlace | None] | None:
    """Provider: name the place at a position (``GET /api/map/reverse-geocode``).

    Called by the api role for each request. The first plugin that has a reverse geocoder
    returns an awaitable of the nearest place (a ``GeoPlace``: city, state, country, each
    possibly None), or of None when no place is near; every other plugin returns None. With no
    provider loaded the answer is empty and ``/api/server/features`` reports
    ``reverseGeocoding`` off. The metadata plugin provides it.
    """


@hookspec(firstresult=True)
def search_places(ctx: AppContext, name: str) -> Awaitable[Sequence[PlaceMatch]] | None:
    """Provider: the places whose name matches ``name`` (``GET /search/places``).

    Called by the api role for each place search. The first plugin that holds place data
    returns an awaitable of up to 20 ``PlaceMatch`` records, best match first; None from every
    plugin means no place data (the search answers an empty list). The metadata plugin (the
    reverse geocoder's places) provides it.
    """


@hookspec
def on_metadata_extracted(
    ctx: AppContext, asset_id: str, asset_type: str, source: str | None
) -> Sequence[JobRequest] | None:
    """An asset's metadata was extracted (``AssetExtractMetadata`` succeeded).

    Fired by the metadata plugin, on the worker that ran the job. ``asset_type`` is Immich's
    asset type (``IMAGE``, ``VIDEO``), ``source`` why the chain runs (``upload``, ``copy``,
    ``sidecar-write`` after the owner's edits went into the sidecar, or None for a manual
    refresh). Return follow-up jobs (thumbnails after an upload), or
    None, or an awaitable of either; all plugins' answers are enqueued, and one plugin that
    raises is logged without dropping the others'.
    """


@hookspec
def on_asset_uploaded(ctx: AppContext, asset: Mapping[str, Any]) -> Sequence[JobRequest] | None:
    """An asset was stored (its row committed). Return follow-up jobs to enqueue, or None.

    All plugins' answers are enqueued (one plugin that raises is logged, the others' answers
    still count); this is how the ingest job chain starts.
    """


@hookspec
def on_job_finished(
    ctx: AppContext, name: str, data: Mapping[str, Any], result: Any
) -> Sequence[JobRequest] | None:
    """A job ran successfully on a worker. Return follow-up jobs to enqueue, or None (or an
    awaitable of either).

    ``name`` is the job's name (a ``JobName``), ``data`` its input, ``result`` what the
    handler returned (a ``JobResult`` record for the in-tree jobs). A plugin reacts to its
    own jobs here and fires its own events (``on_metadata_extracted``,
    ``on_thumbnails_generated``); reacting to another plugin's job by name is what those
    events replace. One plugin that raises is logged; the others' answers still count.
    The follow-ups are enqueued before the job is recorded complete, so a worker killed in
    between runs the job again rather than losing them (handlers are idempotent).
    """


@hookspec
def on_thumbnails_generated(
    ctx: AppContext, asset_id: str, asset_type: str, source: str | None
) -> Sequence[JobRequest] | None:
    """An asset's preview and thumbnail were written (an image's, or a video's poster frame).

    Fired by the thumbnails plugin when its ``AssetGenerateThumbnails`` job succeeds.
    ``asset_type`` is Immich's asset type (``IMAGE``, ``VIDEO``), ``source`` why the chain
    runs (``upload``, ``copy``, or None for a manual run). Return follow-up jobs (smart search,
    faces, duplicates, video transcoding...) or None, or an awaitable of either; all plugins'
    answers are enqueued, and one plugin that raises is logged without dropping the others'.
    """


@hookspec
def on_job_failed(ctx: AppContext, name: str, data: Mapping[str, Any], error: str) -> None:
    """A job failed for good: its handler raised (``error``: the exception), or its workers
    died under it on every attempt (``error``: "worker lost: ..."). Return value is ignored."""


@hookspec
def startup(ctx: AppContext) -> Awaitable[None] | None:
    """The process is up (database connected, migrations done). May return an awaitable."""


@hookspec
def shutdown(ctx: AppContext) -> Awaitable[None] | None:
    """The process is stopping, before the database closes. May return an awaitable.

    Every plugin's shutdown runs, even after another plugin's raised (it is logged)."""
