"""immich-admin against the test database (DB_URL), checked through the real app."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from immich.cli import admin
from immich.db.repos import system_metadata
from immich.services.system_config import CONFIG_KEY
from tests.conftest import ADMIN


@pytest.fixture(autouse=True)
def _cli_env(db_url: str, media_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reads the same settings as the server: here DB_URL points at the test database."""
    for name in ("DB_HOSTNAME", "REDIS_URL", "REDIS_HOSTNAME", "IMMICH_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DB_URL", db_url)
    monkeypatch.setenv("IMMICH_MEDIA_LOCATION", str(media_dir))
    monkeypatch.chdir(tmp_path)  # no stray ./.env


async def run_admin(*argv: str) -> int:
    """main() in a thread: it runs its own event loop, as from a shell."""
    return await asyncio.to_thread(admin.main, list(argv))


async def login(client: httpx.AsyncClient, password: str = ADMIN["password"]) -> httpx.Response:
    r = await client.post("/api/auth/login", json={"email": ADMIN["email"], "password": password})
    client.cookies.clear()
    return r


async def login_answers(client: httpx.AsyncClient, status: int) -> None:
    """Poll until login answers ``status``: the app reloads its config on the CLI's NOTIFY."""
    deadline = asyncio.get_running_loop().time() + 10
    while (r := await login(client)).status_code != status:
        assert asyncio.get_running_loop().time() < deadline, r.text
        await asyncio.sleep(0.05)


async def test_disable_then_enable_password_login(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], capsys: Any
) -> None:
    assert await run_admin("disable-password-login") == 0
    assert capsys.readouterr().out == "Password login has been disabled.\n"
    stored = await system_metadata.get(app.state.ctx.db.pool, CONFIG_KEY)
    assert stored["passwordLogin"]["enabled"] is False
    await login_answers(client, 401)  # no restart, no explicit reload

    assert await run_admin("enable-password-login") == 0
    assert capsys.readouterr().out == "Password login has been enabled.\n"
    await login_answers(client, 201)


async def test_password_login_change_keeps_the_rest_of_the_stored_config(
    app: Any, client: httpx.AsyncClient
) -> None:
    pool = app.state.ctx.db.pool
    await system_metadata.set(pool, CONFIG_KEY, {"trash": {"days": 3}, "passwordLogin": {}})
    assert await run_admin("disable-password-login") == 0
    stored = await system_metadata.get(pool, CONFIG_KEY)
    assert stored == {"trash": {"days": 3}, "passwordLogin": {"enabled": False}}


async def test_config_file_makes_the_config_read_only(
    app: Any, client: httpx.AsyncClient, tmp_path: Path, capsys: Any
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("passwordLogin:\n  enabled: true\n")
    assert await run_admin("disable-password-login", "--config-file", str(config)) == 1
    err = capsys.readouterr().err
    assert "Cannot update configuration while IMMICH_CONFIG_FILE is in use" in err
    assert await system_metadata.get(app.state.ctx.db.pool, CONFIG_KEY) is None


async def test_config_change_is_notified(db_url: str, client: httpx.AsyncClient) -> None:
    from immich.services.system_config import CHANNEL

    received: asyncio.Queue[str] = asyncio.Queue()
    conn = await asyncpg.connect(db_url)
    try:
        await conn.add_listener(CHANNEL, lambda *args: received.put_nowait(args[-1]))
        assert await run_admin("enable-password-login") == 0
        assert await asyncio.wait_for(received.get(), 10) == "immich-admin"
    finally:
        await conn.close()


async def test_reset_admin_password_with_flag(
    client: httpx.AsyncClient, admin_headers: dict[str, str], capsys: Any
) -> None:
    assert await run_admin("reset-admin-password", "--password", "brand-new-pw") == 0
    assert capsys.readouterr().out == "The admin password has been updated.\n"
    assert (await login(client)).status_code == 401
    assert (await login(client, "brand-new-pw")).status_code == 201
    # as Immich: the old sessions are signed out
    r = await client.get("/api/users/me", headers=admin_headers)
    assert r.status_code == 401


async def test_reset_admin_password_generates_one_when_none_given(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    capsys: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return ""

    monkeypatch.setattr("getpass.getpass", getpass)
    assert await run_admin("reset-admin-password") == 0
    out = capsys.readouterr().out
    assert prompts == ["Please choose a new password (optional): "]
    assert f"- Email={ADMIN['email']}" in out
    head, _, password = out.rstrip("\n").rpartition("\n")
    assert head.endswith("The admin password has been updated to:")
    assert len(password) >= 24 and password.isalnum()
    assert (await login(client, password)).status_code == 201


async def test_reset_admin_password_prompted(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    capsys: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: "typed-password")
    assert await run_admin("reset-admin-password") == 0
    assert capsys.readouterr().out.endswith("The admin password has been updated.\n")
    assert (await login(client, "typed-password")).status_code == 201


async def test_reset_admin_password_without_admin(client: httpx.AsyncClient, capsys: Any) -> None:
    assert await run_admin("reset-admin-password", "--password", "x") == 1
    assert capsys.readouterr().err == "immich-admin: Admin account does not exist\n"


async def test_list_users(
    client: httpx.AsyncClient, admin_headers: dict[str, str], capsys: Any
) -> None:
    r = await client.post(
        "/api/admin/users",
        headers=admin_headers,
        json={"email": "second@example.com", "password": "password2", "name": "Second"},
    )
    assert r.status_code == 201, r.text
    capsys.readouterr()
    assert await run_admin("list-users") == 0
    found = json.loads(capsys.readouterr().out)
    assert [u["email"] for u in found] == [ADMIN["email"], "second@example.com"]
    assert [u["isAdmin"] for u in found] == [True, False]
    assert all("password" not in u for u in found)
    assert found[0]["createdAt"].startswith("20")


async def test_list_users_empty(client: httpx.AsyncClient, capsys: Any) -> None:
    assert await run_admin("list-users") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_invalid_setting_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setenv("DB_URL", "mysql://nope")
    assert admin.main(["list-users"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("immich-admin: invalid setting: DB_URL:") and err.count("\n") == 1


def test_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setenv("DB_URL", "postgresql://u:p@127.0.0.1:1/x")
    assert admin.main(["list-users"]) == 1
    assert capsys.readouterr().err.startswith("immich-admin: database error:")


def test_merge() -> None:
    stored: dict[str, Any] = {"a": {"b": 1, "c": {"d": 2}}, "e": 3}
    assert admin.merge(stored, {"a": {"c": {"d": 4}}}) == {"a": {"b": 1, "c": {"d": 4}}, "e": 3}
    assert stored["a"]["c"]["d"] == 2  # the input is left alone
    assert admin.merge(None, {"x": {"y": True}}) == {"x": {"y": True}}
    assert admin.merge(["junk"], {"x": 1}) == {"x": 1}
    assert admin.merge({"x": 5}, {"x": {"y": 1}}) == {"x": {"y": 1}}
