"""immich.db.repos._query: piccolo queries run on the connection given, with database defaults."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from immich.db.repos import _query as q
from immich.db.tables import Album, SystemMetadata, User


async def test_new_row_leaves_unnamed_columns_to_the_database_defaults(
    app: Any, client: httpx.AsyncClient
) -> None:
    pool = app.state.ctx.db.pool
    query = User.insert(q.new_row(User, {"email": "d@example.com"})).returning(*User.all_columns())
    text, _ = q.sql(query)
    assert "DEFAULT" in text
    row = await q.fetchrow(pool, query)
    assert row is not None
    # the database's defaults, not piccolo's Python ones: one transaction time for both stamps
    assert row["createdAt"] == row["updatedAt"] == row["profileChangedAt"]
    assert row["status"] == "active" and row["shouldChangePassword"] is True
    assert list(row.keys()) == [c._meta.db_column_name for c in User._meta.columns]


def test_unknown_columns_and_jsonb_inserts_are_refused() -> None:
    with pytest.raises(ValueError, match="notAColumn"):
        q.new_row(User, {"email": "x", "notAColumn": 1})
    with pytest.raises(TypeError, match="jsonb"):
        q.new_row(SystemMetadata, {"key": "k", "value": {}})


async def test_any_of_binds_one_array_and_raw_takes_piccolo_filters(
    app: Any, client: httpx.AsyncClient
) -> None:
    pool = app.state.ctx.db.pool
    ids = [
        (await q.fetchrow(pool, User.insert(q.new_row(User, {"email": e})).returning(User.id)))[
            "id"
        ]
        for e in ("a@example.com", "b@example.com", "c@example.com")
    ]
    query = User.select(User.email).where(User.id == q.any_of(ids[:2], "uuid"))
    text, args = q.sql(query)
    assert "ANY($1::uuid[])" in text and args == [ids[:2]]
    assert {r["email"] for r in await q.fetch(pool, query)} == {"a@example.com", "b@example.com"}

    where = (User.email != "a@example.com") & User.deleted_at.is_null()
    rows = await q.fetch(pool, q.raw('SELECT "email" FROM "user" WHERE {} ORDER BY 1', where))
    assert [r["email"] for r in rows] == ["b@example.com", "c@example.com"]
    status = await q.execute(pool, Album.delete().where(Album.owner_id == ids[0]))
    assert q.affected(status) == 0


async def test_a_template_compiles_once_and_binds_each_call(
    app: Any, client: httpx.AsyncClient
) -> None:
    pool = app.state.ctx.db.pool
    built = 0

    def build(email: Any, name: Any) -> Any:
        nonlocal built
        built += 1
        return User.select(User.email).where((User.email == email) | (User.name == name))

    by_email_or_name = q.template(build)
    await q.execute(pool, User.insert(q.new_row(User, {"email": "t@example.com", "name": "T"})))
    first = await q.fetch(pool, by_email_or_name("t@example.com", "nobody"))
    second = await q.fetch(pool, by_email_or_name("nobody", "T"))
    none = await q.fetch(pool, by_email_or_name("nobody", "nobody"))
    assert [r["email"] for r in first] == [r["email"] for r in second] == ["t@example.com"]
    assert none == [] and built == 1
    assert by_email_or_name("a", "b").args == ["a", "b"]
