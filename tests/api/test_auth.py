"""/api/auth through the real app and database."""

from __future__ import annotations

import httpx

from tests.conftest import ADMIN, sign_up_and_login


async def test_admin_sign_up_then_second_refused(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/auth/admin-sign-up", json=ADMIN)
    assert r.status_code == 201
    body = r.json()
    assert body["email"] == ADMIN["email"] and body["isAdmin"] is True
    assert body["shouldChangePassword"] is False and body["status"] == "active"
    assert r.headers["x-correlation-id"]
    r = await client.post("/api/auth/admin-sign-up", json={**ADMIN, "email": "b@example.com"})
    assert r.status_code == 400
    assert r.json() == {"message": "The server already has an admin"}


async def test_sign_up_validation(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/auth/admin-sign-up", json={"email": "not-an-email", "name": 3})
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"message", "errors"} and body["message"] == "Validation failed"
    paths = {tuple(e["path"]) for e in body["errors"]}
    assert paths == {("email",), ("name",), ("password",)}


async def test_login_sets_cookies_and_token_works(client: httpx.AsyncClient) -> None:
    await client.post("/api/auth/admin-sign-up", json=ADMIN)
    r = await client.post(
        "/api/auth/login", json={"email": ADMIN["email"].upper(), "password": ADMIN["password"]}
    )
    assert r.status_code == 201
    body = r.json()
    assert body["userEmail"] == ADMIN["email"] and body["isAdmin"] is True
    assert r.cookies["immich_access_token"] == body["accessToken"]
    assert r.cookies["immich_is_authenticated"] == "true"
    assert r.cookies["immich_auth_type"] == "password"
    # cookie auth
    r = await client.post("/api/auth/validateToken")
    assert r.status_code == 200 and r.json() == {"authStatus": True}
    client.cookies.clear()
    for headers in (
        {"Authorization": f"Bearer {body['accessToken']}"},
        {"x-immich-user-token": body["accessToken"]},
        {"x-immich-session-token": body["accessToken"]},
    ):
        r = await client.post("/api/auth/validateToken", headers=headers)
        assert r.status_code == 200, headers


async def test_wrong_password_and_bad_tokens(client: httpx.AsyncClient) -> None:
    await client.post("/api/auth/admin-sign-up", json=ADMIN)
    r = await client.post("/api/auth/login", json={"email": ADMIN["email"], "password": "nope"})
    assert r.status_code == 401 and r.json() == {"message": "Incorrect email or password"}
    r = await client.post("/api/auth/login", json={"email": "who@example.com", "password": "x"})
    assert r.status_code == 401
    r = await client.post("/api/auth/validateToken")
    assert r.status_code == 401 and r.json() == {"message": "Authentication required"}
    r = await client.post("/api/auth/validateToken", headers={"Authorization": "Bearer junk"})
    assert r.status_code == 401 and r.json() == {"message": "Invalid user token"}
    r = await client.post("/api/auth/validateToken", headers={"x-api-key": "junk"})
    assert r.status_code == 401 and r.json() == {"message": "Invalid API key"}


async def test_logout_ends_session(client: httpx.AsyncClient) -> None:
    headers = await sign_up_and_login(client)
    r = await client.post("/api/auth/logout", headers=headers)
    assert r.status_code == 200
    assert r.json() == {"redirectUri": "/auth/login", "successful": True}
    r = await client.post("/api/auth/validateToken", headers=headers)
    assert r.status_code == 401


async def test_change_password(client: httpx.AsyncClient) -> None:
    headers = await sign_up_and_login(client)
    r = await client.post(
        "/api/auth/change-password",
        headers=headers,
        json={"password": "wrong", "newPassword": "new-password-1"},
    )
    assert r.status_code == 400 and r.json() == {"message": "Wrong password"}
    r = await client.post(
        "/api/auth/change-password",
        headers=headers,
        json={"password": ADMIN["password"], "newPassword": "short"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["newPassword"]
    r = await client.post(
        "/api/auth/change-password",
        headers=headers,
        json={"password": ADMIN["password"], "newPassword": "new-password-1"},
    )
    assert r.status_code == 200
    r = await client.post(
        "/api/auth/login", json={"email": ADMIN["email"], "password": "new-password-1"}
    )
    assert r.status_code == 201


async def test_auth_status_and_unknown_route(client: httpx.AsyncClient) -> None:
    headers = await sign_up_and_login(client)
    r = await client.get("/api/auth/status", headers=headers)
    assert r.status_code == 200
    assert r.json()["password"] is True and r.json()["pinCode"] is False
    r = await client.get("/api/nope", headers=headers)
    assert r.status_code == 404 and set(r.json()) == {"message"}
    r = await client.post(
        "/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and set(r.json()) == {"message"}


async def test_credentials_from_query_and_cookie_and_logout_clears_cookies(
    client: httpx.AsyncClient,
) -> None:
    """Every place Immich reads credentials from (immich/api/_auth.py), and logout's cookies."""
    headers = await sign_up_and_login(client)
    token = headers["Authorization"].removeprefix("Bearer ")
    r = await client.post("/api/auth/validateToken", params={"sessionKey": token})
    assert r.status_code == 200
    r = await client.post("/api/auth/validateToken", params={"sessionKey": "junk"})
    assert r.status_code == 401 and r.json() == {"message": "Invalid user token"}
    r = await client.post("/api/api-keys", headers=headers, json={"permissions": ["all"]})
    assert r.status_code == 201, r.text
    secret = r.json()["secret"]
    r = await client.get("/api/users/me", params={"apiKey": secret})
    assert r.status_code == 200 and r.json()["email"] == ADMIN["email"]
    # an API key wins over a bad session token, as in Immich (it is looked at first)
    r = await client.get(
        "/api/users/me", headers={"x-api-key": secret, "Authorization": "Bearer junk"}
    )
    assert r.status_code == 200
    r = await client.get("/api/users/me", headers={"cookie": f"immich_access_token={token}"})
    assert r.status_code == 200
    r = await client.post("/api/auth/logout", headers={"cookie": f"immich_access_token={token}"})
    assert r.status_code == 200
    cleared = r.headers.get_list("set-cookie")
    names = sorted(c.split("=", 1)[0] for c in cleared)
    assert names == ["immich_access_token", "immich_auth_type", "immich_is_authenticated"]
    assert all("Max-Age=0" in c or "expires=" in c.lower() for c in cleared)
    r = await client.post("/api/auth/validateToken", params={"sessionKey": token})
    assert r.status_code == 401
