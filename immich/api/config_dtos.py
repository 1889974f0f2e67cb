"""``SystemConfigDto`` and its nested DTOs, named and shaped as the reference spec's schemas.

``parse(SystemConfigDto, body)`` validates a ``PUT /api/system-config`` body: every field is
required (as Immich's), with the spec's enums and bounds; errors name the path.
"""

from __future__ import annotations

from typing import Literal

import attrs

from immich.api.dto import UNSET, field
from immich.jobs.types import MAX_JOB_CONCURRENCY

SAFE_INT = 9007199254740991  # Number.MAX_SAFE_INTEGER, the spec's bound on integers
# Days counted back from today for a cut-off date: today minus Immich's 2^53-1 days is no date
# Python or PostgreSQL can hold; 700000 days back stays after year 1 (a listed tightening).
MAX_DAYS_BACK = 700_000

TranscodeHWAccel = Literal["nvenc", "qsv", "vaapi", "rkmpp", "disabled"]
AudioCodec = Literal["mp3", "aac", "opus", "pcm_s16le"]
VideoContainer = Literal["mov", "mp4", "ogg", "webm"]
VideoCodec = Literal["h264", "hevc", "vp9", "av1"]
CQMode = Literal["auto", "cqp", "icq"]
HlsVideoResolution = Literal[480, 720, 1080, 1440, 2160]
ToneMapping = Literal["hable", "mobius", "reinhard", "disabled"]
TranscodePolicy = Literal["all", "optimal", "bitrate", "required", "disabled"]
Colorspace = Literal["srgb", "p3"]
ImageFormat = Literal["jpeg", "webp"]
LogLevel = Literal["verbose", "debug", "log", "warn", "error", "fatal"]
ReleaseChannel = Literal["stable", "releaseCandidate"]
OAuthTokenEndpointAuthMethod = Literal["client_secret_post", "client_secret_basic"]

CRON = "Cron expression"
INTEGRITY_CRON = "Cron expression for when the integrity check should run"
TASK_ENABLED = "Whether the task is enabled"
MODEL = "Name of the model to use"


@attrs.frozen
class DatabaseBackupConfig:
    cronExpression: str = field(description=CRON)
    enabled: bool = field(description="Enabled")
    keepLastAmount: int = field(description="Keep last amount", minimum=1, maximum=SAFE_INT)


@attrs.frozen
class SystemConfigBackupsDto:
    database: DatabaseBackupConfig = field()


@attrs.frozen
class SystemConfigFFmpegRealtimeDto:
    enabled: bool = field(description="Enable real-time HLS transcoding (alpha)")
    resolutions: list[HlsVideoResolution] = field(
        description="Resolutions to use for real-time HLS transcoding"
    )
    videoCodecs: list[VideoCodec] = field(
        description="Video codecs to use for real-time HLS transcoding"
    )


@attrs.frozen
class SystemConfigFFmpegDto:
    accel: TranscodeHWAccel = field()
    accelDecode: bool = field(description="Accelerated decode")
    acceptedAudioCodecs: list[AudioCodec] = field(description="Accepted audio codecs")
    acceptedContainers: list[VideoContainer] = field(description="Accepted containers")
    acceptedVideoCodecs: list[VideoCodec] = field(description="Accepted video codecs")
    bframes: int = field(description="B-frames", minimum=-1, maximum=16)
    cqMode: CQMode = field()
    crf: int = field(description="CRF", minimum=0, maximum=51)
    gopSize: int = field(description="GOP size", minimum=0, maximum=SAFE_INT)
    maxBitrate: str = field(description="Max bitrate")
    preferredHwDevice: str = field(description="Preferred hardware device")
    preset: str = field(description="Preset")
    realtime: SystemConfigFFmpegRealtimeDto = field()
    refs: int = field(description="References", minimum=0, maximum=6)
    targetAudioCodec: AudioCodec = field()
    targetResolution: str = field(description="Target resolution")
    targetVideoCodec: VideoCodec = field()
    temporalAQ: bool = field(description="Temporal AQ")
    threads: int = field(description="Threads", minimum=0, maximum=SAFE_INT)
    tonemap: ToneMapping = field()
    transcode: TranscodePolicy = field()
    twoPass: bool = field(description="Two pass")


@attrs.frozen
class SystemConfigGeneratedFullsizeImageDto:
    enabled: bool = field(description="Enabled")
    format: ImageFormat = field()
    quality: int = field(description="Quality", minimum=1, maximum=100)
    progressive: bool = field(default=UNSET, description="Progressive")


@attrs.frozen
class SystemConfigGeneratedImageDto:
    format: ImageFormat = field()
    quality: int = field(description="Quality", minimum=1, maximum=100)
    size: int = field(description="Size", minimum=1, maximum=SAFE_INT)
    progressive: bool = field(default=UNSET, description="Progressive")


@attrs.frozen
class SystemConfigImageDto:
    colorspace: Colorspace = field()
    extractEmbedded: bool = field(description="Extract embedded")
    fullsize: SystemConfigGeneratedFullsizeImageDto = field()
    preview: SystemConfigGeneratedImageDto = field()
    thumbnail: SystemConfigGeneratedImageDto = field()


@attrs.frozen
class SystemConfigIntegrityChecksumJob:
    cronExpression: str = field(description=INTEGRITY_CRON)
    enabled: bool = field(description="Enabled")
    percentageLimit: float = field(
        description="Percentage limit of the integrity checksum job",
        format="double",
        minimum=0,
        maximum=1,
    )
    timeLimit: int = field(
        description="How long the integrity checksum job may run for", minimum=0, maximum=SAFE_INT
    )


@attrs.frozen
class SystemConfigIntegrityJob:
    cronExpression: str = field(description=INTEGRITY_CRON)
    enabled: bool = field(description="Enabled")


@attrs.frozen
class SystemConfigIntegrityChecks:
    checksumFiles: SystemConfigIntegrityChecksumJob = field()
    missingFiles: SystemConfigIntegrityJob = field()
    untrackedFiles: SystemConfigIntegrityJob = field()


@attrs.frozen
class JobSettingsDto:
    # a listed tightening: Immich's 2^53-1 is more than a worker can run (MAX_JOB_CONCURRENCY)
    concurrency: int = field(description="Concurrency", minimum=1, maximum=MAX_JOB_CONCURRENCY)


@attrs.frozen
class SystemConfigJobDto:
    backgroundTask: JobSettingsDto = field()
    editor: JobSettingsDto = field()
    faceDetection: JobSettingsDto = field()
    integrityCheck: JobSettingsDto = field()
    library: JobSettingsDto = field()
    metadataExtraction: JobSettingsDto = field()
    migration: JobSettingsDto = field()
    notifications: JobSettingsDto = field()
    ocr: JobSettingsDto = field()
    search: JobSettingsDto = field()
    sidecar: JobSettingsDto = field()
    smartSearch: JobSettingsDto = field()
    thumbnailGeneration: JobSettingsDto = field()
    videoConversion: JobSettingsDto = field()
    workflow: JobSettingsDto = field()


@attrs.frozen
class SystemConfigLibraryScanDto:
    cronExpression: str = field(description=CRON)
    enabled: bool = field(description="Enabled")


@attrs.frozen
class SystemConfigLibraryWatchDto:
    enabled: bool = field(description="Enabled")


@attrs.frozen
class SystemConfigLibraryDto:
    scan: SystemConfigLibraryScanDto = field()
    watch: SystemConfigLibraryWatchDto = field()


@attrs.frozen
class SystemConfigLoggingDto:
    enabled: bool = field(description="Enabled")
    level: LogLevel = field()


@attrs.frozen
class MachineLearningAvailabilityChecksDto:
    enabled: bool = field(description="Enabled")
    interval: int = field(minimum=-SAFE_INT, maximum=SAFE_INT)
    timeout: int = field(minimum=-SAFE_INT, maximum=SAFE_INT)


@attrs.frozen
class CLIPConfig:
    enabled: bool = field(description=TASK_ENABLED)
    modelName: str = field(description=MODEL)


@attrs.frozen
class DuplicateDetectionConfig:
    enabled: bool = field(description=TASK_ENABLED)
    maxDistance: float = field(
        description="Maximum distance threshold for duplicate detection",
        format="double",
        minimum=0.001,
        maximum=0.1,
    )


@attrs.frozen
class FacialRecognitionConfig:
    enabled: bool = field(description=TASK_ENABLED)
    maxDistance: float = field(
        description="Maximum distance threshold for face recognition",
        format="double",
        minimum=0.1,
        maximum=2,
    )
    minFaces: int = field(
        description="Minimum number of faces required for recognition", minimum=1, maximum=SAFE_INT
    )
    minScore: float = field(
        description="Minimum confidence score for face detection",
        format="double",
        minimum=0.1,
        maximum=1,
    )
    modelName: str = field(description=MODEL)


@attrs.frozen
class OcrConfig:
    enabled: bool = field(description=TASK_ENABLED)
    maxResolution: int = field(
        description="Maximum resolution for OCR processing", minimum=1, maximum=SAFE_INT
    )
    minDetectionScore: float = field(
        description="Minimum confidence score for text detection",
        format="double",
        minimum=0.1,
        maximum=1,
    )
    minRecognitionScore: float = field(
        description="Minimum confidence score for text recognition",
        format="double",
        minimum=0.1,
        maximum=1,
    )
    modelName: str = field(description=MODEL)


@attrs.frozen
class SystemConfigMachineLearningDto:
    availabilityChecks: MachineLearningAvailabilityChecksDto = field()
    clip: CLIPConfig = field()
    duplicateDetection: DuplicateDetectionConfig = field()
    enabled: bool = field(description="Enabled")
    facialRecognition: FacialRecognitionConfig = field()
    ocr: OcrConfig = field()
    urls: list[str] = field(description="ML service URLs", min_items=1)


@attrs.frozen
class SystemConfigMapDto:
    darkStyle: str = field(description="Dark map style URL", format="uri")
    enabled: bool = field(description="Enabled")
    lightStyle: str = field(description="Light map style URL", format="uri")


@attrs.frozen
class SystemConfigFacesDto:
    import_: bool = field(description="Import", name="import")


@attrs.frozen
class SystemConfigMetadataDto:
    faces: SystemConfigFacesDto = field()


@attrs.frozen
class SystemConfigNewVersionCheckDto:
    channel: ReleaseChannel = field()
    enabled: bool = field(description="Enabled")


@attrs.frozen
class SystemConfigNightlyTasksDto:
    clusterNewFaces: bool = field(description="Cluster new faces")
    databaseCleanup: bool = field(description="Database cleanup")
    generateMemories: bool = field(description="Generate memories")
    missingThumbnails: bool = field(description="Missing thumbnails")
    startTime: str = field(description="Start time (HH:MM)", pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$")
    syncQuotaUsage: bool = field(description="Sync quota usage")


@attrs.frozen
class SystemConfigSmtpTransportDto:
    host: str = field(description="SMTP server hostname")
    ignoreCert: bool = field(description="Whether to ignore SSL certificate errors")
    password: str = field(description="SMTP password")
    port: int = field(description="SMTP server port", minimum=0, maximum=65535)
    secure: bool = field(description="Whether to use secure connection (TLS/SSL)")
    username: str = field(description="SMTP username")


@attrs.frozen
class SystemConfigSmtpDto:
    enabled: bool = field(description="Whether SMTP email notifications are enabled")
    from_: str = field(description="Email address to send from", name="from")
    replyTo: str = field(description="Email address for replies")
    transport: SystemConfigSmtpTransportDto = field()


@attrs.frozen
class SystemConfigNotificationsDto:
    smtp: SystemConfigSmtpDto = field()


@attrs.frozen
class SystemConfigOAuthDto:
    allowInsecureRequests: bool = field(description="Allow insecure requests")
    autoLaunch: bool = field(description="Auto launch")
    autoRegister: bool = field(description="Auto register")
    buttonText: str = field(description="Button text")
    clientId: str = field(description="Client ID")
    clientSecret: str = field(description="Client secret")
    defaultStorageQuota: int | None = field(
        description="Default storage quota", minimum=0, maximum=SAFE_INT
    )
    enabled: bool = field(description="Enabled")
    endSessionEndpoint: str = field(description="End session endpoint")
    issuerUrl: str = field(description="Issuer URL")
    mobileOverrideEnabled: bool = field(description="Mobile override enabled")
    mobileRedirectUri: str = field(
        description="Mobile redirect URI (set to empty string to disable)"
    )
    profileSigningAlgorithm: str = field(description="Profile signing algorithm")
    prompt: str = field(description="OAuth prompt parameter (e.g. select_account, login, consent)")
    roleClaim: str = field(description="Role claim")
    scope: str = field(description="Scope")
    signingAlgorithm: str = field(description="Signing algorithm")
    storageLabelClaim: str = field(description="Storage label claim")
    storageQuotaClaim: str = field(description="Storage quota claim")
    timeout: int = field(description="Timeout", minimum=1, maximum=SAFE_INT)
    tokenEndpointAuthMethod: OAuthTokenEndpointAuthMethod = field()


@attrs.frozen
class SystemConfigPasswordLoginDto:
    enabled: bool = field(description="Enabled")


@attrs.frozen
class SystemConfigReverseGeocodingDto:
    enabled: bool = field(description="Enabled")


@attrs.frozen
class SystemConfigServerDto:
    externalDomain: str = field(description="External domain")
    loginPageMessage: str = field(description="Login page message")
    publicUsers: bool = field(description="Public users")


@attrs.frozen
class SystemConfigStorageTemplateDto:
    enabled: bool = field(description="Enabled")
    hashVerificationEnabled: bool = field(description="Hash verification enabled")
    template: str = field(description="Template")


@attrs.frozen
class SystemConfigTemplateEmailsDto:
    albumInviteTemplate: str = field(description="Album invite template")
    albumUpdateTemplate: str = field(description="Album update template")
    welcomeTemplate: str = field(description="Welcome template")


@attrs.frozen
class SystemConfigTemplatesDto:
    email: SystemConfigTemplateEmailsDto = field()


@attrs.frozen
class SystemConfigThemeDto:
    customCss: str = field(description="Custom CSS for theming")


@attrs.frozen
class SystemConfigTrashDto:
    days: int = field(description="Days", minimum=0, maximum=MAX_DAYS_BACK)
    enabled: bool = field(description="Enabled")


@attrs.frozen
class SystemConfigUserDto:
    deleteDelay: int = field(description="Delete delay", minimum=1, maximum=MAX_DAYS_BACK)


@attrs.frozen
class SystemConfigDto:
    """System configuration"""

    backup: SystemConfigBackupsDto = field()
    ffmpeg: SystemConfigFFmpegDto = field()
    image: SystemConfigImageDto = field()
    integrityChecks: SystemConfigIntegrityChecks = field()
    job: SystemConfigJobDto = field()
    library: SystemConfigLibraryDto = field()
    logging: SystemConfigLoggingDto = field()
    machineLearning: SystemConfigMachineLearningDto = field()
    map: SystemConfigMapDto = field()
    metadata: SystemConfigMetadataDto = field()
    newVersionCheck: SystemConfigNewVersionCheckDto = field()
    nightlyTasks: SystemConfigNightlyTasksDto = field()
    notifications: SystemConfigNotificationsDto = field()
    oauth: SystemConfigOAuthDto = field()
    passwordLogin: SystemConfigPasswordLoginDto = field()
    reverseGeocoding: SystemConfigReverseGeocodingDto = field()
    server: SystemConfigServerDto = field()
    storageTemplate: SystemConfigStorageTemplateDto = field()
    templates: SystemConfigTemplatesDto = field()
    theme: SystemConfigThemeDto = field()
    trash: SystemConfigTrashDto = field()
    user: SystemConfigUserDto = field()


@attrs.frozen
class SystemConfigTemplateStorageOptionDto:
    dayOptions: list[str] = field(description="Available day format options for storage template")
    hourOptions: list[str] = field(description="Available hour format options for storage template")
    minuteOptions: list[str] = field(
        description="Available minute format options for storage template"
    )
    monthOptions: list[str] = field(
        description="Available month format options for storage template"
    )
    presetOptions: list[str] = field(description="Available preset template options")
    secondOptions: list[str] = field(
        description="Available second format options for storage template"
    )
    weekOptions: list[str] = field(description="Available week format options for storage template")
    yearOptions: list[str] = field(description="Available year format options for storage template")
