-- Opening a review week writes a national week's forms (~45,000) at once.
-- Its cost grew with the history because the new forms and their index
-- entries were written into pages spread over the whole table, and after a
-- checkpoint the first change to each page writes the page whole to the WAL.
-- Here a new week's forms and their entries go to pages of their own.
--
-- 1. One index led by the week replaces (ward_id, week_start) and
--    (week_start). A ward's week (ward_id = ? AND week_start = ?) and a week
--    (week_start = ?, or the two weeks the discharged mark reads) are each
--    one range of it, and a new week's entries all go to its right-hand
--    end, where (ward_id, week_start) put one beside each ward's earlier
--    weeks, a leaf page per ward. Nothing reads a ward's forms across weeks.
--    (case_id, week_start) stays: it is the one form per case and week, and
--    the pre-fill, the deadline and the Level 2 agenda read a case's
--    history by it.
CREATE INDEX level1_form_week_ward ON level1_form (week_start, ward_id);
DROP INDEX level1_form_ward_week;
DROP INDEX level1_form_week;

-- 2. Room on each page for its forms to grow from the opened draft (~0.6 KB
--    a row) to a completed review (~1 KB) in place. At 75 (0041) a page took
--    ~10 drafts and room for 3 of them to grow: the rest moved to other pages
--    when completed, and the holes they left were where next week's drafts
--    went, a few to a page, across the whole table. At 50 a page takes ~6
--    drafts and a page of completed forms has no room left for new ones, so
--    a new week's drafts go to new pages at the table's end; the table is
--    larger by about a fifth. Applies to pages written from now on.
ALTER TABLE level1_form SET (fillfactor = 50);
