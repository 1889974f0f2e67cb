"""/api/timeline: month buckets with counts, and one month's assets in Immich's columns."""

from __future__ import annotations

from starlette.responses import Response

from immich.api._given import given
from immich.api.routing import Call, Router
from immich.api.timeline_dtos import (
    TimeBucketAssetDto,
    TimeBucketAssetResponseDto,
    TimeBucketDto,
    TimeBucketsResponseDto,
)
from immich.services import access
from immich.services import timeline as timeline_service

router = Router()
TAG = "Timeline"


@router.route(
    "GET",
    "/timeline/buckets",
    operation_id="getTimeBuckets",
    tag=TAG,
    response=list[TimeBucketsResponseDto],
    permission="asset.read",
    shared_link=True,
)
async def get_time_buckets(call: Call[None, TimeBucketDto]) -> list[TimeBucketsResponseDto]:
    """Get time buckets"""
    query = await access.check_shared_link_timeline(call.db, call.auth, given(call.query))
    found = await timeline_service.buckets(call.db, call.user, query)
    return [TimeBucketsResponseDto(count=count, timeBucket=bucket) for bucket, count in found]


@router.route(
    "GET",
    "/timeline/bucket",
    operation_id="getTimeBucket",
    tag=TAG,
    response=TimeBucketAssetResponseDto,
    permission="asset.read",
    shared_link=True,
)
async def get_time_bucket(call: Call[None, TimeBucketAssetDto]) -> Response:
    """Get time bucket

    PostgreSQL builds the JSON (one array per field); it is sent as it comes.
    """
    query = await access.check_shared_link_timeline(call.db, call.auth, given(call.query))
    body = await timeline_service.bucket_json(call.db, call.user, query)
    return Response(body, media_type="application/json")
