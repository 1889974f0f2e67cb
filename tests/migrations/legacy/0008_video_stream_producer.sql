-- HLS segments made by a worker when the api replica has no worker role: the api records the
-- segment it wants ("wantVariant", "wantIndex", "wantedAt") and NOTIFYs "immich_hls_request";
-- one worker claims the session ("producerId", kept fresh through "producerSeenAt") and writes
-- the segments into the shared media folder. "producerError" is the last failure a worker
-- reported (cleared by the next request).

ALTER TABLE "video_stream_session"
    ADD COLUMN "producerId" text,
    ADD COLUMN "producerSeenAt" timestamptz,
    ADD COLUMN "producerError" text,
    ADD COLUMN "wantVariant" integer,
    ADD COLUMN "wantIndex" integer,
    ADD COLUMN "wantedAt" timestamptz;
