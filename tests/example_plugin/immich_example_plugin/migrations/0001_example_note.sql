-- The example plugin's only table: short text notes, one row per note, removed with their
-- owner. "words" is filled by the ExampleNoteCountWords job (NULL until it ran).
CREATE TABLE IF NOT EXISTS "example_note" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "ownerId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "text" text NOT NULL,
    "words" integer,
    "createdAt" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS "example_note_ownerId_idx" ON "example_note" ("ownerId");
