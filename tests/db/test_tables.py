"""immich.db.tables: the Table classes describe the migrated schema exactly (tables, columns, types,
nullability), so a migration that forgets its Table class, or a class that drifts, fails here."""

from __future__ import annotations

from typing import Any

from piccolo.columns import (
    JSONB,
    UUID,
    Array,
    BigInt,
    Boolean,
    Bytea,
    Column,
    DoublePrecision,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from immich.db.tables import ALL_TABLES, ENGINE
from plugins.video.tables import TABLES as VIDEO_TABLES

# information_schema.columns.udt_name of each piccolo column type we use
UDT: dict[type[Column], str] = {
    UUID: "uuid",
    Varchar: "varchar",
    Text: "text",
    Boolean: "bool",
    Timestamptz: "timestamptz",
    BigInt: "int8",
    Integer: "int4",
    DoublePrecision: "float8",
    Bytea: "bytea",
    JSONB: "jsonb",
}

# The migration runner's table; saq_* are the queue's; example_note is the example third-party
# plugin's (tests/example_plugin), made when a server test loads it on the shared test database:
# a third-party plugin's schema is its own business.
NOT_OURS = ("immich_py_migrations", "example_note")


def _udt(column: Column) -> str:
    if isinstance(column, Array):
        return "_" + _udt(column.base_column)
    return UDT[type(column)]


def _tables() -> list[type[Table]]:
    return [*ALL_TABLES, *VIDEO_TABLES]


async def _schema(pool: Any) -> dict[str, dict[str, tuple[str, bool]]]:
    rows = await pool.fetch(
        "SELECT table_name, column_name, udt_name, is_nullable = 'YES' AS nullable "
        "FROM information_schema.columns WHERE table_schema = 'public' "
        "ORDER BY table_name, ordinal_position"
    )
    schema: dict[str, dict[str, tuple[str, bool]]] = {}
    for r in rows:
        if r["table_name"] in NOT_OURS or r["table_name"].startswith("saq_"):
            continue
        schema.setdefault(r["table_name"], {})[r["column_name"]] = (r["udt_name"], r["nullable"])
    return schema


async def test_every_table_has_a_class_and_every_class_a_table(app: Any) -> None:
    schema = await _schema(app.state.ctx.db.pool)
    classes = {t._meta.tablename for t in _tables()}
    assert len(classes) == len(_tables()), "two classes for one table"
    assert set(schema) - classes == set(), "tables without a Table class"
    assert classes - set(schema) == set(), "Table classes without a table"


async def test_columns_types_and_nullability_match(app: Any) -> None:
    schema = await _schema(app.state.ctx.db.pool)
    for table in _tables():
        name = table._meta.tablename
        declared = {
            c._meta.db_column_name: (_udt(c), bool(c._meta.null)) for c in table._meta.columns
        }
        assert declared == schema[name], name
        # the same column order as the database, so piccolo's rows read like `SELECT *`
        assert list(declared) == list(schema[name]), name


async def test_the_key_piccolo_knows_is_part_of_the_primary_key(app: Any) -> None:
    rows = await app.state.ctx.db.pool.fetch(
        "SELECT c.conrelid::regclass::text AS t, a.attname AS col, array_position(c.conkey, a.attnum) AS pos "
        "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
        "AND a.attnum = ANY(c.conkey) WHERE c.contype = 'p'"
    )
    first = {r["t"].strip('"'): r["col"] for r in rows if r["pos"] == 1}
    for table in _tables():
        assert table._meta.primary_key._meta.db_column_name == first[table._meta.tablename]


def test_every_table_is_bound_to_the_shared_engine() -> None:
    assert all(t._meta.db is ENGINE for t in _tables())
