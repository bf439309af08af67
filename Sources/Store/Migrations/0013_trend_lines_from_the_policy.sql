-- Length-of-stay lines in the trend figures follow the configured thresholds.
--
-- The fixed counts at 7, 14, 21, 50 and 100 days go: every line a report
-- counts (the bands, the stranded and super-stranded lines) is summed at read
-- time from los_hist, which now starts at the lowest of those lines
-- (los_hist[1] = patients at that LoS), so moving a band or the super-stranded
-- line above it needs no recomputation.
ALTER TABLE trend_ward_week DROP COLUMN los_7, DROP COLUMN los_14, DROP COLUMN los_21, DROP COLUMN los_50, DROP COLUMN los_100;
ALTER TABLE trend_rollup_week DROP COLUMN los_7, DROP COLUMN los_14, DROP COLUMN los_21, DROP COLUMN los_50, DROP COLUMN los_100;

-- The thresholds the stored figures were computed with: the stranded line
-- (bed days, the under-the-line census count) and where los_hist starts.
-- When the running policy's differ, every week is marked stale and
-- recomputed. No row yet means unknown: the first refresh recomputes all.
CREATE TABLE trend_computed_with (
    only_row                boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    stranded_days           integer NOT NULL,
    histogram_start_days    integer NOT NULL
);
