"""DTOs of /api/server (names, fields and required lists as Immich 3.1's)."""

from __future__ import annotations

import datetime as dt

import attrs

from immich.api.dto import UNSET, field


@attrs.frozen
class ServerPingResponse:
    res: str = field(description="Pong")


@attrs.frozen
class ServerVersionResponseDto:
    major: int = field(description="Major version number", minimum=0)
    minor: int = field(description="Minor version number", minimum=0)
    patch: int = field(description="Patch version number", minimum=0)
    prerelease: int | None = field(description="Pre-release version number", minimum=0)


@attrs.frozen
class ServerVersionHistoryResponseDto:
    createdAt: dt.datetime = field(description="When this version was first seen")
    id: str = field(description="Version history entry ID", format="uuid")
    version: str = field(description="Version string")


@attrs.frozen
class VersionCheckStateResponseDto:
    checkedAt: str | None = field(description="Last check timestamp")
    releaseVersion: str | None = field(description="Release version")


@attrs.frozen
class ServerFeaturesDto:
    configFile: bool = field(description="Whether config file is available")
    duplicateDetection: bool = field(description="Whether duplicate detection is enabled")
    email: bool = field(description="Whether email notifications are enabled")
    facialRecognition: bool = field(description="Whether facial recognition is enabled")
    importFaces: bool = field(description="Whether face import is enabled")
    map: bool = field(description="Whether map feature is enabled")
    oauth: bool = field(description="Whether OAuth is enabled")
    oauthAutoLaunch: bool = field(description="Whether OAuth auto-launch is enabled")
    ocr: bool = field(description="Whether OCR is enabled")
    passwordLogin: bool = field(description="Whether password login is enabled")
    realtimeTranscoding: bool = field(description="Whether real-time transcoding is enabled")
    reverseGeocoding: bool = field(description="Whether reverse geocoding is enabled")
    search: bool = field(description="Whether search is enabled")
    sidecar: bool = field(description="Whether sidecar files are supported")
    smartSearch: bool = field(description="Whether smart search is enabled")
    trash: bool = field(description="Whether trash feature is enabled")


@attrs.frozen
class ServerConfigDto:
    externalDomain: str = field(description="External domain URL")
    isInitialized: bool = field(description="Whether the server has been initialized")
    isOnboarded: bool = field(description="Whether the admin has completed onboarding")
    loginPageMessage: str = field(description="Login page message")
    maintenanceMode: bool = field(description="Whether maintenance mode is active")
    mapDarkStyleUrl: str = field(description="Map dark style URL")
    mapLightStyleUrl: str = field(description="Map light style URL")
    minFaces: int = field(description="People min faces server default")
    oauthButtonText: str = field(description="OAuth button text")
    publicUsers: bool = field(description="Whether public user registration is enabled")
    trashDays: int = field(
        description="Number of days before trashed assets are permanently deleted"
    )
    userDeleteDelay: int = field(
        description="Delay in days before deleted users are permanently removed"
    )


@attrs.frozen
class ServerAboutResponseDto:
    licensed: bool = field(description="Whether the server is licensed")
    version: str = field(description="Server version")
    versionUrl: str = field(description="URL to version information")
    build: str = field(default=UNSET, description="Build identifier")
    buildImage: str = field(default=UNSET, description="Build image name")
    buildImageUrl: str = field(default=UNSET, description="Build image URL")
    buildUrl: str = field(default=UNSET, description="Build URL")
    exiftool: str = field(default=UNSET, description="ExifTool version")
    ffmpeg: str = field(default=UNSET, description="FFmpeg version")
    imagemagick: str = field(default=UNSET, description="ImageMagick version")
    libvips: str = field(default=UNSET, description="libvips version")
    nodejs: str = field(default=UNSET, description="Node.js version")
    repository: str = field(default=UNSET, description="Repository name")
    repositoryUrl: str = field(default=UNSET, description="Repository URL")
    sourceCommit: str = field(default=UNSET, description="Source commit hash")
    sourceRef: str = field(default=UNSET, description="Source reference (branch/tag)")
    sourceUrl: str = field(default=UNSET, description="Source URL")
    thirdPartyBugFeatureUrl: str = field(default=UNSET, description="Third-party bug/feature URL")
    thirdPartyDocumentationUrl: str = field(
        default=UNSET, description="Third-party documentation URL"
    )
    thirdPartySourceUrl: str = field(default=UNSET, description="Third-party source URL")
    thirdPartySupportUrl: str = field(default=UNSET, description="Third-party support URL")


@attrs.frozen
class ServerMediaTypesResponseDto:
    image: list[str] = field(description="Supported image MIME types")
    sidecar: list[str] = field(description="Supported sidecar MIME types")
    video: list[str] = field(description="Supported video MIME types")


@attrs.frozen
class UsageByUserDto:
    photos: int = field(description="Number of photos")
    quotaSizeInBytes: int | None = field(description="User quota size in bytes (null if unlimited)")
    usage: int = field(description="Total storage usage in bytes")
    usagePhotos: int = field(description="Storage usage for photos in bytes")
    usageVideos: int = field(description="Storage usage for videos in bytes")
    userId: str = field(description="User ID", format="uuid")
    userName: str = field(description="User name")
    videos: int = field(description="Number of videos")


@attrs.frozen
class ServerStatsResponseDto:
    photos: int = field(description="Total number of photos")
    usage: int = field(description="Total storage usage in bytes")
    usageByUser: list[UsageByUserDto] = field(description="Array of usage for each user")
    usagePhotos: int = field(description="Storage usage for photos in bytes")
    usageVideos: int = field(description="Storage usage for videos in bytes")
    videos: int = field(description="Total number of videos")


@attrs.frozen
class ServerStorageResponseDto:
    diskAvailable: str = field(description="Available disk space (human-readable format)")
    diskAvailableRaw: int = field(description="Available disk space in bytes")
    diskSize: str = field(description="Total disk size (human-readable format)")
    diskSizeRaw: int = field(description="Total disk size in bytes")
    diskUsagePercentage: float = field(description="Disk usage percentage (0-100)")
    diskUse: str = field(description="Used disk space (human-readable format)")
    diskUseRaw: int = field(description="Used disk space in bytes")


@attrs.frozen
class ServerApkLinksDto:
    arm64v8a: str = field(description="APK download link for ARM64 v8a architecture")
    armeabiv7a: str = field(description="APK download link for ARM EABI v7a architecture")
    universal: str = field(description="APK download link for universal architecture")
    x86_64: str = field(description="APK download link for x86_64 architecture")
