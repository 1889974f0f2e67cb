"""Assets and their satellites: EXIF, generated files, job status, key/value metadata."""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    UUID,
    Array,
    BigInt,
    Boolean,
    Bytea,
    DoublePrecision,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class Asset(Table, tablename="asset", db=ENGINE):
    """One photo or video (Immich's ``asset``)."""

    id = UUID(primary_key=True)
    device_asset_id = Varchar(length=None, db_column_name="deviceAssetId")
    owner_id = UUID(db_column_name="ownerId")
    library_id = UUID(db_column_name="libraryId", null=True, default=None)
    device_id = Varchar(length=None, db_column_name="deviceId")
    type = Varchar(length=None)
    status = Varchar(length=None, default="active")
    original_path = Varchar(length=None, db_column_name="originalPath")
    original_file_name = Varchar(length=None, db_column_name="originalFileName")
    file_created_at = Timestamptz(db_column_name="fileCreatedAt")
    local_date_time = Timestamptz(db_column_name="localDateTime")
    file_modified_at = Timestamptz(db_column_name="fileModifiedAt")
    is_favorite = Boolean(db_column_name="isFavorite", default=False)
    duration = Varchar(length=None, null=True, default=None)
    encoded_video_path = Varchar(length=None, db_column_name="encodedVideoPath", null=True)
    sidecar_path = Varchar(length=None, db_column_name="sidecarPath", null=True, default=None)
    checksum = Bytea()
    checksum_algorithm = Varchar(length=None, db_column_name="checksumAlgorithm", default="sha1")
    thumbhash = Bytea(null=True, default=None)
    live_photo_video_id = UUID(db_column_name="livePhotoVideoId", null=True, default=None)
    is_offline = Boolean(db_column_name="isOffline", default=False)
    is_external = Boolean(db_column_name="isExternal", default=False)
    stack_id = UUID(db_column_name="stackId", null=True, default=None)
    duplicate_id = UUID(db_column_name="duplicateId", null=True, default=None)
    visibility = Varchar(length=None, default="timeline")
    width = Integer(null=True, default=None)
    height = Integer(null=True, default=None)
    is_edited = Boolean(db_column_name="isEdited", default=False)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    deleted_at = Timestamptz(db_column_name="deletedAt", null=True, default=None)
    update_id = UUID(db_column_name="updateId")


class AssetExif(Table, tablename="asset_exif", db=ENGINE):
    """The metadata read from an asset's file; ``lockedProperties`` are the owner's edits."""

    asset_id = UUID(db_column_name="assetId", primary_key=True)
    make = Varchar(length=None, null=True, default=None)
    model = Varchar(length=None, null=True, default=None)
    exif_image_width = Integer(db_column_name="exifImageWidth", null=True, default=None)
    exif_image_height = Integer(db_column_name="exifImageHeight", null=True, default=None)
    file_size_in_byte = BigInt(db_column_name="fileSizeInByte", null=True, default=None)
    orientation = Varchar(length=None, null=True, default=None)
    date_time_original = Timestamptz(db_column_name="dateTimeOriginal", null=True, default=None)
    modify_date = Timestamptz(db_column_name="modifyDate", null=True, default=None)
    time_zone = Varchar(length=None, db_column_name="timeZone", null=True, default=None)
    lens_model = Varchar(length=None, db_column_name="lensModel", null=True, default=None)
    f_number = DoublePrecision(db_column_name="fNumber", null=True, default=None)
    focal_length = DoublePrecision(db_column_name="focalLength", null=True, default=None)
    iso = Integer(null=True, default=None)
    exposure_time = Varchar(length=None, db_column_name="exposureTime", null=True, default=None)
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    city = Varchar(length=None, null=True, default=None)
    state = Varchar(length=None, null=True, default=None)
    country = Varchar(length=None, null=True, default=None)
    description = Text()
    fps = DoublePrecision(null=True, default=None)
    live_photo_cid = Varchar(length=None, db_column_name="livePhotoCID", null=True, default=None)
    autostack_id = Varchar(length=None, db_column_name="autoStackId", null=True, default=None)
    projection_type = Varchar(length=None, db_column_name="projectionType", null=True, default=None)
    profile_description = Varchar(
        length=None, db_column_name="profileDescription", null=True, default=None
    )
    colorspace = Varchar(length=None, null=True, default=None)
    bits_per_sample = Integer(db_column_name="bitsPerSample", null=True, default=None)
    rating = Integer(null=True, default=None)
    tags = Array(Varchar(length=None), null=True, default=None)
    locked_properties = Array(Varchar(length=None), db_column_name="lockedProperties", default=list)
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")


class AssetFile(Table, tablename="asset_file", db=ENGINE):
    """A file generated for an asset (preview, thumbnail, encoded video, sidecar)."""

    id = UUID(primary_key=True)
    asset_id = UUID(db_column_name="assetId")
    type = Varchar(length=None)
    path = Varchar(length=None)
    is_edited = Boolean(db_column_name="isEdited", default=False)
    is_progressive = Boolean(db_column_name="isProgressive", default=False)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")


class AssetJobStatus(Table, tablename="asset_job_status", db=ENGINE):
    """When each processing step last succeeded for an asset, and why one failed."""

    asset_id = UUID(db_column_name="assetId", primary_key=True)
    metadata_extracted_at = Timestamptz(
        db_column_name="metadataExtractedAt", null=True, default=None
    )
    thumbnail_at = Timestamptz(db_column_name="thumbnailAt", null=True, default=None)
    video_converted_at = Timestamptz(db_column_name="videoConvertedAt", null=True, default=None)
    faces_recognized_at = Timestamptz(db_column_name="facesRecognizedAt", null=True, default=None)
    duplicates_detected_at = Timestamptz(
        db_column_name="duplicatesDetectedAt", null=True, default=None
    )
    ocr_at = Timestamptz(db_column_name="ocrAt", null=True, default=None)
    failures = JSONB(default="{}")


class AssetMetadata(Table, tablename="asset_metadata", db=ENGINE):
    """Per-asset key/value metadata (Immich's ``asset_metadata``).

    Primary key ("assetId", "key"); piccolo knows only its first column as the key."""

    asset_id = UUID(db_column_name="assetId", primary_key=True)
    key = Varchar(length=None)
    value = JSONB()
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")
