-- Adaptive streaming (HLS) sessions: one per GET /api/assets/{id}/video/stream/main.m3u8.
-- "stream" keeps the facts the playlists are made from (duration, frame rate, size, rotation,
-- audio), probed once when the session starts. A session idle since "lastSeenAt" for five
-- minutes is ended (its cached segments removed) by the server that holds it or by the
-- HlsSessionCleanup job.

CREATE TABLE "video_stream_session" (
    "id" uuid PRIMARY KEY,
    "assetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "ownerId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "stream" jsonb NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "lastSeenAt" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX "video_stream_session_assetId_idx" ON "video_stream_session" ("assetId");
CREATE INDEX "video_stream_session_lastSeenAt_idx" ON "video_stream_session" ("lastSeenAt");
