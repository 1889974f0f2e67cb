"""The access matrix: every operation the app serves, called by the owner of the things it names,
a second user, album members (a viewer and an editor of the owner's album), a partner, an admin,
an API key, shared-link visitors and an anonymous client; only the allowed calls succeed.

Generated from the route table (``collect_operations``), so a new route joins the matrix on its
own: one without ids is classified from its route (public, admin-only, the caller's own data);
one with an id input needs probes in ``tests/api/access_rules.py`` and fails
``test_every_operation_is_classified`` until it has them. The vocabulary (actors, probes,
expectations, and where the partner and shared-link rows will join) is in
``tests/api/access_model.py``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import attrs
import httpx
import pytest

from immich.api import collect_operations
from immich.api.routing import Call, Operation, Router
from immich.plugins import make_manager
from tests.api.access_model import (
    ACTORS,
    ADMIN,
    ANONYMOUS,
    EDITOR,
    FORBIDDEN,
    KEY,
    KEY_PERMISSIONS,
    LINK_ACTORS,
    MEMBER,
    OWNER,
    PARTNER,
    SECOND,
    UNAUTHORIZED,
    Expect,
    Probe,
    Request,
    Things,
    id_inputs,
    private,
    reached,
    status,
    success,
)
from tests.api.access_rules import ANONYMOUS_ONLY, FRESH_MAKERS, PATH_DEFAULTS, RULES
from tests.api.access_rules_asset_metadata import META_KEY
from tests.api.access_rules_shared_links import link_actors, link_expected
from tests.api.asset_factory import make_album, make_asset, make_stack, trash
from tests.api.asset_helpers import uploaded
from tests.api.user_helpers import create_user, login
from tests.conftest import EXAMPLE_PLUGIN, SHARED, reset_database, sign_up_and_login

PHOTO = SHARED / "testdata" / "immich-test-assets" / "formats" / "jpg" / "el_torcal_rocks.jpg"
OPERATIONS = collect_operations(make_manager(skip=[EXAMPLE_PLUGIN]))


def auto_probe(op: Operation) -> Probe | None:
    """The probe of an operation that names nothing by id: the route says who may call it."""
    if id_inputs(op):
        return None
    body: dict[str, Any] | None = (
        {} if op.body is not None and op.body_type == "application/json" else None
    )
    path = {name: PATH_DEFAULTS[name] for name in re.findall(r"{(\w+)}", op.path)}
    if op.admin:
        return Probe(
            lambda o, c: Request(path, body), reached(), reached(), grants=frozenset({ADMIN})
        )
    # everyone reaches it; what a reader other than the owner gets must not name the
    # owner's things (a list of albums, keys, sessions, stacks...)
    return Probe(lambda o, c: Request(path, body), private(), reached(), grants=frozenset({OWNER}))


def probes(op: Operation) -> list[Probe]:
    if op.operation_id in ANONYMOUS_ONLY:
        return [
            Probe(lambda o, c: Request(), reached(), anonymous_only=ANONYMOUS_ONLY[op.operation_id])
        ]
    if op.operation_id in RULES:
        return RULES[op.operation_id]
    auto = auto_probe(op)
    return [auto] if auto is not None else []


def expected(op: Operation, probe: Probe, actor: str) -> Expect:
    if actor == ANONYMOUS:
        return UNAUTHORIZED if op.auth else reached()
    if not op.auth:
        return reached()
    if (link := link_expected(op, probe, actor)) is not None:
        return link
    if op.admin and actor != ADMIN:
        return FORBIDDEN
    if actor in probe.per_actor:
        return probe.per_actor[actor]
    if actor == KEY:  # the owner, if the key holds what the operation needs
        if op.permission is False or op.permission in KEY_PERMISSIONS:
            return expected(op, probe, OWNER)
        return status(403, f"Missing required permission: {op.permission or 'all'}")
    if actor in probe.grants:
        return probe.ok or success(op)
    return probe.denied


# --- fixtures: built once for the module -------------------------------------------------------


@attrs.define
class World:
    client: httpx.AsyncClient
    pool: Any
    admin_headers: dict[str, str]
    actors: dict[str, Things]
    cells: list[int] = attrs.field(factory=lambda: [0])

    async def fresh(self, kinds: tuple[str, ...]) -> Things:
        """A copy of the owner's things with ``kinds`` made anew."""
        owner = attrs.evolve(self.actors[OWNER])
        for kind in kinds:
            if kind in ("asset", "asset2"):
                row = await make_asset(self.pool, owner.user_id, "2024-05-02T10:00:00")
                setattr(owner, kind, str(row["id"]))
            elif kind == "video":
                row = await make_asset(
                    self.pool, owner.user_id, "2024-05-02T10:00:00", type="VIDEO"
                )
                owner.asset2 = str(row["id"])
            elif kind == "album_asset":  # members read it
                row = await make_asset(self.pool, owner.user_id)
                await self._into_album(row["id"])
                owner.asset = str(row["id"])
            elif kind == "locked_asset":
                row = await make_asset(self.pool, owner.user_id, visibility="locked")
                owner.asset = str(row["id"])
            elif kind == "trashed_in_album":
                row = await make_asset(self.pool, owner.user_id)
                await self._into_album(row["id"])
                await trash(self.pool, [row["id"]])
                owner.asset = str(row["id"])
            elif kind == "live_video_in_album":
                video = await make_asset(
                    self.pool, owner.user_id, type="VIDEO", visibility="hidden"
                )
                photo = await make_asset(self.pool, owner.user_id, livePhotoVideoId=video["id"])
                await self._into_album(photo["id"])
                owner.asset = str(video["id"])
            elif kind == "trashed_asset":
                row = await make_asset(self.pool, owner.user_id, "2024-05-02T10:00:00")
                await trash(self.pool, [row["id"]])
                owner.asset = str(row["id"])
            elif kind == "stack":
                a = await make_asset(self.pool, owner.user_id, "2024-05-03T10:00:00")
                b = await make_asset(self.pool, owner.user_id, "2024-05-03T11:00:00")
                owner.stack = str(await make_stack(self.pool, owner.user_id, [a["id"], b["id"]]))
                owner.asset, owner.asset2 = str(a["id"]), str(b["id"])
            elif kind == "api_key":
                owner.api_key = await _api_key(self.client, owner.headers)
            elif kind == "session":
                owner.session = await _session(self.client, owner.headers)
            elif kind in ("notification", "deleted_notification"):
                owner.notification = await _notification(self.client, self.admin_headers, owner)
                if kind == "deleted_notification":
                    r = await self.client.delete(
                        f"/api/notifications/{owner.notification}", headers=owner.headers
                    )
                    assert r.status_code == 204, r.text
            elif kind == "tag":
                owner.tag = await _tag(self.client, owner.headers)
            elif kind == "tagged_asset":  # a new asset carrying a new tag
                row = await make_asset(self.pool, owner.user_id, "2024-05-02T10:00:00")
                owner.asset, owner.tag = str(row["id"]), await _tag(self.client, owner.headers)
                r = await self.client.put(
                    f"/api/tags/{owner.tag}/assets",
                    headers=owner.headers,
                    json={"ids": [owner.asset]},
                )
                assert r.status_code == 200 and r.json()[0]["success"], r.text
            elif kind in ("user", "deleted_user"):
                email = f"fresh-{uuid.uuid4().hex[:8]}@example.com"
                user = await create_user(self.client, self.admin_headers, email, "pw-12345678")
                owner.user_id = user["id"]
                if kind == "deleted_user":
                    r = await self.client.request(
                        "DELETE",
                        f"/api/admin/users/{user['id']}",
                        headers=self.admin_headers,
                        json={},
                    )
                    assert r.status_code == 200, r.text
            elif kind in FRESH_MAKERS:
                await FRESH_MAKERS[kind](self, owner)
            else:
                raise AssertionError(f"no fresh {kind!r}")
        return owner

    async def _into_album(self, asset_id: uuid.UUID) -> None:
        await self.pool.execute(
            'INSERT INTO "album_asset" ("albumId", "assetId") VALUES ($1, $2)',
            uuid.UUID(self.actors[OWNER].album),
            asset_id,
        )


async def _api_key(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    r = await client.post(
        "/api/api-keys", headers=headers, json={"name": "k", "permissions": ["all"]}
    )
    assert r.status_code == 201, r.text
    return str(r.json()["apiKey"]["id"])


async def _session(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    r = await client.post("/api/sessions", headers=headers, json={"deviceType": "test"})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _notification(client: httpx.AsyncClient, admin: dict[str, str], things: Things) -> str:
    r = await client.post(
        "/api/admin/notifications", headers=admin, json={"userId": things.user_id, "title": "hi"}
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _tag(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    r = await client.post("/api/tags", headers=headers, json={"name": uuid.uuid4().hex[:12]})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _plain_user(client: httpx.AsyncClient, admin: dict[str, str], email: str) -> Things:
    user = await create_user(client, admin, email, "user-password")
    return Things(user_id=user["id"], headers=await login(client, email, "user-password"))


async def _own_things(
    client: httpx.AsyncClient, pool: Any, admin: dict[str, str], things: Things
) -> None:
    """What every user has: an asset in an album of theirs, a notification, a tag."""
    row = await make_asset(pool, things.user_id, "2024-05-04T10:00:00")
    things.asset = str(row["id"])
    things.album = str(await make_album(pool, things.user_id, [row["id"]]))
    things.notification = await _notification(client, admin, things)
    things.tag = await _tag(client, things.headers)


@pytest.fixture(scope="module")
async def world(app: Any) -> AsyncIterator[World]:
    pool = app.state.ctx.db.pool
    await reset_database(pool)
    await app.state.ctx.config.load()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        admin_headers = await sign_up_and_login(client)
        me = await client.get("/api/users/me", headers=admin_headers)
        admin = Things(user_id=me.json()["id"], headers=admin_headers)
        owner = await _plain_user(client, admin_headers, "owner@example.com")
        second = await _plain_user(client, admin_headers, "second@example.com")
        member = await _plain_user(client, admin_headers, "member@example.com")
        editor = await _plain_user(client, admin_headers, "editor@example.com")
        partner = await _plain_user(client, admin_headers, "partner@example.com")
        r = await client.post(
            "/api/partners", headers=owner.headers, json={"sharedWithId": partner.user_id}
        )
        assert r.status_code == 201, r.text
        # the owner: an uploaded photo (a real file, a thumbnail row, a metadata key), a
        # second asset stacked under it, an album holding it, an API key, a session, a
        # notification, a tag
        owner.asset = await uploaded(client, owner.headers, PHOTO.read_bytes(), "photo.jpg")
        path = await pool.fetchval(
            'SELECT "originalPath" FROM "asset" WHERE "id" = $1', uuid.UUID(owner.asset)
        )
        await pool.execute(
            'INSERT INTO "asset_file" ("assetId", "type", "path") VALUES ($1, $2, $3)',
            uuid.UUID(owner.asset),
            "thumbnail",
            path,
        )
        r = await client.put(
            f"/api/assets/{owner.asset}/metadata",
            headers=owner.headers,
            json={"items": [{"key": META_KEY, "value": {"iCloudId": "1"}}]},
        )
        assert r.status_code == 200, r.text
        owner.asset2 = str((await make_asset(pool, owner.user_id, "2024-05-01T11:00:00"))["id"])
        owner.stack = str(await make_stack(pool, owner.user_id, [owner.asset, owner.asset2]))
        owner.album = str(await make_album(pool, owner.user_id, [owner.asset]))
        owner.api_key = await _api_key(client, owner.headers)
        owner.session = await _session(client, owner.headers)
        for user, role in ((member, "viewer"), (editor, "editor")):
            await pool.execute(
                'INSERT INTO "album_user" ("albumId", "userId", "role") VALUES ($1, $2, $3)',
                uuid.UUID(owner.album),
                uuid.UUID(user.user_id),
                role,
            )
        owner.notification = await _notification(client, admin_headers, owner)
        owner.tag = await _tag(client, owner.headers)
        for other in (second, member, editor, partner, admin):
            await _own_things(client, pool, admin_headers, other)
        anonymous = Things(user_id="", headers={})
        r = await client.post(
            "/api/api-keys",
            headers=owner.headers,
            json={"name": "narrow", "permissions": list(KEY_PERMISSIONS)},
        )
        assert r.status_code == 201, r.text
        key = attrs.evolve(owner, headers={"x-api-key": r.json()["secret"]})
        actors = {
            OWNER: owner,
            SECOND: second,
            MEMBER: member,
            EDITOR: editor,
            PARTNER: partner,
            ADMIN: admin,
            KEY: key,
            ANONYMOUS: anonymous,
            **await link_actors(client, owner),
        }
        yield World(client, pool, admin_headers, actors)


# --- the matrix ------------------------------------------------------------------------------


def test_every_operation_is_classified() -> None:
    """A route with an id input and no probes: classify it in tests/api/access_rules.py."""
    missing = [
        f"{op.method} {op.path} ({op.operation_id}: ids {id_inputs(op)})"
        for op in OPERATIONS
        if not probes(op)
    ]
    assert not missing, (
        "these operations take an id but have no access rule; add probes for them to RULES in "
        "tests/api/access_rules.py (who may call them with another user's id, and Immich's "
        f"answer to the others): {missing}"
    )
    served = {op.operation_id for op in OPERATIONS}
    stale = sorted((set(RULES) | set(ANONYMOUS_ONLY)) - served)
    assert not stale, f"rules for operations the app does not serve: {stale}"


async def test_matrix_covers_what_the_app_serves(app: Any) -> None:
    assert {(o.method, o.path) for o in collect_operations(app.state.ctx.pm)} == {
        (o.method, o.path) for o in OPERATIONS
    }


def _url(op: Operation, req: Request) -> str:
    path = op.path
    for name, value in req.path.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, f"{op.operation_id}: no value for a path parameter of {path}"
    return "/api" + path


async def _call(world: World, op: Operation, req: Request, actor: str) -> httpx.Response:
    world.cells[0] += 1
    if req.files is not None:
        return await world.client.request(
            op.method,
            _url(op, req),
            headers=world.actors[actor].headers,
            data=req.form,
            files=req.files,
        )
    return await world.client.request(
        op.method,
        _url(op, req),
        headers=world.actors[actor].headers,
        params=req.query or None,
        json=req.json,
        follow_redirects=False,
    )


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
async def test_access(world: World, op: Operation) -> None:
    failures = []
    for index, probe in enumerate(probes(op)):
        owner = await world.fresh(probe.fresh) if probe.fresh else world.actors[OWNER]
        for actor in ACTORS:
            if probe.anonymous_only and actor not in (ANONYMOUS, KEY):  # both refused
                continue
            # a stranger names the owner's things
            caller = (
                owner if actor in (OWNER, KEY, ANONYMOUS, *LINK_ACTORS) else world.actors[actor]
            )
            req = probe.build(owner, caller)
            want = expected(op, probe, actor)
            r = await _call(world, op, req, actor)
            if (why := want.check(r, owner)) is not None:
                failures.append(f"probe {index} {actor}: expected {want.text}, {why}")
    assert not failures, f"{op.method} {op.path}:\n" + "\n".join(failures)


def test_id_inputs_are_found() -> None:
    by_id = {op.operation_id: op for op in OPERATIONS}
    assert id_inputs(by_id["getAssetInfo"]) == ["id"]
    assert id_inputs(by_id["addAssetsToAlbums"]) == ["albumIds", "assetIds"]
    assert "assetId" in id_inputs(by_id["updateBulkAssetMetadata"])  # nested in items
    assert set(id_inputs(by_id["getTimeBuckets"])) >= {"albumId", "userId"}
    assert id_inputs(by_id["getMyUser"]) == []
    assert "variantIndex" not in id_inputs(by_id["getSegment"])


def test_a_new_route_with_an_id_must_be_classified() -> None:
    router = Router()

    @router.route("DELETE", "/widgets/{id}", operation_id="deleteWidget", tag="Widgets")
    async def delete_widget(call: Call) -> None:
        """Delete a widget"""

    (new,) = router.operations
    assert probes(new) == []
    assert id_inputs(new) == ["id"]


def test_routes_without_ids_are_classified_by_their_route() -> None:
    by_id = {op.operation_id: op for op in OPERATIONS}
    assert probes(by_id["getQueues"])[0].grants == {ADMIN}
    assert probes(by_id["getMyUser"])[0].grants == {OWNER}
    assert probes(by_id["getMyUser"])[0].denied.text.startswith("reached, without")
    assert expected(by_id["getQueues"], probes(by_id["getQueues"])[0], OWNER) is FORBIDDEN
    assert expected(by_id["pingServer"], probes(by_id["pingServer"])[0], ANONYMOUS).text.startswith(
        "reached"
    )


def test_cells_checked(world: World) -> None:
    """Runs after the matrix (pytest keeps definition order): how many cells it checked."""
    print(f"access matrix: {world.cells[0]} cells over {len(OPERATIONS)} operations")
    assert world.cells[0] >= 3 * len(OPERATIONS)
