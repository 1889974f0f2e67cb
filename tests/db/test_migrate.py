"""The migration runner: the core's files, then each plugin's, namespaced, once each."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from immich import hookimpl
from immich.db import locks
from immich.db.migrate import MigrationError, migrate, migration_files, plugin_folders
from immich.plugins import make_manager
from tests.migrations.databases import recorded, scratch_database, tables

ROOT = Path(__file__).resolve().parents[2]
FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Applied before the rule existed; the runner keys on file names, so they stay as they are.
GRANDFATHERED = {("migrations", "0007")}


class FolderPlugin:
    """A toy plugin whose schema is a folder."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @hookimpl
    def register_migrations(self) -> Path | None:
        return self.folder


def _folders() -> dict[str, Path]:
    folders = {"migrations": Path(str(resources.files("migrations")))}
    folders.update({f"plugin {n}": f for n, f in plugin_folders(make_manager())})
    for path in ROOT.glob("tests/*/*/migrations"):  # the example plugin, installed or not
        folders[str(path.relative_to(ROOT))] = path
    return folders


def test_no_two_migrations_share_a_number() -> None:
    folders = _folders()
    assert "plugin video" in folders
    problems = []
    for label, folder in folders.items():
        seen: dict[str, str] = {}
        for path in sorted(folder.glob("*.sql")):
            match = FILE_NAME.match(path.name)
            if match is None:
                problems.append(f"{label}/{path.name}: not NNNN_lower_case_name.sql")
                continue
            number = match.group(1)
            if number in seen and (label, number) not in GRANDFATHERED:
                problems.append(f"{label}: {seen[number]} and {path.name} share {number}")
            seen.setdefault(number, path.name)
    assert problems == []


def test_plugin_folders_are_sorted_by_plugin_name_and_checked(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    pm = make_manager(
        allow=(),
        extra=[
            ("zeta", FolderPlugin(tmp_path / "a")),
            ("alpha", FolderPlugin(tmp_path / "b")),
            ("none", FolderPlugin(None)),
        ],
    )
    assert plugin_folders(pm) == [("alpha", tmp_path / "b"), ("zeta", tmp_path / "a")]
    pm = make_manager(allow=(), extra=[("lost", FolderPlugin(tmp_path / "nowhere"))])
    with pytest.raises(MigrationError, match="plugin 'lost': no migrations folder"):
        plugin_folders(pm)


async def test_hook_register_migrations(pg_server: Any, tmp_path: Path) -> None:
    """Core first, then each plugin's files by plugin name, recorded as ``<plugin>/<file>``;
    a later file runs on the next start; recorded names whose file is gone are left alone."""
    alpha, beta = tmp_path / "alpha", tmp_path / "beta"
    alpha.mkdir()
    beta.mkdir()
    # beta's table refers to the core's asset table and to alpha's: core, then alpha, then beta
    (alpha / "0001_note.sql").write_text('CREATE TABLE "alpha_note" ("id" int PRIMARY KEY);')
    (beta / "0001_link.sql").write_text(
        'CREATE TABLE "beta_link" ("assetId" uuid REFERENCES "asset" ("id"),'
        ' "noteId" int REFERENCES "alpha_note" ("id"));'
    )
    (beta / "readme.txt").write_text("not a migration")
    pm = make_manager(
        allow=(), extra=[("beta", FolderPlugin(beta)), ("alpha", FolderPlugin(alpha))]
    )
    core = [name for name, _ in migration_files()]
    async with scratch_database(pg_server, "migrate_plugins") as db:
        applied = await migrate(db.pool, pm)
        assert applied == [*core, "alpha/0001_note.sql", "beta/0001_link.sql"]
        assert {"alpha_note", "beta_link"} <= await tables(db.pool)

        # files applied by an earlier server whose file is gone: a core file moved into a
        # plugin, a plugin since uninstalled
        await db.pool.execute(
            "INSERT INTO immich_py_migrations (name) VALUES ('0004_gone.sql'), ('old/0001_x.sql')"
        )
        (alpha / "0002_more.sql").write_text('ALTER TABLE "alpha_note" ADD COLUMN "text" text;')
        assert await migrate(db.pool, pm) == ["alpha/0002_more.sql"]
        assert await migrate(db.pool, pm) == []
        assert "0004_gone.sql" in await recorded(db.pool)

        # without the plugins (skipped): nothing of theirs runs, their tables stay
        (beta / "0002_drop.sql").write_text('DROP TABLE "beta_link";')
        assert await migrate(db.pool) == []
        assert "beta_link" in await tables(db.pool)


async def test_a_failing_file_is_not_recorded_and_stops_the_run(
    pg_server: Any, tmp_path: Path
) -> None:
    (tmp_path / "0001_bad.sql").write_text('CREATE TABLE "half" (); SELECT 1/0;')
    (tmp_path / "0002_after.sql").write_text('CREATE TABLE "after" ();')
    pm = make_manager(allow=(), extra=[("broken", FolderPlugin(tmp_path))])
    async with scratch_database(pg_server, "migrate_failing") as db:
        with pytest.raises(Exception, match="division by zero"):
            await migrate(db.pool, pm)
        assert not {"half", "after"} & await tables(db.pool)  # its transaction rolled back
        assert not [n for n in await recorded(db.pool) if n.startswith("broken/")]
        assert await db.pool.fetchval(
            "SELECT pg_try_advisory_lock($1)", locks.MIGRATIONS
        )  # lock released
