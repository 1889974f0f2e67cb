"""/api/server: ping, version, features, config, about, media types, statistics, storage, license."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from immich import IMMICH_API_VERSION
from immich.api import server_dtos as d
from immich.api.errors import BadRequest, NotFound
from immich.api.routing import Call, Router
from immich.api.user_dtos import LicenseKeyDto, LicenseResponseDto, to_license
from immich.context import AppContext
from immich.db import locks
from immich.db.repos import assets, system_metadata, users
from immich.plugins import flatten
from immich.services import license as license_service
from immich.services import server_info
from immich.services import system_metadata as system_metadata_service
from immich.storage.mime import IMAGE_EXTENSIONS, SIDECAR_EXTENSIONS, VIDEO_EXTENSIONS

router = Router()
TAG = "Server"
RELEASES = "https://github.com/immich-app/immich/releases"
LICENSE_KEY = "license"
VERSION_CHECK_KEY = "version-check-state"
VERSION_HISTORY_KEY = "version-history"


def version_numbers(version: str = IMMICH_API_VERSION) -> tuple[int, int, int, int | None]:
    """(major, minor, patch, prerelease) of a semver string such as ``3.1.0`` or ``3.1.0-rc.2``."""
    core, _, pre = version.lstrip("v").partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    digits = "".join(ch for ch in pre if ch.isdigit())
    return major, minor, patch, (int(digits) if digits else None)


def _to_fixed(value: float, digits: int) -> str:
    """JavaScript's ``Number.toFixed``: exact value, ties rounded up (5.25 -> "5.3")."""
    step = Decimal(1).scaleb(-digits)
    return str(Decimal(value).quantize(step, rounding=ROUND_HALF_UP))


def as_human_readable(size: float, precision: int = 1) -> str:
    """Immich's byte formatting: ``1.5 GiB``; bytes without decimals."""
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    magnitude = 0
    while size >= 1024 and magnitude + 1 < len(units):
        magnitude += 1
        size /= 1024
    digits = 0 if magnitude == 0 else precision
    if magnitude + 1 < len(units) and float(_to_fixed(size, digits)) >= 1024:
        magnitude += 1  # 1023.96 KiB would print as "1024.0 KiB": say 1.0 MiB instead
        size /= 1024
        digits = precision
    return f"{_to_fixed(size, digits)} {units[magnitude]}"


def _conf(config: dict[str, Any], path: str, default: Any) -> Any:
    """``config["a"]["b"]`` for path ``a.b``, or ``default`` where a part is missing."""
    node: Any = config
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def _capabilities(ctx: AppContext) -> tuple[frozenset[str], frozenset[str]]:
    """(operation ids served, queues some plugin handles): what this server can actually do."""
    found = ctx.state.get("server.capabilities")
    if found is None:
        from immich.api import collect_operations

        op_ids = frozenset(op.operation_id for op in collect_operations(ctx.pm))
        queues = frozenset(job.queue for job in flatten(ctx.hook.register_jobs()))
        found = ctx.state["server.capabilities"] = (op_ids, queues)
    return found


def features(ctx: AppContext) -> d.ServerFeaturesDto:
    """Immich's flags: on where the config enables a feature AND this server implements it."""
    c = ctx.config.get()
    ops, queues = _capabilities(ctx)
    ml = bool(_conf(c, "machineLearning.enabled", True))

    def ml_task(name: str, queue: str, op: str | None = None) -> bool:
        enabled = ml and bool(_conf(c, f"machineLearning.{name}.enabled", True))
        return enabled and queue in queues and (op is None or op in ops)

    oauth = bool(_conf(c, "oauth.enabled", False)) and "startOAuth" in ops
    return d.ServerFeaturesDto(
        configFile=ctx.settings.config_file is not None,
        duplicateDetection=ml_task("duplicateDetection", "duplicateDetection"),
        email=bool(_conf(c, "notifications.smtp.enabled", False)) and "notifications" in queues,
        facialRecognition=ml_task("facialRecognition", "facialRecognition"),
        importFaces=bool(_conf(c, "metadata.faces.import", False))
        and "metadataExtraction" in queues,
        map=bool(_conf(c, "map.enabled", True)) and "getMapMarkers" in ops,
        oauth=oauth,
        oauthAutoLaunch=oauth and bool(_conf(c, "oauth.autoLaunch", False)),
        ocr=ml_task("ocr", "ocr"),
        passwordLogin=bool(_conf(c, "passwordLogin.enabled", True)),
        realtimeTranscoding=bool(_conf(c, "ffmpeg.realtime.enabled", False))
        and "getMainPlaylist" in ops,
        reverseGeocoding=bool(_conf(c, "reverseGeocoding.enabled", True))
        and "reverseGeocode" in ops
        and bool(ctx.hook.reverse_geocode.get_hookimpls()),  # a plugin provides a geocoder
        search="searchAssets" in ops,
        sidecar="sidecar" in queues,
        smartSearch=ml_task("clip", "smartSearch", "searchSmart"),
        trash=bool(_conf(c, "trash.enabled", True)) and "emptyTrash" in ops,
    )


@router.route(
    "GET",
    "/server/ping",
    operation_id="pingServer",
    tag=TAG,
    response=d.ServerPingResponse,
    auth=False,
)
async def ping(call: Call) -> d.ServerPingResponse:
    """Ping"""
    return d.ServerPingResponse(res="pong")


@router.route(
    "GET",
    "/server/version",
    operation_id="getServerVersion",
    tag=TAG,
    response=d.ServerVersionResponseDto,
    auth=False,
)
async def get_version(call: Call) -> d.ServerVersionResponseDto:
    """Get server version"""
    major, minor, patch, prerelease = version_numbers()
    return d.ServerVersionResponseDto(major=major, minor=minor, patch=patch, prerelease=prerelease)


@router.route(
    "GET",
    "/server/version-history",
    operation_id="getVersionHistory",
    tag=TAG,
    response=list[d.ServerVersionHistoryResponseDto],
    auth=False,
    transaction=True,
)
async def get_version_history(call: Call) -> list[d.ServerVersionHistoryResponseDto]:
    """Get version history"""
    version = IMMICH_API_VERSION
    db = call.db  # this GET's transaction (transaction=True): it may record the version
    history: list[dict[str, str]] = await system_metadata.get(db, VERSION_HISTORY_KEY) or []
    if not any(entry["version"] == version for entry in history):
        await db.execute("SELECT pg_advisory_xact_lock($1)", locks.VERSION_HISTORY)
        history = await system_metadata.get(db, VERSION_HISTORY_KEY) or []
        if not any(entry["version"] == version for entry in history):
            now = dt.datetime.now(dt.UTC).isoformat()
            history.append({"id": str(uuid.uuid4()), "createdAt": now, "version": version})
            await system_metadata.set(db, VERSION_HISTORY_KEY, history)
    entries = [
        d.ServerVersionHistoryResponseDto(
            createdAt=dt.datetime.fromisoformat(e["createdAt"]), id=e["id"], version=e["version"]
        )
        for e in history
    ]
    return sorted(entries, key=lambda e: e.createdAt, reverse=True)


@router.route(
    "GET",
    "/server/features",
    operation_id="getServerFeatures",
    tag=TAG,
    response=d.ServerFeaturesDto,
    auth=False,
)
async def get_features(call: Call) -> d.ServerFeaturesDto:
    """Get features"""
    return features(call.ctx)


@router.route(
    "GET",
    "/server/config",
    operation_id="getServerConfig",
    tag=TAG,
    response=d.ServerConfigDto,
    auth=False,
)
async def get_config(call: Call) -> d.ServerConfigDto:
    """Get config"""
    c = call.ctx.config.get()
    pool = call.db
    onboarding = await system_metadata_service.admin_onboarding(pool)
    return d.ServerConfigDto(
        externalDomain=_conf(c, "server.externalDomain", ""),
        isInitialized=await users.has_admin(pool),
        isOnboarded=bool(onboarding["isOnboarded"]),
        loginPageMessage=_conf(c, "server.loginPageMessage", ""),
        maintenanceMode=False,
        mapDarkStyleUrl=_conf(c, "map.darkStyle", "https://tiles.immich.cloud/v1/style/dark.json"),
        mapLightStyleUrl=_conf(
            c, "map.lightStyle", "https://tiles.immich.cloud/v1/style/light.json"
        ),
        minFaces=int(_conf(c, "machineLearning.facialRecognition.minFaces", 3)),
        oauthButtonText=_conf(c, "oauth.buttonText", "Login with OAuth"),
        publicUsers=bool(_conf(c, "server.publicUsers", True)),
        trashDays=int(_conf(c, "trash.days", 30)),
        userDeleteDelay=int(_conf(c, "user.deleteDelay", 7)),
    )


@router.route(
    "GET",
    "/server/about",
    operation_id="getAboutInfo",
    tag=TAG,
    response=d.ServerAboutResponseDto,
    permission="server.about",
)
async def get_about(call: Call) -> d.ServerAboutResponseDto:
    """Get server information"""
    version = f"v{IMMICH_API_VERSION}"
    licensed = await system_metadata.get(call.db, LICENSE_KEY)
    tools = await server_info.build_versions()
    # Immich's build metadata (build, repository, source*, thirdParty*) comes from IMMICH_BUILD*
    # variables set by its image build: unknown here, so absent, as in Immich when unset.
    return d.ServerAboutResponseDto(
        licensed=bool(licensed),
        version=version,
        versionUrl=f"{RELEASES}/tag/{version}",
        exiftool=tools.exiftool,
        ffmpeg=tools.ffmpeg,
        imagemagick=tools.imagemagick,
        libvips=tools.libvips,
        nodejs=tools.nodejs,
    )


@router.route(
    "GET",
    "/server/apk-links",
    operation_id="getApkLinks",
    tag=TAG,
    response=d.ServerApkLinksDto,
    permission="server.apkLinks",
)
async def get_apk_links(call: Call) -> d.ServerApkLinksDto:
    """Get APK links"""
    base = f"{RELEASES}/download/v{IMMICH_API_VERSION}"
    return d.ServerApkLinksDto(
        arm64v8a=f"{base}/app-arm64-v8a-release.apk",
        armeabiv7a=f"{base}/app-armeabi-v7a-release.apk",
        universal=f"{base}/app-release.apk",
        x86_64=f"{base}/app-x86_64-release.apk",
    )


@router.route(
    "GET",
    "/server/media-types",
    operation_id="getSupportedMediaTypes",
    tag=TAG,
    response=d.ServerMediaTypesResponseDto,
    auth=False,
)
async def get_media_types(call: Call) -> d.ServerMediaTypesResponseDto:
    """Get supported media types"""
    return d.ServerMediaTypesResponseDto(
        image=list(IMAGE_EXTENSIONS), sidecar=list(SIDECAR_EXTENSIONS), video=list(VIDEO_EXTENSIONS)
    )


@router.route(
    "GET",
    "/server/statistics",
    operation_id="getServerStatistics",
    tag=TAG,
    response=d.ServerStatsResponseDto,
    admin=True,
    permission="server.statistics",
)
async def get_statistics(call: Call) -> d.ServerStatsResponseDto:
    """Get statistics"""
    rows = await assets.user_stats(call.db)
    per_user = [
        d.UsageByUserDto(
            photos=r["photos"],
            quotaSizeInBytes=r["quotaSizeInBytes"],
            usage=int(r["usage"]),
            usagePhotos=int(r["usagePhotos"]),
            usageVideos=int(r["usageVideos"]),
            userId=str(r["userId"]),
            userName=r["userName"],
            videos=r["videos"],
        )
        for r in rows
    ]
    return d.ServerStatsResponseDto(
        photos=sum(u.photos for u in per_user),
        usage=sum(u.usage for u in per_user),
        usageByUser=per_user,
        usagePhotos=sum(u.usagePhotos for u in per_user),
        usageVideos=sum(u.usageVideos for u in per_user),
        videos=sum(u.videos for u in per_user),
    )


def disk_usage(folder: Path) -> tuple[int, int, int]:
    """(total, free, available to unprivileged users) bytes of the disk holding ``folder``."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    st = os.statvfs(folder)
    return st.f_blocks * st.f_frsize, st.f_bfree * st.f_frsize, st.f_bavail * st.f_frsize


@router.route(
    "GET",
    "/server/storage",
    operation_id="getStorage",
    tag=TAG,
    response=d.ServerStorageResponseDto,
    permission="server.storage",
)
async def get_storage(call: Call) -> d.ServerStorageResponseDto:
    """Get storage"""
    library = call.ctx.settings.media_location / "library"
    total, free, available = await asyncio.to_thread(disk_usage, library)
    used = total - free
    return d.ServerStorageResponseDto(
        diskAvailable=as_human_readable(available),
        diskAvailableRaw=available,
        diskSize=as_human_readable(total),
        diskSizeRaw=total,
        diskUsagePercentage=round(used / total * 100, 2) if total else 0.0,
        diskUse=as_human_readable(used),
        diskUseRaw=used,
    )


@router.route(
    "GET",
    "/server/license",
    operation_id="getServerLicense",
    tag=TAG,
    response=LicenseResponseDto,
    admin=True,
    permission="serverLicense.read",
)
async def get_license(call: Call) -> LicenseResponseDto:
    """Get product key"""
    found = await system_metadata.get(call.db, LICENSE_KEY)
    if not found:
        raise NotFound("Not Found")
    return to_license(found)


@router.route(
    "PUT",
    "/server/license",
    operation_id="setServerLicense",
    tag=TAG,
    response=LicenseResponseDto,
    admin=True,
    permission="serverLicense.update",
)
async def set_license(call: Call[LicenseKeyDto]) -> LicenseResponseDto:
    """Set server product key"""
    dto = call.body
    if not license_service.is_valid_server_license(dto.licenseKey, dto.activationKey):
        raise BadRequest("Invalid license key")
    value = license_service.activation(dto.licenseKey, dto.activationKey)
    await system_metadata.set(call.db, LICENSE_KEY, value)
    return to_license(value)


@router.route(
    "DELETE",
    "/server/license",
    operation_id="deleteServerLicense",
    tag=TAG,
    status=204,
    admin=True,
    permission="serverLicense.delete",
)
async def delete_license(call: Call) -> None:
    """Delete server product key"""
    await system_metadata.delete(call.db, LICENSE_KEY)


@router.route(
    "GET",
    "/server/version-check",
    operation_id="getVersionCheck",
    tag=TAG,
    response=d.VersionCheckStateResponseDto,
    permission="server.versionCheck",
)
async def get_version_check(call: Call) -> d.VersionCheckStateResponseDto:
    """Get version check status"""
    state = await system_metadata.get(call.db, VERSION_CHECK_KEY) or {}
    return d.VersionCheckStateResponseDto(
        checkedAt=state.get("checkedAt"), releaseVersion=state.get("releaseVersion")
    )
