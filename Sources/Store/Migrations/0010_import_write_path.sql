-- The import's write path, made lighter (issue 3). Measured on a national
-- list (~93,000 rows, ~30,000 stays at LoS ≥ 7):
--
-- 1. patient_case loses its three foreign keys. Each new case paid three
--    per-row referential checks (site, journey, ward): about 1 s of a 2.8 s
--    upsert of 65,000 cases. Every case is written by the importer from a
--    join with those very tables in the same statement, so its references
--    hold by construction; what the keys also gave — no reference left
--    dangling by a DELETE — is kept by refusing DELETE on sites, wards and
--    journeys (they are never deleted: sites and wards are reference data,
--    journeys are history).
ALTER TABLE patient_case
    DROP CONSTRAINT patient_case_site_id_fkey,
    DROP CONSTRAINT patient_case_journey_id_fkey,
    DROP CONSTRAINT patient_case_last_ward_id_fkey;

CREATE FUNCTION refuse_reference_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted: patient cases refer to them', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              HINT = 'Sites and wards are retired by renaming; journeys are history.';
END;
$$;
CREATE TRIGGER site_never_deleted BEFORE DELETE ON site FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER ward_never_deleted BEFORE DELETE ON ward FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER journey_never_deleted BEFORE DELETE ON journey FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER site_never_truncated BEFORE TRUNCATE ON site FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER ward_never_truncated BEFORE TRUNCATE ON ward FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER journey_never_truncated BEFORE TRUNCATE ON journey FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();

-- 2. Room on each page of patient_case for the weekly update of a continuing
--    case (last seen, ward, LoS) to stay on its page, so PostgreSQL can skip
--    the seven indexes (a "HOT" update). Applies to pages written from now on.
--    And a vacuum after every weekly list rather than every fifth: each list
--    leaves ~30,000 dead versions (continuing and discharged cases), and the
--    default (20% of the table) let them pile up into a slower import each week.
ALTER TABLE patient_case SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

-- 3. An accepted list no longer recomputes its sites' trend figures inside
--    its own transaction (up to 0.8 s nationally); it marks the (site, week)
--    pairs here, and they are recomputed before the trend tables are next
--    read — the same arrangement as trend_review_stale (0008).
CREATE TABLE trend_list_stale (
    site_id             bigint NOT NULL,
    week_start          date NOT NULL,
    PRIMARY KEY (week_start, site_id)
);
