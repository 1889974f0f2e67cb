"""DTOs of the queue and job endpoints, named and shaped as Immich 3.1's."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from immich.api.dto import UNSET, field
from immich.jobs.backend import QueueCounts, QueuedJob


class QueueName(enum.Enum):
    """Queue name"""

    thumbnailGeneration = "thumbnailGeneration"
    metadataExtraction = "metadataExtraction"
    videoConversion = "videoConversion"
    faceDetection = "faceDetection"
    facialRecognition = "facialRecognition"
    smartSearch = "smartSearch"
    duplicateDetection = "duplicateDetection"
    backgroundTask = "backgroundTask"
    storageTemplateMigration = "storageTemplateMigration"
    migration = "migration"
    search = "search"
    sidecar = "sidecar"
    library = "library"
    notifications = "notifications"
    backupDatabase = "backupDatabase"
    ocr = "ocr"
    workflow = "workflow"
    integrityCheck = "integrityCheck"
    editor = "editor"


class QueueCommand(enum.Enum):
    """Queue command to execute"""

    start = "start"
    pause = "pause"
    resume = "resume"
    empty = "empty"
    clear_failed = "clear-failed"


class QueueJobStatus(enum.Enum):
    """Queue job status"""

    active = "active"
    failed = "failed"
    completed = "completed"
    delayed = "delayed"
    waiting = "waiting"
    paused = "paused"


class ManualJobName(enum.Enum):
    """Manual job name"""

    person_cleanup = "person-cleanup"
    tag_cleanup = "tag-cleanup"
    user_cleanup = "user-cleanup"
    memory_cleanup = "memory-cleanup"
    memory_create = "memory-create"
    backup_database = "backup-database"
    integrity_missing_files = "integrity-missing-files"
    integrity_untracked_files = "integrity-untracked-files"
    integrity_checksum_mismatch = "integrity-checksum-mismatch"
    integrity_missing_files_refresh = "integrity-missing-files-refresh"
    integrity_untracked_files_refresh = "integrity-untracked-files-refresh"
    integrity_checksum_mismatch_refresh = "integrity-checksum-mismatch-refresh"
    integrity_missing_files_delete_all = "integrity-missing-files-delete-all"
    integrity_untracked_files_delete_all = "integrity-untracked-files-delete-all"
    integrity_checksum_mismatch_delete_all = "integrity-checksum-mismatch-delete-all"


class JobName(enum.Enum):
    """Job name"""

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
    # ours, beyond Immich (immich.jobs.names): the spec marks them as additions
    UploadCleanup = "UploadCleanup"

    __additions__ = ("UploadCleanup",)

    @classmethod
    def _missing_(cls, value: object) -> JobName | None:
        # A plugin's own job name: a pseudo-member, so listings show every job (the spec
        # advertises Immich's names only).
        if not isinstance(value, str):
            return None
        member = object.__new__(cls)
        member._name_ = value
        member._value_ = value
        return member


@attrs.frozen
class QueueStatisticsDto:
    active: int = field(description="Number of active jobs")
    completed: int = field(description="Number of completed jobs")
    delayed: int = field(description="Number of delayed jobs")
    failed: int = field(description="Number of failed jobs")
    paused: int = field(description="Number of paused jobs")
    waiting: int = field(description="Number of waiting jobs")


@attrs.frozen
class QueueResponseDto:
    isPaused: bool = field(description="Whether the queue is paused")
    name: QueueName = field()
    statistics: QueueStatisticsDto = field()


@attrs.frozen
class QueueUpdateDto:
    isPaused: bool = field(default=UNSET, description="Whether to pause the queue")


@attrs.frozen
class QueueDeleteDto:
    failed: bool = field(
        default=UNSET, description="If true, will also remove failed jobs from the queue."
    )


@attrs.frozen
class QueueJobSearchDto:
    status: list[QueueJobStatus] = field(default=UNSET, description="Filter jobs by status")


@attrs.frozen
class QueueJobResponseDto:
    data: dict[str, Any] = field(description="Job data payload")
    name: JobName = field()
    timestamp: int = field(description="Job creation timestamp")
    id: str = field(default=UNSET, description="Job ID")


@attrs.frozen
class QueueCommandDto:
    command: QueueCommand = field()
    force: bool = field(default=UNSET, description="Force the command execution (if applicable)")


@attrs.frozen
class QueueStatusLegacyDto:
    isActive: bool = field(description="Whether the queue is currently active (has running jobs)")
    isPaused: bool = field(description="Whether the queue is paused")


@attrs.frozen
class QueueResponseLegacyDto:
    jobCounts: QueueStatisticsDto = field()
    queueStatus: QueueStatusLegacyDto = field()


@attrs.frozen
class JobCreateDto:
    name: ManualJobName = field()


@attrs.frozen
class QueuesResponseLegacyDto:
    backgroundTask: QueueResponseLegacyDto = field()
    backupDatabase: QueueResponseLegacyDto = field()
    duplicateDetection: QueueResponseLegacyDto = field()
    editor: QueueResponseLegacyDto = field()
    faceDetection: QueueResponseLegacyDto = field()
    facialRecognition: QueueResponseLegacyDto = field()
    integrityCheck: QueueResponseLegacyDto = field()
    library: QueueResponseLegacyDto = field()
    metadataExtraction: QueueResponseLegacyDto = field()
    migration: QueueResponseLegacyDto = field()
    notifications: QueueResponseLegacyDto = field()
    ocr: QueueResponseLegacyDto = field()
    search: QueueResponseLegacyDto = field()
    sidecar: QueueResponseLegacyDto = field()
    smartSearch: QueueResponseLegacyDto = field()
    storageTemplateMigration: QueueResponseLegacyDto = field()
    thumbnailGeneration: QueueResponseLegacyDto = field()
    videoConversion: QueueResponseLegacyDto = field()
    workflow: QueueResponseLegacyDto = field()


def statistics(counts: QueueCounts) -> QueueStatisticsDto:
    return QueueStatisticsDto(
        active=counts.active,
        completed=counts.completed,
        delayed=counts.delayed,
        failed=counts.failed,
        paused=counts.paused,
        waiting=counts.waiting,
    )


def queue_response(name: str, paused: bool, counts: QueueCounts) -> QueueResponseDto:
    return QueueResponseDto(isPaused=paused, name=QueueName(name), statistics=statistics(counts))


def legacy_response(queue: QueueResponseDto) -> QueueResponseLegacyDto:
    return QueueResponseLegacyDto(
        jobCounts=queue.statistics,
        queueStatus=QueueStatusLegacyDto(
            isActive=queue.statistics.active > 0, isPaused=queue.isPaused
        ),
    )


def legacy_all(queues: Mapping[str, QueueResponseDto]) -> QueuesResponseLegacyDto:
    return QueuesResponseLegacyDto(**{n: legacy_response(q) for n, q in queues.items()})


def job_response(job: QueuedJob) -> QueueJobResponseDto:
    return QueueJobResponseDto(
        id=job.id, name=JobName(job.name), data=dict(job.data), timestamp=job.timestamp
    )
