-- A case's key, (site, patient, admission date), indexed in the order the
-- weeks write it: site, admission date, patient.
--
-- Each week a national list opens ~13,500 cases and discharges ~13,600
-- (a discharge changes the status, so its new row version needs a new entry
-- in every index). Keyed by patient first, those entries fell on pages all
-- over the index, whose size grows with every week of history: by the end of
-- a simulated year the import's case statements dirtied ~9,300 and ~2,200
-- pages, against ~1,100 and ~460 in its first weeks, and after each
-- checkpoint every page dirtied is written whole to the WAL once more. So the
-- import slowed as the history grew. By admission date, a new case's entry
-- lands at the end of its site's range (it was admitted in the last week or
-- two), and a discharge's among the site's recent months: the pages written
-- follow the week, not the history.
--
-- Every look-up by the key gives all three columns (the import's upsert and
-- its conflict target, the opening, the red-day and trend joins), which any
-- column order serves; a scan by site alone still has the site first.
ALTER TABLE patient_case
    DROP CONSTRAINT patient_case_site_id_patient_key_admission_date_key,
    ADD CONSTRAINT patient_case_stay_key UNIQUE (site_id, admission_date, patient_key);
