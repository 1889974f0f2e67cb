-- The debounce of Immich's delayed "Shared Album Update" notification (its NotifyAlbumUpdate
-- job, queued 5 minutes after assets are added, a newer addition replacing the queued job).
-- Immich replaces the job by its id in BullMQ; our two queue stores cannot reschedule a job,
-- so each addition writes a fresh token here and queues a delayed job carrying it: a job whose
-- token is no longer the row's was superseded and does nothing. Not synced; no audit.
CREATE TABLE "album_update_pending" (
    "albumId" uuid NOT NULL REFERENCES "album" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "recipientId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "token" uuid NOT NULL,
    "dueAt" timestamptz NOT NULL,
    PRIMARY KEY ("albumId", "recipientId")
);
CREATE INDEX "album_update_pending_recipientId_idx" ON "album_update_pending" ("recipientId");
