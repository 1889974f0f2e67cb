"""Shared steps for the user, admin-user, API key and session tests."""

from __future__ import annotations

from typing import Any

import httpx

UNKNOWN_ID = "4a1b0a7e-5c1d-4c1e-9d2a-0b7c3e5f6a11"


async def create_user(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    email: str = "user@example.com",
    password: str = "user-password",
    **extra: Any,
) -> dict[str, Any]:
    body = {"email": email, "password": password, "name": email.split("@")[0], **extra}
    r = await client.post("/api/admin/users", headers=admin_headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    r = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert r.status_code == 201, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['accessToken']}"}


async def user_and_login(
    client: httpx.AsyncClient, admin_headers: dict[str, str], email: str = "user@example.com"
) -> tuple[dict[str, Any], dict[str, str]]:
    """A new non-admin user and Bearer headers of their session."""
    user = await create_user(client, admin_headers, email, "user-password")
    return user, await login(client, email, "user-password")


async def api_key(
    client: httpx.AsyncClient, headers: dict[str, str], *permissions: str
) -> dict[str, str]:
    """Headers authenticating with a new API key holding ``permissions`` (default: all)."""
    r = await client.post(
        "/api/api-keys",
        headers=headers,
        json={"name": "test", "permissions": list(permissions) or ["all"]},
    )
    assert r.status_code == 201, r.text
    return {"x-api-key": r.json()["secret"]}
