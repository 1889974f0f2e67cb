"""Invalid input through the HTTP app gets Immich 3.1's exact validation body.

Immich 3.1 validates with zod 4 (``server/src/validation.ts``, ``dtos/*.dto.ts``) and answers
``{"message": "Validation failed", "errors": [{path, message}]}``. Messages: zod's English locale
(``Invalid input: expected string, received null``, ``Invalid option: expected one of ...``,
``Invalid UUID``), and Immich's own for emails (``toEmail``: JavaScript's ``typeof``, so null is
"object") and ISO datetimes (``isoDatetimeToDate``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from immich.api import collect_operations
from immich.api._dto_scalars import Errors, Plan
from immich.api.dto import object_plan
from immich.plugins import make_manager
from tests.api.test_dto import wrong_value
from tests.conftest import EXAMPLE_PLUGIN

DROP = object()  # leave the key out
VALID_USER = {"email": "new@example.com", "name": "New", "password": "secret-pass"}
AVATAR_COLORS = '"primary"|"pink"|"red"|"yellow"|"blue"|"green"|"purple"|"orange"|"gray"|"amber"'


def failed(*errors: tuple[list[Any], str]) -> dict[str, Any]:
    return {
        "message": "Validation failed",
        "errors": [{"path": path, "message": message} for path, message in errors],
    }


async def check(response: httpx.Response, *errors: tuple[list[Any], str]) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == failed(*errors)


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"email": None}, ["email"], "Invalid input: expected email, received object"),
        ({"email": DROP}, ["email"], "Invalid input: expected email, received undefined"),
        ({"email": 5}, ["email"], "Invalid input: expected email, received number"),
        ({"email": "nope"}, ["email"], "Invalid input: expected email, received string"),
        ({"name": None}, ["name"], "Invalid input: expected string, received null"),
        ({"name": 5}, ["name"], "Invalid input: expected string, received number"),
        ({"isAdmin": "yes"}, ["isAdmin"], "Invalid input: expected boolean, received string"),
        (
            {"avatarColor": "teal"},
            ["avatarColor"],
            f"Invalid option: expected one of {AVATAR_COLORS}",
        ),
        ({"quotaSizeInBytes": -1}, ["quotaSizeInBytes"], "Too small: expected number to be >=0"),
        (
            {"quotaSizeInBytes": 1.5},
            ["quotaSizeInBytes"],
            "Invalid input: expected int, received number",
        ),
        ({"pinCode": "12"}, ["pinCode"], "Invalid string: must match pattern /^\\d{6}$/"),
    ],
)
async def test_create_user_admin_messages(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    body: dict[str, Any],
    path: list[Any],
    message: str,
) -> None:
    sent = {k: v for k, v in {**VALID_USER, **body}.items() if v is not DROP}
    r = await client.post("/api/admin/users", json=sent, headers=admin_headers)
    await check(r, (path, message))


async def test_update_user_admin_null_email(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.put(
        f"/api/admin/users/{uuid.uuid4()}", json={"email": None}, headers=admin_headers
    )
    await check(r, (["email"], "Invalid input: expected email, received object"))
    # avatarColor is nullish in Immich: null is a value, a wrong colour is not
    r = await client.put("/api/users/me", json={"avatarColor": None}, headers=admin_headers)
    assert r.status_code == 200, r.text
    r = await client.put("/api/users/me", json={"avatarColor": 3}, headers=admin_headers)
    await check(r, (["avatarColor"], f"Invalid option: expected one of {AVATAR_COLORS}"))


async def test_login_messages(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/auth/login", json={"email": "a@example.com", "password": None})
    await check(r, (["password"], "Invalid input: expected string, received null"))
    r = await client.post("/api/auth/login", json={"email": ["a@example.com"]})
    await check(
        r,
        (["email"], "Invalid input: expected email, received object"),
        (["password"], "Invalid input: expected string, received undefined"),
    )
    r = await client.post("/api/auth/login", json=[])
    await check(r, ([], "Invalid input: expected object, received array"))


async def test_uuid_array_enum_and_nested_messages(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.post(
        "/api/albums", json={"albumName": "A", "assetIds": ["nope"]}, headers=admin_headers
    )
    await check(r, (["assetIds", 0], "Invalid UUID"))
    r = await client.post(
        "/api/albums",
        json={"albumName": "A", "albumUsers": [{"userId": str(uuid.uuid4()), "role": None}]},
        headers=admin_headers,
    )
    await check(
        r, (["albumUsers", 0, "role"], 'Invalid option: expected one of "editor"|"owner"|"viewer"')
    )
    r = await client.post(
        "/api/albums", json={"albumName": "A", "assetIds": None}, headers=admin_headers
    )
    await check(r, (["assetIds"], "Invalid input: expected array, received null"))
    r = await client.put(
        f"/api/assets/{uuid.uuid4()}/metadata",
        json={"items": [{"key": "k", "value": None}]},
        headers=admin_headers,
    )
    await check(r, (["items", 0, "value"], "Invalid input: expected record, received null"))


async def test_query_messages(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.get("/api/timeline/buckets?isFavorite=yes", headers=admin_headers)
    await check(r, (["isFavorite"], 'Invalid option: expected one of "true"|"false"'))
    r = await client.get("/api/timeline/buckets?userId=nope", headers=admin_headers)
    await check(r, (["userId"], "Invalid UUID"))


async def test_upload_bad_date_message(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.post(
        "/api/assets",
        data={
            "deviceAssetId": "a",
            "deviceId": "d",
            "fileCreatedAt": "yesterday",
            "fileModifiedAt": "2024-01-01",
        },
        files={"assetData": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
        headers=admin_headers,
    )
    message = "Invalid input: expected ISO 8601 datetime string, received string"
    await check(r, (["fileCreatedAt"], message), (["fileModifiedAt"], message))


async def test_every_route_answers_invalid_input_with_immich_validation_body(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """Each JSON body and query DTO a route declares: wrong kinds everywhere -> 400, not 500."""
    checked = 0
    for op in collect_operations(make_manager(skip=[EXAMPLE_PLUGIN])):
        path = "/api" + re.sub(r"\{\w+\}", lambda _: str(uuid.uuid4()), op.path)
        if op.body is not None and op.body_type == "application/json":
            fields = object_plan(op.body).fields
            sent = {f.key: wrong_value(f.plan) for f in fields}
            r = await client.request(op.method, path, json=sent, headers=admin_headers)
        elif op.query is not None:
            fields = object_plan(op.query).fields
            bad = [f for f in fields if _rejects_in_query(f.plan)]
            if not bad:
                continue
            params = {f.key: "nope!" for f in bad}
            r = await client.request(op.method, path, params=params, headers=admin_headers)
        else:
            continue
        assert r.status_code == 400, (op.operation_id, r.status_code, r.text)
        body = r.json()
        assert set(body) == {"message", "errors"}, (op.operation_id, body)
        assert body["message"] == "Validation failed"
        assert body["errors"], op.operation_id
        for error in body["errors"]:
            assert set(error) == {"path", "message"}, (op.operation_id, error)
            assert isinstance(error["message"], str) and error["path"], (op.operation_id, error)
        checked += 1
    assert checked >= 50


def _rejects_in_query(plan: Plan) -> bool:
    errors = Errors(coerce=True)
    plan.parse("nope!", ("x",), errors)
    return bool(errors)


NUL = "Invalid string: must not contain the null character (U+0000)"


async def test_nul_characters_are_refused_in_every_kind_of_text(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """U+0000 cannot be stored in text or jsonb: a 400 naming the field, never a 500."""
    h = admin_headers
    await check(
        await client.post("/api/albums", json={"albumName": "a\0b"}, headers=h),
        (["albumName"], NUL),
    )
    r = await client.post("/api/albums", json={"albumName": "ok", "description": "\0"}, headers=h)
    await check(r, (["description"], NUL))
    await check(await client.get("/api/albums?name=%00", headers=h), (["name"], NUL))
    await check(await client.put("/api/users/me", json={"name": "\0"}, headers=h), (["name"], NUL))
    r = await client.post("/api/api-keys", json={"name": "k\0", "permissions": ["all"]}, headers=h)
    await check(r, (["name"], NUL))
    body = {"licenseKey": "IMCL-\0", "activationKey": "x"}
    await check(
        await client.put("/api/users/me/license", json=body, headers=h), (["licenseKey"], NUL)
    )
    items = [{"key": "k", "value": {"deep": ["fine", {"x\0": 1}]}}]
    r = await client.put(
        "/api/assets/metadata",
        json={"items": [{**items[0], "assetId": str(uuid.uuid4())}]},
        headers=h,
    )
    await check(r, (["items", 0, "value", "deep", 1, "x\0"], NUL))
    r = await client.post(
        "/api/assets",
        headers=h,
        data={
            "deviceAssetId": "a\0",
            "deviceId": "d",
            "fileCreatedAt": "2024-01-01T00:00:00Z",
            "fileModifiedAt": "2024-01-01T00:00:00Z",
        },
        files={"assetData": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
    )
    assert r.status_code == 400, r.text
    assert {"path": ["deviceAssetId"], "message": NUL} in r.json()["errors"]
    r = await client.get("/api/albums", headers=h)
    assert r.json() == []


async def test_integers_are_bounded_by_what_we_can_store(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    too_big = "Too big: expected number to be <=2147483647"
    for duration in (9007199254740990, 1e11):
        r = await client.post("/api/sessions", json={"duration": duration}, headers=admin_headers)
        await check(r, (["duration"], too_big))
    r = await client.post("/api/sessions", json={"duration": 3600}, headers=admin_headers)
    assert r.status_code == 201, r.text
    r = await client.put(
        "/api/assets", json={"ids": [], "dateTimeRelative": 3000000000}, headers=admin_headers
    )
    await check(r, (["dateTimeRelative"], too_big))
    r = await client.put(
        "/api/assets", json={"ids": [], "dateTimeRelative": -3000000000}, headers=admin_headers
    )
    await check(r, (["dateTimeRelative"], "Too small: expected number to be >=-2147483647"))
    r = await client.put(
        "/api/assets", json={"ids": [], "duplicateId": "nope"}, headers=admin_headers
    )
    await check(r, (["duplicateId"], "Invalid UUID"))


async def test_date_shifts_stay_within_years_1_to_9999(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    from tests.api.asset_factory import make_asset, user_id

    pool = app.state.ctx.db.pool
    asset = await make_asset(
        pool, await user_id(pool), "9000-01-01T00:00:00", exif={"dateTimeOriginal": None}
    )
    body = {"ids": [str(asset["id"])], "dateTimeRelative": 2147483647}
    r = await client.put("/api/assets", json=body, headers=admin_headers)
    assert r.status_code == 204, r.text
    r = await client.get(f"/api/assets/{asset['id']}", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["localDateTime"] == "9999-12-31T23:59:59.999Z"
    assert r.json()["exifInfo"]["dateTimeOriginal"] is None


@pytest.mark.parametrize(
    "value",
    ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "10000-01-01T00:00:00Z"],
)
async def test_dates_outside_years_1_to_9999_are_refused(
    client: httpx.AsyncClient, admin_headers: dict[str, str], value: str
) -> None:
    r = await client.put(
        "/api/assets", json={"ids": [], "dateTimeOriginal": value}, headers=admin_headers
    )
    assert r.status_code == 400, r.text
    r = await client.post(
        "/api/assets",
        headers=admin_headers,
        data={
            "deviceAssetId": "a",
            "deviceId": "d",
            "fileCreatedAt": value,
            "fileModifiedAt": value,
        },
        files={"assetData": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
    )
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["path"] == ["fileCreatedAt"]


async def test_early_dates_keep_a_four_digit_year(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    from tests.api.asset_factory import make_asset, user_id

    pool = app.state.ctx.db.pool
    asset = await make_asset(pool, await user_id(pool), "0297-12-14T20:59:53")
    r = await client.get(f"/api/assets/{asset['id']}", headers=admin_headers)
    assert r.json()["localDateTime"] == "0297-12-14T20:59:53.000Z"
    assert r.json()["fileModifiedAt"] == "0297-12-14T20:59:53.000Z"
