-- Opening a review week writes a national week's forms (~45,000) at once,
-- each into every index of level1_form, and after a checkpoint the first
-- change to an index page writes the page whole to the WAL.
--
-- One index led by the week replaces (ward_id, week_start) and (week_start):
-- a ward's week (ward_id = ? AND week_start = ?) and a week (week_start = ?,
-- or the two weeks the discharged mark reads) are each one range of it. A
-- new week's entries all go to its right-hand end, where (ward_id,
-- week_start) put them beside each ward's earlier weeks, a leaf page per
-- ward, and (week_start) was a second index to write. Nothing reads a
-- ward's forms across weeks.
--
-- (case_id, week_start) stays: it is the one form per case and week, and
-- the pre-fill, the deadline and the Level 2 agenda read a case's history by it.
CREATE INDEX level1_form_week_ward ON level1_form (week_start, ward_id);
DROP INDEX level1_form_ward_week;
DROP INDEX level1_form_week;
