-- The service connects as stranded_app, which owns no table, and before
-- PostgreSQL 17 (the MAINTAIN privilege) only a table's owner may ANALYZE it:
-- for anyone else ANALYZE is skipped with a warning. Opening a review week
-- re-analyses level1_form so the planner sees the new week's forms
-- (ReviewStore); this function does exactly that with its owner's rights.
-- It takes no arguments, so it lends those rights to nothing else.
CREATE FUNCTION analyze_level1_form() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    -- A small sample (3,000 rows) of the columns queries select on is enough.
    SET default_statistics_target = 10
AS $$
BEGIN
    ANALYZE public.level1_form (week_start, ward_id, case_id);
END;
$$;

REVOKE ALL ON FUNCTION analyze_level1_form() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION analyze_level1_form() TO stranded_app;
