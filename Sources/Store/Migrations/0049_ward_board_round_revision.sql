-- A ward's board-round revision: it moves with every change to the days
-- recorded on the ward (a day recorded, corrected, moved to another ward or
-- removed), whoever makes it. The ward list page's freshness stamp reads it
-- with one probe. The stamp used to count the ward's days and take their
-- latest recording time: every page view read every day ever recorded on
-- the ward (~11,000 a year for a 30-bed ward), so the page slowed with history.
CREATE TABLE ward_board_round_revision (
    ward_id   bigint PRIMARY KEY REFERENCES ward (id),
    revision  bigint NOT NULL
);

-- A ward without a row has revision 0: its first change makes one.

-- One statement-level trigger per kind of change (a trigger with transition
-- tables takes one event), one function for all: each statement moves every
-- ward it touched once, in ward order, so two statements over the same wards
-- lock their revisions in the same order. A day moved between wards (a
-- correction recorded from another ward) moves both.
CREATE FUNCTION board_round_day_moves_its_wards() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE ward_board_round_revision SET revision = revision + 1;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO ward_board_round_revision AS r (ward_id, revision)
        SELECT DISTINCT ward_id, 1 FROM new_days ORDER BY ward_id
        ON CONFLICT (ward_id) DO UPDATE SET revision = r.revision + 1;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO ward_board_round_revision AS r (ward_id, revision)
        SELECT ward_id, 1 FROM (SELECT ward_id FROM new_days UNION SELECT ward_id FROM old_days) touched ORDER BY ward_id
        ON CONFLICT (ward_id) DO UPDATE SET revision = r.revision + 1;
    ELSE
        INSERT INTO ward_board_round_revision AS r (ward_id, revision)
        SELECT DISTINCT ward_id, 1 FROM old_days ORDER BY ward_id
        ON CONFLICT (ward_id) DO UPDATE SET revision = r.revision + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER board_round_day_inserted_moves_its_wards
    AFTER INSERT ON board_round_day REFERENCING NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION board_round_day_moves_its_wards();
CREATE TRIGGER board_round_day_updated_moves_its_wards
    AFTER UPDATE ON board_round_day REFERENCING OLD TABLE AS old_days NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION board_round_day_moves_its_wards();
CREATE TRIGGER board_round_day_deleted_moves_its_wards
    AFTER DELETE ON board_round_day REFERENCING OLD TABLE AS old_days
    FOR EACH STATEMENT EXECUTE FUNCTION board_round_day_moves_its_wards();
CREATE TRIGGER board_round_day_truncated_moves_every_ward
    AFTER TRUNCATE ON board_round_day
    FOR EACH STATEMENT EXECUTE FUNCTION board_round_day_moves_its_wards();
