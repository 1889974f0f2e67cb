-- Adaptive streaming (HLS) sessions: one per GET /api/assets/{id}/video/stream/main.m3u8.
-- "stream" keeps the facts the playlists are made from (duration, frame rate, size, rotation,
-- audio), probed once when the session starts. A session idle since "lastSeenAt" for five
-- minutes is ended (its cached segments removed) by the server that holds it or by the
-- HlsSessionCleanup job.
-- Segments made by a worker when the api replica has no worker role: the api records the
-- segment it wants ("wantVariant", "wantIndex", "wantedAt") and NOTIFYs "immich_hls_request";
-- one worker claims the session ("producerId", kept fresh through "producerSeenAt") and writes
-- the segments into the shared media folder. "producerError" is the last failure a worker
-- reported (cleared by the next request).
--
-- Databases made before the plugin owned this table already have it (core migrations
-- 0006_video_stream_session.sql and 0008_video_stream_producer.sql, still recorded there):
-- every statement is IF NOT EXISTS, so they keep their rows and only gain what they lack.

CREATE TABLE IF NOT EXISTS "video_stream_session" (
    "id" uuid PRIMARY KEY,
    "assetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "ownerId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "stream" jsonb NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "lastSeenAt" timestamptz NOT NULL DEFAULT now(),
    "producerId" text,
    "producerSeenAt" timestamptz,
    "producerError" text,
    "wantVariant" integer,
    "wantIndex" integer,
    "wantedAt" timestamptz
);
-- A database that stopped between the old 0006 and 0008 has the table without these.
ALTER TABLE "video_stream_session"
    ADD COLUMN IF NOT EXISTS "producerId" text,
    ADD COLUMN IF NOT EXISTS "producerSeenAt" timestamptz,
    ADD COLUMN IF NOT EXISTS "producerError" text,
    ADD COLUMN IF NOT EXISTS "wantVariant" integer,
    ADD COLUMN IF NOT EXISTS "wantIndex" integer,
    ADD COLUMN IF NOT EXISTS "wantedAt" timestamptz;
CREATE INDEX IF NOT EXISTS "video_stream_session_assetId_idx"
    ON "video_stream_session" ("assetId");
CREATE INDEX IF NOT EXISTS "video_stream_session_lastSeenAt_idx"
    ON "video_stream_session" ("lastSeenAt");
