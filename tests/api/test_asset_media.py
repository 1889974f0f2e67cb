"""GET /api/assets/{id}/thumbnail through the real app: sizes, ETag/304, redirects, access."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.context import AppContext
from immich.db.repos import asset_files
from plugins.thumbnails._jobs import generate_thumbnails
from tests.api.user_helpers import UNKNOWN_ID, api_key, user_and_login
from tests.plugins_chain import add_asset, file_facts, shared_assets

CACHE_CONTROL = "private, max-age=86400, no-transform"


def ctx_of(app: Any) -> AppContext:
    return app.state.ctx  # type: ignore[no-any-return]


async def me(client: httpx.AsyncClient, headers: dict[str, str]) -> uuid.UUID:
    return uuid.UUID((await client.get("/api/users/me", headers=headers)).json()["id"])


async def photo(
    app: Any, client: httpx.AsyncClient, headers: dict[str, str], name: str, **kw: Any
) -> uuid.UUID:
    """An asset of the caller made from a shared test file (no thumbnails yet)."""
    ctx = ctx_of(app)
    owner = await me(client, headers)
    return await add_asset(
        ctx.db.pool, ctx.settings.media_location, owner, shared_assets() / name, **kw
    )


async def thumbnails(app: Any, asset_id: uuid.UUID) -> None:
    result = await generate_thumbnails(ctx_of(app), {"id": str(asset_id)})
    assert result.status == "success"


async def test_not_generated_yet_is_404(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await photo(app, client, admin_headers, "albums/nature/silver_fir.jpg")
    r = await client.get(f"/api/assets/{asset_id}/thumbnail", headers=admin_headers)
    assert r.status_code == 404
    assert r.json() == {"message": "Asset media not found"}


async def test_sizes_headers_and_bytes(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await photo(app, client, admin_headers, "albums/nature/silver_fir.jpg")
    await thumbnails(app, asset_id)
    paths = {
        r["type"]: r["path"]
        for r in await ctx_of(app).db.pool.fetch(
            'SELECT * FROM "asset_file" WHERE "assetId" = $1', asset_id
        )
    }
    for size, media_type, query in (
        ("thumbnail", "image/webp", ""),
        ("thumbnail", "image/webp", "?size=thumbnail"),
        ("preview", "image/jpeg", "?size=preview"),
    ):
        r = await client.get(f"/api/assets/{asset_id}/thumbnail{query}", headers=admin_headers)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == media_type
        assert r.headers["cache-control"] == CACHE_CONTROL
        assert r.headers["etag"].startswith('"')
        ext = media_type.split("/")[1]
        assert r.headers["content-disposition"] == (
            f"inline; filename*=UTF-8''silver_fir_{size}.{ext}"
        )
        assert r.content == Path(paths[size]).read_bytes()  # noqa: ASYNC240 - a test read


async def test_etag_and_not_modified(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await photo(app, client, admin_headers, "albums/nature/tanners_ridge.jpg")
    await thumbnails(app, asset_id)
    url = f"/api/assets/{asset_id}/thumbnail?size=preview"
    first = await client.get(url, headers=admin_headers)
    tag = first.headers["etag"]
    for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        r = await client.get(url, headers={**admin_headers, "If-None-Match": sent})
        assert r.status_code == 304, sent
        assert r.content == b"" and r.headers["etag"] == tag
        assert r.headers["cache-control"] == CACHE_CONTROL
    r = await client.get(url, headers={**admin_headers, "If-None-Match": '"stale"'})
    assert r.status_code == 200 and r.content == first.content
    # another size is another file: another tag
    other = await client.get(f"/api/assets/{asset_id}/thumbnail", headers=admin_headers)
    assert other.headers["etag"] != tag
    # regenerated: the cached copy is stale
    await thumbnails(app, asset_id)
    r = await client.get(url, headers={**admin_headers, "If-None-Match": tag})
    assert r.status_code == 200 and r.headers["etag"] != tag


async def test_fullsize_and_original_redirect_as_immich(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    jpeg = await photo(app, client, admin_headers, "albums/nature/prairie_falcon.jpg")
    heic = await photo(app, client, admin_headers, "formats/heic/IMG_2682.heic")
    await thumbnails(app, heic)
    # a browser-friendly original is its own fullsize: the original endpoint
    r = await client.get(f"/api/assets/{jpeg}/thumbnail?size=fullsize", headers=admin_headers)
    assert (r.status_code, r.headers["location"]) == (302, "original?")
    r = await client.get(
        f"/api/assets/{jpeg}/thumbnail?size=original&edited=false", headers=admin_headers
    )
    assert (r.status_code, r.headers["location"]) == (302, "original?edited=false")
    # no fullsize copy made (image.fullsize.enabled is off): the preview
    r = await client.get(f"/api/assets/{heic}/thumbnail?size=fullsize", headers=admin_headers)
    assert r.status_code == 302
    assert r.headers["location"] == f"/api/assets/{heic}/thumbnail?size=preview"
    r = await client.get(r.headers["location"], headers=admin_headers)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    # no edited version exists: the unedited preview (as Immich: edited is a preference)
    r = await client.get(
        f"/api/assets/{heic}/thumbnail?size=preview&edited=true", headers=admin_headers
    )
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"


async def test_access(app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    mine = await photo(app, client, admin_headers, "albums/nature/wood_anemones.jpg")
    await thumbnails(app, mine)
    other, other_headers = await user_and_login(client, admin_headers)
    url = f"/api/assets/{mine}/thumbnail"
    r = await client.get(url, headers=other_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Not found or no asset.view access"}
    r = await client.get(f"/api/assets/{UNKNOWN_ID}/thumbnail", headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no asset.view access"
    # a member of an album holding it may view it
    pool = ctx_of(app).db.pool
    owner = await me(client, admin_headers)
    album = await pool.fetchval(
        'INSERT INTO "album" ("ownerId", "albumName") VALUES ($1, \'shared\') RETURNING "id"',
        owner,
    )
    await pool.execute(
        'INSERT INTO "album_asset" ("albumId", "assetId") VALUES ($1, $2)', album, mine
    )
    await pool.execute(
        'INSERT INTO "album_user" ("albumId", "userId") VALUES ($1, $2)', album, other["id"]
    )
    r = await client.get(url, headers=other_headers)
    assert r.status_code == 200 and r.headers["content-type"] == "image/webp"
    # locked assets need the owner's PIN session, even for the owner
    await pool.execute('UPDATE "asset" SET "visibility" = \'locked\' WHERE "id" = $1', mine)
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 400
    r = await client.get(url, headers=other_headers)
    assert r.status_code == 400


async def test_bad_input_and_auth(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await photo(app, client, admin_headers, "albums/nature/notocactus_minimus.jpg")
    r = await client.get(f"/api/assets/{asset_id}/thumbnail")
    assert r.status_code == 401 and r.json() == {"message": "Authentication required"}
    r = await client.get("/api/assets/not-a-uuid/thumbnail", headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {
        "message": "Validation failed",
        "errors": [{"path": ["id"], "message": "Invalid UUID"}],
    }
    r = await client.get(f"/api/assets/{asset_id}/thumbnail?size=huge", headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["size"]
    key = await api_key(client, admin_headers, "asset.read")
    r = await client.get(f"/api/assets/{asset_id}/thumbnail", headers=key)
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: asset.view"}


@pytest.mark.parametrize("missing", ["row", "file"])
async def test_generated_file_gone(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], missing: str
) -> None:
    asset_id = await photo(app, client, admin_headers, "albums/nature/cyclamen_persicum.jpg")
    await thumbnails(app, asset_id)
    pool = ctx_of(app).db.pool
    if missing == "row":
        await pool.execute('DELETE FROM "asset_file" WHERE "assetId" = $1', asset_id)
    else:
        path = await pool.fetchval(
            'SELECT "path" FROM "asset_file" WHERE "assetId" = $1 AND "type" = \'thumbnail\'',
            asset_id,
        )
        size, _, _ = file_facts(path)
        assert size > 0
        Path(path).unlink()  # noqa: ASYNC240 - a test's set-up
    r = await client.get(f"/api/assets/{asset_id}/thumbnail", headers=admin_headers)
    assert r.status_code == 404 and r.json() == {"message": "Asset media not found"}


SIZES = (("thumbnail", ".webp"), ("preview", ".jpeg"), ("fullsize", ".jpeg"))


async def renditions(
    app: Any, asset_id: uuid.UUID, folder: Path, *, unedited: bool, edited: bool
) -> None:
    """Rows and files for each size: content ``<size>-unedited`` / ``<size>-edited``."""
    pool = ctx_of(app).db.pool
    for size, ext in SIZES:
        for is_edited, wanted in ((False, unedited), (True, edited)):
            if not wanted:
                continue
            path = folder / f"{asset_id}_{size}_{'edited' if is_edited else 'unedited'}{ext}"
            path.write_bytes(f"{size}-{'edited' if is_edited else 'unedited'}".encode())
            await asset_files.upsert(pool, asset_id, size, str(path), is_edited=is_edited)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unedited", "edited"), [(True, False), (True, True), (False, True)], ids=str
)
async def test_edited_prefers_the_edit_and_falls_back(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    tmp_path: Path,
    unedited: bool,
    edited: bool,
) -> None:
    """edited=true: the edited file when there is one, else the unedited one (the web app always
    asks with edited=true); edited=false: never an edited file, for every size."""
    # HEIC: not shown by browsers, so fullsize is a file of its own, never the original
    asset_id = await photo(app, client, admin_headers, "formats/heic/IMG_2682.heic")
    await renditions(app, asset_id, tmp_path, unedited=unedited, edited=edited)
    base = f"/api/assets/{asset_id}/thumbnail"
    for size, _ in SIZES:
        r = await client.get(f"{base}?size={size}&edited=true", headers=admin_headers)
        assert r.status_code == 200, (size, r.text)
        assert r.content == f"{size}-{'edited' if edited else 'unedited'}".encode()
        r = await client.get(f"{base}?size={size}&edited=false", headers=admin_headers)
        if unedited:
            assert r.status_code == 200
            assert r.content == f"{size}-unedited".encode()
        elif size == "fullsize":  # no unedited fullsize: the (unedited) preview, as Immich
            assert r.status_code == 302
            assert r.headers["location"] == f"{base}?size=preview&edited=false"
        else:
            assert r.status_code == 404
            assert r.json() == {"message": "Asset media not found"}
    if unedited and edited:  # the two files have their own ETags
        r1 = await client.get(f"{base}?edited=true", headers=admin_headers)
        r2 = await client.get(f"{base}?edited=false", headers=admin_headers)
        assert r1.headers["etag"] != r2.headers["etag"]
