-- Trend series (issue 6): weekly figures kept current as lists are accepted
-- and forms saved, so a trend query reads a few summary rows per week instead
-- of rescanning every list row. `stranded trends rebuild` recomputes them all
-- from the raw tables (Sources/Store/Trends/TrendStore.swift).
--
-- A week is Monday–Sunday (date_trunc('week')); a site's figures for a week
-- come from its latest current list dated in that week, as in
-- weekly_stranded_counts.

-- The truth, per ward and week: organisation, site and system figures are sums.
CREATE TABLE trend_ward_week (
    week_start          date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
    ward_id             bigint NOT NULL REFERENCES ward (id),
    site_id             bigint NOT NULL REFERENCES site (id),
    -- The list the stock figures come from; NULL when the ward had only flows
    -- that week (a discharge noticed on a list of the week that no longer names it).
    snapshot_date       date,
    los_7               integer NOT NULL DEFAULT 0,
    los_14              integer NOT NULL DEFAULT 0,
    los_21              integer NOT NULL DEFAULT 0,
    los_50              integer NOT NULL DEFAULT 0,
    los_100             integer NOT NULL DEFAULT 0,
    -- Cases (stays reaching LoS 7) opened in the week, on the ward of the list that opened them.
    newly_stranded      integer NOT NULL DEFAULT 0,
    -- Cases closed as discharged in the week, on the ward they were last seen on.
    stranded_discharged integer NOT NULL DEFAULT 0,
    -- Bed days in the 7 days up to the list date on which a listed patient was
    -- stranded: least(7, LoS − 6) per patient at LoS ≥ 7.
    stranded_bed_days   integer NOT NULL DEFAULT 0,
    -- Full census lists only (NULL for long-stay lists): every inpatient, and those under 7 days.
    inpatients          integer,
    under_seven         integer,
    -- Stranded patients per LoS day: los_hist[i] = patients at LoS 6 + i, so
    -- medians and 90th percentiles of any sum of wards are exact.
    los_hist            integer[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (week_start, ward_id)
);
CREATE INDEX trend_ward_week_site ON trend_ward_week (site_id, week_start);

-- Sums of trend_ward_week kept beside it so a five-year system or site series
-- reads one row per week: scope 'site' (site_id set) and 'system' (site_id 0,
-- one row per setting). Organisation series sum the site rows.
CREATE TABLE trend_rollup_week (
    week_start          date NOT NULL,
    scope               text NOT NULL CHECK (scope IN ('site', 'system')),
    site_id             bigint NOT NULL,
    setting             text NOT NULL CHECK (setting IN ('acute', 'community')),
    los_7               integer NOT NULL,
    los_14              integer NOT NULL,
    los_21              integer NOT NULL,
    los_50              integer NOT NULL,
    los_100             integer NOT NULL,
    newly_stranded      integer NOT NULL,
    stranded_discharged integer NOT NULL,
    stranded_bed_days   integer NOT NULL,
    inpatients          integer,
    under_seven         integer,
    los_hist            integer[] NOT NULL,
    PRIMARY KEY (scope, site_id, setting, week_start)
);
CREATE INDEX trend_rollup_week_week ON trend_rollup_week (week_start);

-- Level 1 review figures per ward and week, refreshed when a week is opened
-- or a form saved.
CREATE TABLE trend_review_week (
    week_start          date NOT NULL,
    ward_id             bigint NOT NULL REFERENCES ward (id),
    site_id             bigint NOT NULL REFERENCES site (id),
    -- Forms of patients still in hospital (a discharged patient's form is not due).
    forms_due           integer NOT NULL,
    -- Completed (or escalated) by the Level 1 deadline of the week.
    on_time             integer NOT NULL,
    completed           integer NOT NULL,
    -- Forms whose day status was recorded red.
    red_days            integer NOT NULL,
    PRIMARY KEY (week_start, ward_id)
);
CREATE INDEX trend_review_week_site ON trend_review_week (site_id, week_start);

-- Delay reasons given on the week's forms that are due: patients per reason
-- code (any of their reasons) and per primary reason. Category and agency
-- come from the taxonomy when reported.
CREATE TABLE trend_review_reason (
    week_start          date NOT NULL,
    ward_id             bigint NOT NULL REFERENCES ward (id),
    site_id             bigint NOT NULL REFERENCES site (id),
    reason_code         text NOT NULL,
    patients            integer NOT NULL,
    primary_patients    integer NOT NULL,
    PRIMARY KEY (week_start, ward_id, reason_code)
);
CREATE INDEX trend_review_reason_site ON trend_review_reason (site_id, week_start);

-- Weeks whose review figures must be recomputed before they are next read:
-- opening a week (tens of thousands of forms nationally) only marks it here,
-- so the week opening stays fast; a form save refreshes its ward's week at once.
CREATE TABLE trend_review_stale (
    week_start          date PRIMARY KEY
);

-- Newly stranded and discharged counts read cases by site and date.
CREATE INDEX patient_case_site_opened ON patient_case (site_id, opened_on);
CREATE INDEX patient_case_site_discharged ON patient_case (site_id, discharged_on) WHERE status = 'discharged';

-- Element-wise sum of LoS histograms (arrays of different lengths: the
-- missing tail counts as 0), for summing wards into sites, sites into systems.
CREATE FUNCTION trend_hist_add(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(array_agg(COALESCE(a[i], 0) + COALESCE(b[i], 0) ORDER BY i), '{}')
    FROM generate_series(1, greatest(cardinality(a), cardinality(b))) AS i
$$;
CREATE AGGREGATE trend_hist_sum(integer[]) (SFUNC = trend_hist_add, STYPE = integer[], INITCOND = '{}');
-- Concatenation of arrays in order, for building a ward's histogram from its
-- LoS days with the zeros between them.
CREATE AGGREGATE trend_array_cat(integer[]) (SFUNC = array_cat, STYPE = integer[], INITCOND = '{}');
