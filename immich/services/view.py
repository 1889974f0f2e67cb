"""Folder views (Immich's ViewService) and the calendar heat map (Immich's
``getCalendarHeatmap``, for the caller and, for an admin, for any user)."""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

from immich.db.repos import Conn, Row
from immich.db.repos import users as users_repo
from immich.db.repos import view as repo
from immich.errors import BadRequest


async def unique_original_paths(db: Conn, user_id: uuid.UUID) -> list[str]:
    return await repo.unique_folders(db, user_id)


async def assets_by_original_path(
    db: Conn, user_id: uuid.UUID, path: str
) -> list[tuple[Row, Row | None]]:
    """The assets directly in the folder, each with its EXIF row (or None)."""
    assets = await repo.assets_in_folder(db, user_id, path)
    exif = await repo.exif_of(db, [a["id"] for a in assets])
    return [(a, exif.get(a["id"])) for a in assets]


@attrs.frozen
class Heatmap:
    start: dt.date
    end: dt.date
    series: list[tuple[dt.date, int]]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.series)


async def calendar_heatmap(
    db: Conn,
    user_id: uuid.UUID,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind: str = "Upload",
) -> Heatmap:
    """Counts per UTC day from ``start`` to ``end`` inclusive (default: the 52 weeks ending
    today), every day present (0 when none)."""
    last = end or dt.datetime.now(dt.UTC).date()
    first = start or last - dt.timedelta(weeks=52) + dt.timedelta(days=1)
    counts = await repo.day_counts(
        db,
        user_id,
        kind,
        dt.datetime.combine(first, dt.time(), dt.UTC),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC),
    )
    days = (last - first).days + 1
    series = [(day, counts.get(day, 0)) for day in (first + dt.timedelta(n) for n in range(days))]
    return Heatmap(first, last, series)


async def user_calendar_heatmap(
    db: Conn, user_id: str, *, start: dt.date | None, end: dt.date | None, kind: str
) -> Heatmap:
    """An admin's view of one user's heat map (Immich's ``findOrFail``: a deleted user is not
    found)."""
    user = await users_repo.get(db, user_id)
    if user is None:
        raise BadRequest("User not found")
    return await calendar_heatmap(db, user["id"], start=start, end=end, kind=kind)
