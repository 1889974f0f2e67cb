"""immich-example-plugin: notes that a signed-in user keeps, with their words counted by a job.

A complete third-party plugin (``docs/plugins.md`` walks through it). It owns:

- a table, ``example_note``, created by its own migrations (``register_migrations``);
- two HTTP operations under ``/api/example-notes`` (``register_routes``), with the core's
  authentication, validation and error bodies, listed in ``/api/spec.json``;
- a job, ``ExampleNoteCountWords`` on Immich's ``backgroundTask`` queue (``register_jobs``),
  that creating a note enqueues and a worker runs.

It imports only ``immich`` (the core), never another plugin. Skipping it
(``IMMICH_PLUGINS_SKIP=example``) removes its routes and job and leaves its table alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import asyncpg
import attrs

from immich import hookimpl
from immich.api.dto import field
from immich.api.routing import Call, Operation, Router
from immich.context import AppContext
from immich.db.session import after_commit
from immich.jobs.types import JobDefinition, JobRequest

COUNT_WORDS = "ExampleNoteCountWords"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
router = Router()


@attrs.frozen
class ExampleNoteCreateDto:
    text: str = field(description="The note's text", min_length=1)


@attrs.frozen
class ExampleNoteResponseDto:
    id: str = field(description="Note ID", format="uuid")
    text: str = field(description="The note's text")
    words: int | None = field(description="Number of words (null until counted)")


def _to_dto(row: asyncpg.Record) -> ExampleNoteResponseDto:
    return ExampleNoteResponseDto(id=str(row["id"]), text=row["text"], words=row["words"])


@router.route(
    "POST",
    "/example-notes",
    operation_id="createExampleNote",
    tag="Example notes",
    response=ExampleNoteResponseDto,
    status=201,
)
async def create_note(call: Call[ExampleNoteCreateDto]) -> ExampleNoteResponseDto:
    """Create a note

    Stores a note for the signed-in user; a background job counts its words.
    """
    row = await call.db.fetchrow(  # the request's transaction: committed when this returns
        'INSERT INTO "example_note" ("ownerId", "text") VALUES ($1, $2) RETURNING *',
        call.user["id"],
        call.body.text,
    )
    assert row is not None  # INSERT ... RETURNING returns the row
    job = JobRequest(COUNT_WORDS, {"id": str(row["id"])})
    await after_commit(call.db, lambda: call.ctx.queues.enqueue(job))  # the worker sees the row
    return _to_dto(row)


@router.route(
    "GET",
    "/example-notes",
    operation_id="getExampleNotes",
    tag="Example notes",
    response=list[ExampleNoteResponseDto],
)
async def get_notes(call: Call) -> list[ExampleNoteResponseDto]:
    """List notes

    The signed-in user's notes, oldest first.
    """
    rows = await call.db.fetch(
        'SELECT * FROM "example_note" WHERE "ownerId" = $1 ORDER BY "createdAt", "id"',
        call.user["id"],
    )
    return [_to_dto(row) for row in rows]


async def count_words(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, Any]:
    """Count a note's words. Idempotent: loads the note by id, so a rerun writes the same."""
    note_id = uuid.UUID(str(data["id"]))
    text = await ctx.db.pool.fetchval('SELECT "text" FROM "example_note" WHERE "id" = $1', note_id)
    if text is None:
        return {"status": "skipped"}  # deleted meanwhile
    words = len(text.split())
    await ctx.db.pool.execute(
        'UPDATE "example_note" SET "words" = $2 WHERE "id" = $1', note_id, words
    )
    return {"status": "success", "words": words}


@hookimpl
def register_migrations() -> Path | None:
    return MIGRATIONS


@hookimpl
def register_routes() -> Sequence[Operation]:
    return router.operations


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [JobDefinition(name=COUNT_WORDS, queue="backgroundTask", handler=count_words)]
