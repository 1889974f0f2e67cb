-- Map markers (GET /api/map/markers) from indexes only.
--
-- The map answers an owner's located timeline assets, newest first, filtered by favourite and
-- by a range of "fileCreatedAt". Without an index on those columns, every call read the whole
-- "asset" heap and every "asset_exif" row (bench/search_bench.py at 1M assets: 1.6 s in
-- PostgreSQL for 50k favourites, of which 1.4 s were the two sequential scans).

-- An owner's live assets by favourite and creation date, with what the filter and the join
-- need: favourites and date ranges are index ranges, the rest an index-only scan.
CREATE INDEX "asset_ownerId_isFavorite_fileCreatedAt_map_idx"
    ON "asset" ("ownerId", "isFavorite", "fileCreatedAt" DESC)
    INCLUDE ("visibility", "id")
    WHERE "deletedAt" IS NULL;

-- The timeline's EXIF covering index gains "state", the one marker field it lacked, so the
-- markers' place fields come from it too (one index for both, not a second copy).
DROP INDEX "asset_exif_assetId_timeline_idx";
CREATE INDEX "asset_exif_assetId_timeline_idx"
    ON "asset_exif" ("assetId")
    INCLUDE ("projectionType", "city", "state", "country", "latitude", "longitude");
