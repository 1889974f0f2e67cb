"""The video plugin's tables: HLS stream sessions (the plugin's own migrations)."""

from __future__ import annotations

from piccolo.columns import JSONB, UUID, Integer, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class VideoStreamSession(Table, tablename="video_stream_session", db=ENGINE):
    """An HLS session: the probed stream facts, who produces its segments, what is wanted next."""

    id = UUID(primary_key=True)
    asset_id = UUID(db_column_name="assetId")
    owner_id = UUID(db_column_name="ownerId")
    stream = JSONB()
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    last_seen_at = Timestamptz(db_column_name="lastSeenAt", default=TimestamptzNow())
    producer_id = Text(db_column_name="producerId", null=True, default=None)
    producer_seen_at = Timestamptz(db_column_name="producerSeenAt", null=True, default=None)
    producer_error = Text(db_column_name="producerError", null=True, default=None)
    want_variant = Integer(db_column_name="wantVariant", null=True, default=None)
    want_index = Integer(db_column_name="wantIndex", null=True, default=None)
    wanted_at = Timestamptz(db_column_name="wantedAt", null=True, default=None)


TABLES: list[type[Table]] = [VideoStreamSession]
