-- A saved form's ward-week, marked in the save's transaction so that saves
-- on one ward do not queue behind each other recomputing its week's review
-- figures. Marks are recomputed, one ward-week at a time, before the review
-- figures are next read and by the background refresher, like
-- trend_review_stale (0008), which marks whole weeks.
--
-- A save inserts with ON CONFLICT DO NOTHING: a mark already there costs no
-- lock on a shared row, so concurrent saves of one ward do not wait for each
-- other here.
CREATE TABLE trend_review_ward_stale (
    week_start          date NOT NULL,
    ward_id             bigint NOT NULL,
    PRIMARY KEY (week_start, ward_id)
);
