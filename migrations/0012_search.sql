-- Metadata search (issue 12): Immich's accent-blind text match, and the indexes its filters use.

-- Immich's f_unaccent: unaccent() with its dictionary named, so it is IMMUTABLE and can be used
-- in expression indexes.
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN unaccent('unaccent', $1);

-- Suggestions walk these in order, one step per distinct value (repos/search.py suggestions);
-- "asset_exif_city_idx" exists already (0002).
CREATE INDEX "asset_exif_country_idx" ON "asset_exif" ("country");
CREATE INDEX "asset_exif_state_idx" ON "asset_exif" ("state");
CREATE INDEX "asset_exif_make_idx" ON "asset_exif" ("make");
CREATE INDEX "asset_exif_model_idx" ON "asset_exif" ("model");
CREATE INDEX "asset_exif_lensModel_idx" ON "asset_exif" ("lensModel");

-- The file-name filter matches f_unaccent("originalFileName") ILIKE '%...%' (as Immich's index).
CREATE INDEX "asset_originalFileName_unaccent_trgm_idx"
    ON "asset" USING gin (f_unaccent("originalFileName") gin_trgm_ops);
