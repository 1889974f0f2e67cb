"""Profile images (Immich's UserService createProfileImage / deleteProfileImage / getProfileImage).

An upload (multipart field ``file``: AVIF, DNG, HEIC/HEIF, JPEG, PNG or WebP, as Immich
accepts) streams to a temporary name in ``profile/<userId>/`` and is renamed to
``<uuid>.<ext>`` (``receive``, no transaction while bytes flow) before the user row points at it
(``set_image``, in the caller's short transaction); ``profileChangedAt`` moves, and the previous
image is removed by a ``FileDelete`` job once the row no longer uses it (after the commit). A
refused or broken upload leaves no file (the caller removes the received file when
``set_image``'s transaction fails).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import users as users_repo
from immich.errors import BadRequest, NotFound
from immich.jobs.queues import JobQueues
from immich.services import assets as asset_service
from immich.storage import layout, multipart
from immich.storage.files import remove_quietly, temp_path
from immich.storage.mime import extension

FILE_FIELD = "file"
# Immich's profile extensions (server/src/utils/mime-types.ts).
PROFILE_TYPES = {
    ".avif": "image/avif",
    ".dng": "image/x-adobe-dng",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
NO_IMAGE = "User does not have a profile image"


async def receive(
    media_location: Path, user_id: str, chunks: AsyncIterator[bytes], content_type: str | None
) -> Path:
    """Stream the uploaded image to its final name (no row points at it yet)."""
    final: dict[str, Path] = {}

    async def target(name: str, filename: str, fields: Mapping[str, str]) -> Path:
        if name != FILE_FIELD:
            raise BadRequest(f"Unexpected field {name}")
        ext = extension(filename)
        if ext not in PROFILE_TYPES:
            raise BadRequest(f"Unsupported file type {filename}")
        path = layout.profile_path(media_location, user_id, str(uuid.uuid4()), ext)
        final[name] = path
        return temp_path(path)

    try:
        form = await multipart.receive(chunks, content_type, target)
    except multipart.MultipartError as err:
        raise BadRequest(str(err)) from None
    received = form.files.get(FILE_FIELD)
    if received is None:
        await asyncio.to_thread(form.discard)
        raise BadRequest("No file was uploaded")
    path = final[FILE_FIELD]
    await asyncio.to_thread(received.path.replace, path)
    return path


async def set_image(db: Conn, queues: JobQueues, user_id: str, path: Path) -> Row:
    """Point the user row at ``path`` (from ``receive``); the old image goes after commit."""
    old = await users_repo.get(db, user_id)
    row = await users_repo.update(
        db, user_id, {"profileImagePath": str(path), "profileChangedAt": dt.datetime.now(dt.UTC)}
    )
    if row is None:
        raise BadRequest("User not found")
    if old is not None and old["profileImagePath"]:
        await asset_service.remove_later(db, queues, [old["profileImagePath"]])
    return row


async def discard(path: Path) -> None:
    """Remove a received image no row points at (its transaction failed)."""
    await asyncio.to_thread(remove_quietly, path)


async def delete(db: Conn, queues: JobQueues, user_id: Any) -> None:
    user = await users_repo.get(db, user_id)
    if user is None:
        raise BadRequest("User not found")
    if not user["profileImagePath"]:
        raise BadRequest("Can't delete a missing profile Image")
    await users_repo.update(
        db, user_id, {"profileImagePath": "", "profileChangedAt": dt.datetime.now(dt.UTC)}
    )
    await asset_service.remove_later(db, queues, [user["profileImagePath"]])


async def image_of(db: Conn, user_id: str) -> tuple[Path, str, Row]:
    """(file, MIME type, user row) of a user's profile image; 400 unknown user, 404 none."""
    user = await users_repo.get(db, user_id)
    if user is None:
        raise BadRequest("User not found")
    if not user["profileImagePath"]:
        raise NotFound(NO_IMAGE)
    path = Path(user["profileImagePath"])
    if not await asyncio.to_thread(path.is_file):
        raise NotFound(NO_IMAGE)
    return path, PROFILE_TYPES.get(extension(path.name), "application/octet-stream"), user
