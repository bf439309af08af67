-- Opening a review week re-analyses level1_form so the planner knows the new
-- week (0011). Only the week is new to the statistics: which wards and cases
-- forms belong to changes little from one week to the next, and autovacuum's
-- own ANALYZE of the whole table (with the full sample) keeps those current.
-- So the opening samples the week column alone, with the smallest sample
-- (300 rows): each of a year's weeks still shows in it several times, so the
-- number of weeks, and a week's share of the table, come out right.
--
-- ANALYZE's cost is its sample's pages, read at random across the table,
-- not the columns: in the review benchmark the 3,000-row sample of three
-- columns took 8 ms of the first week's opening and ~100 ms of the tenth,
-- growing with the table; this one takes 1–3 ms.
CREATE OR REPLACE FUNCTION analyze_level1_form() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET default_statistics_target = 1
AS $$
BEGIN
    ANALYZE public.level1_form (week_start);
END;
$$;
