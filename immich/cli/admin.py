"""``immich-admin``: maintenance commands, as Immich's server CLI.

Uses the same settings as ``immich-server`` (environment, ``.env`` or ``--env-file``,
``--media-location``) and the same database: the embedded PostgreSQL under the media folder, or
the one ``DB_URL`` / ``DB_HOSTNAME`` names. With the embedded default, the command starts
PostgreSQL if no server is running, and stops it again when done.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import getpass
import json
import re
import secrets
import sys
from argparse import Namespace
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from immich.cli.server import add_setting_flags, connect, settings_from_args
from immich.db.engine import Database
from immich.db.repos import sessions, system_metadata, users
from immich.jobs import failed as failed_jobs
from immich.services.system_config import CONFIG_KEY, FILE_IN_USE, notify_changed
from immich.settings import Settings, SettingsError

PROG = "immich-admin"


class AdminError(Exception):
    """A command could not do its job; the message is printed as is."""


def random_password() -> str:
    """Immich's ``randomBytesAsText(24)``: 24 random bytes, base64, non-word characters removed."""
    return re.sub(r"\W", "", base64.b64encode(secrets.token_bytes(24)).decode())


def merge(stored: Any, change: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``change`` into a stored config diff (a JSON object; anything else = {})."""
    out: dict[str, Any] = dict(stored) if isinstance(stored, dict) else {}
    for key, value in change.items():
        if isinstance(value, dict):
            out[key] = merge(out.get(key), value)
        else:
            out[key] = value
    return out


async def update_system_config(db: Database, change: dict[str, Any]) -> dict[str, Any]:
    """Merge ``change`` into the stored system config; return the new stored diff.

    Running servers reload it: the NOTIFY goes out when the transaction commits.
    """
    for attempt in range(5):
        try:
            async with db.transaction(isolation="serializable") as conn:
                stored = merge(await system_metadata.get(conn, CONFIG_KEY), change)
                await system_metadata.set(conn, CONFIG_KEY, stored)
                await notify_changed(conn, PROG)
            return stored
        except asyncpg.SerializationError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _ask_password(admin: asyncpg.Record) -> str:
    print("Found Admin:")
    print(f"- ID={admin['id']}")
    print(f"- OAuth ID={admin['oauthId'] or ''}")
    print(f"- Email={admin['email']}")
    print(f"- Name={admin['name']}")
    return getpass.getpass("Please choose a new password (optional): ")


async def reset_admin_password(db: Database, settings: Settings, args: Namespace) -> None:
    from immich.services.auth import hash_password

    admin = await users.get_admin(db.pool)
    if admin is None:
        raise AdminError("Admin account does not exist")
    provided = args.password if args.password is not None else _ask_password(admin)
    password = provided or random_password()
    async with db.transaction() as conn:
        await users.update(conn, admin["id"], {"password": await hash_password(password)})
        await sessions.delete_for_user(conn, admin["id"])  # as Immich: sign out everywhere
    if provided:
        print("The admin password has been updated.")
    else:
        print(f"The admin password has been updated to:\n{password}")


def _no_config_file(settings: Settings) -> None:
    if settings.config_file is not None:
        raise AdminError(FILE_IN_USE)


async def enable_password_login(db: Database, settings: Settings, args: Namespace) -> None:
    _no_config_file(settings)
    await update_system_config(db, {"passwordLogin": {"enabled": True}})
    print("Password login has been enabled.")


async def disable_password_login(db: Database, settings: Settings, args: Namespace) -> None:
    _no_config_file(settings)
    await update_system_config(db, {"passwordLogin": {"enabled": False}})
    print("Password login has been disabled.")


USER_FIELDS = (
    "id",
    "email",
    "name",
    "isAdmin",
    "status",
    "storageLabel",
    "quotaSizeInBytes",
    "quotaUsageInBytes",
    "shouldChangePassword",
    "oauthId",
    "createdAt",
    "updatedAt",
    "deletedAt",
)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


async def list_users(db: Database, settings: Settings, args: Namespace) -> None:
    rows = await users.list_users(db.pool, with_deleted=True)
    found = [{k: _jsonable(row[k]) for k in USER_FIELDS if k in row} for row in rows]
    print(json.dumps(found, indent=2))


Command = Callable[[Database, Settings, Namespace], Awaitable[None]]
COMMANDS: dict[str, tuple[Command, str]] = {
    "reset-admin-password": (reset_admin_password, "Reset the admin's password"),
    "enable-password-login": (enable_password_login, "Enable password login"),
    "disable-password-login": (disable_password_login, "Disable password login"),
    "list-users": (list_users, "List every user (soft-deleted ones too), as JSON"),
    "jobs": (failed_jobs.run, "Job queues: `jobs failed <queue>` lists failed jobs and why"),
}


def parse_args(argv: list[str] | None) -> Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        add_setting_flags(command, ("IMMICH_MEDIA_LOCATION", "IMMICH_CONFIG_FILE"))
        if name == "reset-admin-password":
            command.add_argument(
                "--password", help="the new password (default: ask; empty = generate one)"
            )
        if name == "jobs":
            failed_jobs.add_arguments(command)
    return parser.parse_args(argv)


async def run(settings: Settings, args: Namespace) -> None:
    async with connect(settings) as db:
        await COMMANDS[args.command][0](db, settings, args)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = settings_from_args(args)
    except SettingsError as err:
        print(f"{PROG}: invalid setting: {err}", file=sys.stderr)
        return 2
    try:
        asyncio.run(run(settings, args))
    except AdminError as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 1
    except (OSError, asyncpg.PostgresError) as err:
        print(f"{PROG}: database error: {err}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
