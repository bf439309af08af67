-- Opening a review week, made lighter. Measured on a national week
-- (~42,000 forms, release build, 2-core machine):
--
-- 1. level1_form loses its three foreign keys (case, ward, source import).
--    Each new form paid three per-row referential checks, about 0.6 s of
--    the 0.9 s its INSERT took; the opening writes a national week's forms
--    in one statement. Every form is written by the opening from a join with
--    those very tables in the same statement (and later moved only by the
--    opening, from the same join), so its references hold by construction,
--    as a case's do since 0010. What the keys also gave — no reference left
--    dangling by a DELETE — is kept by refusing DELETE and TRUNCATE on
--    patient cases and imported files, which are never deleted (wards
--    already refuse them, 0010).
ALTER TABLE level1_form
    DROP CONSTRAINT level1_form_case_id_fkey,
    DROP CONSTRAINT level1_form_ward_id_fkey,
    DROP CONSTRAINT level1_form_source_import_fkey;

CREATE FUNCTION refuse_history_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted: Level 1 forms refer to them', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              HINT = 'Patient cases and imported files are history: a case is closed, a list superseded.';
END;
$$;
CREATE TRIGGER patient_case_never_deleted BEFORE DELETE ON patient_case FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_delete();
CREATE TRIGGER patient_case_never_truncated BEFORE TRUNCATE ON patient_case FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_delete();
CREATE TRIGGER import_file_never_deleted BEFORE DELETE ON import_file FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_delete();
CREATE TRIGGER import_file_never_truncated BEFORE TRUNCATE ON import_file FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_delete();

-- 2. Room on each page of level1_form for a form's later versions — each
--    save, and the discharged mark an opening puts on a quarter to a half of
--    last week's forms at once — to stay on its page, so PostgreSQL can skip
--    the four indexes (a "HOT" update). Without it, every such update wrote a
--    new version elsewhere and four index entries, and the holes it left were
--    where the next week's forms went, one to a page: a national opening
--    dirtied ~35,000 pages (~290 MB of WAL after a checkpoint) where ~6,000
--    hold its rows; with it, ~13,000 (~110 MB) twelve weeks in, for a form
--    still grows from a ~400-byte draft to a ~1 KB review, which a page's
--    quarter cannot hold for all its forms. Applies to pages written from now on.
ALTER TABLE level1_form SET (fillfactor = 75);
