"""Immich's system-config defaults (``server/src/config.ts``), section by section.

The shape is the reference spec's ``SystemConfigDto``. ``core_defaults(settings)`` returns a
fresh copy; the one process-level input is the ML URL (Immich reads
``IMMICH_MACHINE_LEARNING_URL`` there; we read ``MACHINE_LEARNING_URL``).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from immich.settings import Settings

# NestJS CronExpression constants that Immich uses.
EVERY_DAY_AT_MIDNIGHT = "0 0 * * *"
EVERY_DAY_AT_2AM = "0 02 * * *"
EVERY_DAY_AT_3AM = "0 03 * * *"

# Immich's ConcurrentQueueName values with their default concurrency.
JOB_CONCURRENCY: dict[str, int] = {
    "backgroundTask": 5,
    "smartSearch": 2,
    "metadataExtraction": 5,
    "faceDetection": 2,
    "search": 5,
    "sidecar": 5,
    "library": 5,
    "migration": 5,
    "thumbnailGeneration": 3,
    "videoConversion": 1,
    "notifications": 5,
    "ocr": 1,
    "workflow": 5,
    "editor": 2,
    "integrityCheck": 1,
}

DEFAULTS: dict[str, Any] = {
    "backup": {
        "database": {"enabled": True, "cronExpression": EVERY_DAY_AT_2AM, "keepLastAmount": 14},
    },
    "ffmpeg": {
        "crf": 23,
        "threads": 0,
        "preset": "ultrafast",
        "targetVideoCodec": "h264",
        "acceptedVideoCodecs": ["h264"],
        "targetAudioCodec": "aac",
        "acceptedAudioCodecs": ["aac", "mp3", "opus"],
        "acceptedContainers": ["mov", "ogg", "webm"],
        "targetResolution": "720",
        "maxBitrate": "0",
        "bframes": -1,
        "refs": 0,
        "gopSize": 0,
        "temporalAQ": False,
        "cqMode": "auto",
        "twoPass": False,
        "preferredHwDevice": "auto",
        "transcode": "required",
        "tonemap": "hable",
        "accel": "disabled",
        "accelDecode": False,
        "realtime": {"enabled": False, "resolutions": [720, 1080], "videoCodecs": ["h264"]},
    },
    "image": {
        "thumbnail": {"format": "webp", "size": 250, "quality": 80, "progressive": False},
        "preview": {"format": "jpeg", "size": 1440, "quality": 80, "progressive": False},
        "colorspace": "p3",
        "extractEmbedded": False,
        "fullsize": {"enabled": False, "format": "jpeg", "quality": 80, "progressive": False},
    },
    "integrityChecks": {
        "missingFiles": {"enabled": True, "cronExpression": EVERY_DAY_AT_3AM},
        "untrackedFiles": {"enabled": True, "cronExpression": EVERY_DAY_AT_3AM},
        "checksumFiles": {
            "enabled": True,
            "cronExpression": EVERY_DAY_AT_3AM,
            "timeLimit": 60 * 60 * 1000,
            "percentageLimit": 1.0,
        },
    },
    "job": {name: {"concurrency": n} for name, n in JOB_CONCURRENCY.items()},
    "library": {
        "scan": {"enabled": True, "cronExpression": EVERY_DAY_AT_MIDNIGHT},
        "watch": {"enabled": False},
    },
    "logging": {"enabled": True, "level": "log"},
    "machineLearning": {
        "enabled": True,
        "urls": ["http://immich-machine-learning:3003"],
        "availabilityChecks": {"enabled": True, "timeout": 2000, "interval": 30_000},
        "clip": {"enabled": True, "modelName": "ViT-B-32__openai"},
        "duplicateDetection": {"enabled": True, "maxDistance": 0.01},
        "facialRecognition": {
            "enabled": True,
            "modelName": "buffalo_l",
            "minScore": 0.7,
            "maxDistance": 0.5,
            "minFaces": 3,
        },
        "ocr": {
            "enabled": True,
            "modelName": "PP-OCRv5_mobile",
            "minDetectionScore": 0.5,
            "minRecognitionScore": 0.8,
            "maxResolution": 736,
        },
    },
    "map": {
        "enabled": True,
        "lightStyle": "https://tiles.immich.cloud/v1/style/light.json",
        "darkStyle": "https://tiles.immich.cloud/v1/style/dark.json",
    },
    "metadata": {"faces": {"import": False}},
    "newVersionCheck": {"enabled": True, "channel": "stable"},
    "nightlyTasks": {
        "startTime": "00:00",
        "databaseCleanup": True,
        "generateMemories": True,
        "syncQuotaUsage": True,
        "missingThumbnails": True,
        "clusterNewFaces": True,
    },
    "notifications": {
        "smtp": {
            "enabled": False,
            "from": "",
            "replyTo": "",
            "transport": {
                "ignoreCert": False,
                "host": "",
                "port": 587,
                "secure": False,
                "username": "",
                "password": "",
            },
        },
    },
    "oauth": {
        "allowInsecureRequests": False,
        "autoLaunch": False,
        "autoRegister": True,
        "buttonText": "Login with OAuth",
        "clientId": "",
        "clientSecret": "",
        "defaultStorageQuota": None,
        "enabled": False,
        "endSessionEndpoint": "",
        "issuerUrl": "",
        "mobileOverrideEnabled": False,
        "mobileRedirectUri": "",
        "prompt": "",
        "scope": "openid email profile",
        "signingAlgorithm": "RS256",
        "profileSigningAlgorithm": "none",
        "storageLabelClaim": "preferred_username",
        "storageQuotaClaim": "immich_quota",
        "roleClaim": "immich_role",
        "tokenEndpointAuthMethod": "client_secret_post",
        "timeout": 30_000,
    },
    "passwordLogin": {"enabled": True},
    "reverseGeocoding": {"enabled": True},
    "server": {"externalDomain": "", "loginPageMessage": "", "publicUsers": True},
    "storageTemplate": {
        "enabled": False,
        "hashVerificationEnabled": True,
        "template": "{{y}}/{{y}}-{{MM}}-{{dd}}/{{filename}}",
    },
    "templates": {
        "email": {"welcomeTemplate": "", "albumInviteTemplate": "", "albumUpdateTemplate": ""},
    },
    "theme": {"customCss": ""},
    "trash": {"enabled": True, "days": 30},
    "user": {"deleteDelay": 7},
}

CORE_SECTIONS: frozenset[str] = frozenset(DEFAULTS)

# GET /api/system-config/storage-template-options (Immich's supported*Tokens).
STORAGE_TEMPLATE_OPTIONS: dict[str, list[str]] = {
    "yearOptions": ["y", "yy"],
    "monthOptions": ["M", "MM", "MMM", "MMMM"],
    "weekOptions": ["W", "WW"],
    "dayOptions": ["d", "dd"],
    "hourOptions": ["h", "hh", "H", "HH"],
    "minuteOptions": ["m", "mm"],
    "secondOptions": ["s", "ss", "SSS"],
    "presetOptions": [
        "{{y}}/{{y}}-{{MM}}-{{dd}}/{{filename}}",
        "{{y}}/{{MM}}-{{dd}}/{{filename}}",
        "{{y}}/{{MMMM}}-{{dd}}/{{filename}}",
        "{{y}}/{{MM}}/{{filename}}",
        "{{y}}/{{MMM}}/{{filename}}",
        "{{y}}/{{MMMM}}/{{filename}}",
        "{{y}}/{{MM}}/{{dd}}/{{filename}}",
        "{{y}}/{{MMMM}}/{{dd}}/{{filename}}",
        "{{y}}/{{y}}-{{MM}}/{{y}}-{{MM}}-{{dd}}/{{filename}}",
        "{{y}}-{{MM}}-{{dd}}/{{filename}}",
        "{{y}}-{{MMM}}-{{dd}}/{{filename}}",
        "{{y}}-{{MMMM}}-{{dd}}/{{filename}}",
        "{{y}}/{{y}}-{{MM}}/{{filename}}",
        "{{y}}/{{y}}-{{WW}}/{{filename}}",
        "{{y}}/{{y}}-{{MM}}-{{dd}}/{{assetId}}",
        "{{y}}/{{y}}-{{MM}}/{{assetId}}",
        "{{y}}/{{y}}-{{WW}}/{{assetId}}",
        "{{album}}/{{filename}}",
    ],
}


def core_defaults(settings: Settings | None = None) -> dict[str, Any]:
    """A fresh copy of Immich's defaults; ``MACHINE_LEARNING_URL`` sets the ML URL default."""
    out = copy.deepcopy(DEFAULTS)
    if settings is not None and settings.ml_url:
        out["machineLearning"]["urls"] = [settings.ml_url]
    return out
