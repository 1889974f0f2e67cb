"""Job names: one vocabulary for the core, the plugins and the queue.

``JobName`` holds Immich 3.1's job names (its ``JobName`` enum, same spelling, so queue
listings read as Immich's) and ours beyond Immich. Jobs are enqueued and registered by these
members, never by string literals: a misspelt name is an ``AttributeError`` at import, not a
job that no worker ever runs. A third-party plugin may still register a name of its own (any
string); ``JobName`` members are strings, so both mix freely in the registry.
"""

from __future__ import annotations

import enum


class JobName(enum.StrEnum):
    # Immich 3.1 (server/src/enum.ts JobName), in its order
    AssetDelete = "AssetDelete"
    AssetDeleteCheck = "AssetDeleteCheck"
    AssetDetectFacesQueueAll = "AssetDetectFacesQueueAll"
    AssetDetectFaces = "AssetDetectFaces"
    AssetDetectDuplicatesQueueAll = "AssetDetectDuplicatesQueueAll"
    AssetDetectDuplicates = "AssetDetectDuplicates"
    AssetEditThumbnailGeneration = "AssetEditThumbnailGeneration"
    AssetEncodeVideoQueueAll = "AssetEncodeVideoQueueAll"
    AssetEncodeVideo = "AssetEncodeVideo"
    AssetEmptyTrash = "AssetEmptyTrash"
    AssetExtractMetadataQueueAll = "AssetExtractMetadataQueueAll"
    AssetExtractMetadata = "AssetExtractMetadata"
    AssetFileMigration = "AssetFileMigration"
    AssetGenerateThumbnailsQueueAll = "AssetGenerateThumbnailsQueueAll"
    AssetGenerateThumbnails = "AssetGenerateThumbnails"
    AuditTableCleanup = "AuditTableCleanup"
    DatabaseBackup = "DatabaseBackup"
    FacialRecognitionQueueAll = "FacialRecognitionQueueAll"
    FacialRecognition = "FacialRecognition"
    FileDelete = "FileDelete"
    FileMigrationQueueAll = "FileMigrationQueueAll"
    LibraryDeleteCheck = "LibraryDeleteCheck"
    LibraryDelete = "LibraryDelete"
    LibraryRemoveAsset = "LibraryRemoveAsset"
    LibraryScanAssetsQueueAll = "LibraryScanAssetsQueueAll"
    LibrarySyncAssets = "LibrarySyncAssets"
    LibrarySyncFilesQueueAll = "LibrarySyncFilesQueueAll"
    LibrarySyncFiles = "LibrarySyncFiles"
    LibraryScanQueueAll = "LibraryScanQueueAll"
    HlsSessionCleanup = "HlsSessionCleanup"
    MemoryCleanup = "MemoryCleanup"
    MemoryGenerate = "MemoryGenerate"
    NotificationsCleanup = "NotificationsCleanup"
    NotifyUserSignup = "NotifyUserSignup"
    NotifyAlbumInvite = "NotifyAlbumInvite"
    NotifyAlbumUpdate = "NotifyAlbumUpdate"
    UserDelete = "UserDelete"
    UserDeleteCheck = "UserDeleteCheck"
    UserSyncUsage = "UserSyncUsage"
    PersonCleanup = "PersonCleanup"
    PersonFileMigration = "PersonFileMigration"
    PersonGenerateThumbnail = "PersonGenerateThumbnail"
    SessionCleanup = "SessionCleanup"
    SendMail = "SendMail"
    SidecarQueueAll = "SidecarQueueAll"
    SidecarCheck = "SidecarCheck"
    SidecarWrite = "SidecarWrite"
    SmartSearchQueueAll = "SmartSearchQueueAll"
    SmartSearch = "SmartSearch"
    StorageTemplateMigration = "StorageTemplateMigration"
    StorageTemplateMigrationSingle = "StorageTemplateMigrationSingle"
    TagCleanup = "TagCleanup"
    VersionCheck = "VersionCheck"
    OcrQueueAll = "OcrQueueAll"
    Ocr = "Ocr"
    WorkflowAssetTrigger = "WorkflowAssetTrigger"
    IntegrityUntrackedFilesQueueAll = "IntegrityUntrackedFilesQueueAll"
    IntegrityUntrackedFiles = "IntegrityUntrackedFiles"
    IntegrityUntrackedRefresh = "IntegrityUntrackedRefresh"
    IntegrityMissingFilesQueueAll = "IntegrityMissingFilesQueueAll"
    IntegrityMissingFiles = "IntegrityMissingFiles"
    IntegrityMissingFilesRefresh = "IntegrityMissingFilesRefresh"
    IntegrityChecksumFiles = "IntegrityChecksumFiles"
    IntegrityChecksumFilesRefresh = "IntegrityChecksumFilesRefresh"
    IntegrityDeleteReportType = "IntegrityDeleteReportType"
    IntegrityDeleteReports = "IntegrityDeleteReports"

    # ours, beyond Immich
    UploadCleanup = "UploadCleanup"
    """Remove what crashed uploads left under ``upload/`` (the nightly plugin)."""


IMMICH_JOB_NAMES: frozenset[str] = frozenset(JobName) - {JobName.UploadCleanup}
"""The names Immich 3.1 itself knows (its API's ``JobName`` enum)."""
