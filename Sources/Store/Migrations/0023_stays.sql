-- Hospital stays (DESIGN.md "Stays and the aim"): one row per stay at a
-- site, from admission to discharge or transfer out of the site. The aim
-- (acute admissions moved on within 0-6 days) is measured on these, never on
-- the weekly census, which cannot see a stay that began and ended between lists.
--
-- Keyed like patient_case and board_round_day by (site, patient key,
-- admission date), so a stays extract and, later, a hospital feed (HL7 v2 ADT
-- or FHIR Encounter) write the same stay rather than two: `source` says which
-- wrote it last and `source_reference` keeps the feed's own id (a spell or
-- Encounter id) to match its updates. The ward is the site's code as sent,
-- not a reference: admissions wards often send no list of their own.
CREATE TABLE stay (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id           bigint NOT NULL REFERENCES site (id),
    ward_code         text NOT NULL CHECK (btrim(ward_code) <> ''),
    patient_key       text NOT NULL,
    admission_date    date NOT NULL,
    ended_on          date CHECK (ended_on >= admission_date),
    destination       text CHECK (destination IN ('usual-residence', 'care-home', 'community-bed', 'hospice', 'other-acute', 'died', 'other')),
    source            text NOT NULL CHECK (source IN ('import', 'feed', 'demo')),
    source_reference  text,
    recorded_by       text NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    -- A destination is where an ended stay went.
    CHECK (destination IS NULL OR ended_on IS NOT NULL),
    UNIQUE (site_id, patient_key, admission_date)
);
-- The aim counts admissions by site and week.
CREATE INDEX stay_site_admission ON stay (site_id, admission_date);
