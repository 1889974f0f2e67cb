"""/api/users/profile-image and /api/users/{id}/profile-image: users' profile pictures.

The image is served with its MIME type, ``Cache-Control: private, no-cache, no-transform`` (a
client may keep it but asks again each time; Immich's web app adds ``profileChangedAt`` to
the URL), an ETag and Last-Modified; a matching ``If-None-Match`` answers 304 without a body.
"""

from __future__ import annotations

from starlette.responses import FileResponse, Response

from immich.api.profile_image_dtos import (
    CreateProfileImageDto,
    CreateProfileImageResponseDto,
    to_created,
)
from immich.api.routing import Call, Multipart, Router
from immich.services import profile_images as profile_service

router = Router()
TAG = "Users"
CACHE_CONTROL = "private, no-cache, no-transform"


@router.route(
    "POST",
    "/users/profile-image",
    operation_id="createProfileImage",
    tag=TAG,
    response=CreateProfileImageResponseDto,
    status=201,
    permission="userProfileImage.update",
    transaction=False,  # streams the upload; one short transaction after it
)
async def create_profile_image(
    call: Call[Multipart[CreateProfileImageDto]],
) -> CreateProfileImageResponseDto:
    """Create user profile image"""
    request = call.request
    path = await profile_service.receive(
        call.ctx.settings.media_location,
        str(call.user["id"]),
        request.stream(),
        request.headers.get("content-type"),
    )
    try:
        async with call.ctx.db.transaction() as db:
            row = await profile_service.set_image(db, call.ctx.queues, str(call.user["id"]), path)
    except BaseException:
        await profile_service.discard(path)
        raise
    return to_created(row)


@router.route(
    "DELETE",
    "/users/profile-image",
    operation_id="deleteProfileImage",
    tag=TAG,
    status=204,
    permission="userProfileImage.delete",
)
async def delete_profile_image(call: Call) -> None:
    """Delete user profile image"""
    await profile_service.delete(call.db, call.ctx.queues, call.user["id"])


@router.route(
    "GET",
    "/users/{id}/profile-image",
    operation_id="getProfileImage",
    tag=TAG,
    response=bytes,
    content_type="application/octet-stream",
    permission="userProfileImage.read",
)
async def get_profile_image(call: Call) -> Response:
    """Retrieve user profile image"""
    path, media_type, user = await profile_service.image_of(call.db, call.path["id"])
    stamp = int(user["profileChangedAt"].timestamp() * 1_000_000)
    etag = f'"{user["id"].hex}-{stamp:x}"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    wanted = call.request.headers.get("if-none-match")
    if wanted and etag in {t.strip().removeprefix("W/") for t in wanted.split(",")}:
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers)
