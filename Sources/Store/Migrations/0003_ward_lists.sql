-- Weekly ward lists, the snapshots they create per site, and the cases and
-- journeys derived from them. See Schema/ward-list.md.

-- Every file that reached the service, whatever its verdict, with its report.
CREATE TABLE import_file (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at     timestamptz NOT NULL DEFAULT now(),
    source          text NOT NULL CHECK (source IN ('cli', 'api', 'inbox', 'demo')),
    file_name       text,
    -- SHA-256 of the content (BOM removed, CRLF as LF); 'pending:…' while importing.
    fingerprint     text NOT NULL,
    byte_count      bigint NOT NULL,
    snapshot_date   date,
    verdict         text NOT NULL CHECK (verdict IN ('accepted', 'duplicate', 'rejected')),
    data_rows       integer NOT NULL DEFAULT 0,
    imported_rows   integer NOT NULL DEFAULT 0,
    invalid_rows    integer NOT NULL DEFAULT 0,
    warning_count   integer NOT NULL DEFAULT 0,
    duplicate_of    bigint REFERENCES import_file (id),
    report          jsonb NOT NULL DEFAULT '{}'
);
-- The same content is accepted once; a concurrent second import of it fails here.
CREATE UNIQUE INDEX import_file_accepted_once ON import_file (fingerprint) WHERE verdict = 'accepted';
CREATE INDEX import_file_recent ON import_file (received_at DESC);

-- One site's list for one date, from one import. A later file for the same
-- site and date supersedes it; the earlier stays on record.
CREATE TABLE snapshot (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    import_id               bigint NOT NULL REFERENCES import_file (id),
    site_id                 bigint NOT NULL REFERENCES site (id),
    snapshot_date           date NOT NULL,
    list_kind               text NOT NULL CHECK (list_kind IN ('census', 'long-stay')),
    patients                integer NOT NULL,
    stranded                integer NOT NULL,
    super_stranded          integer NOT NULL,
    under_seven             integer NOT NULL,
    superseded_by_import    bigint REFERENCES import_file (id),
    UNIQUE (import_id, site_id)
);
CREATE UNIQUE INDEX snapshot_current ON snapshot (site_id, snapshot_date) WHERE superseded_by_import IS NULL;

-- The rows of every accepted list. Written by COPY, so deliberately light:
-- no foreign keys (the importer writes them in the same transaction as the
-- snapshot) and one index.
CREATE TABLE list_row (
    import_id               bigint NOT NULL,
    site_id                 bigint NOT NULL,
    line_no                 integer NOT NULL,
    ward_code               text NOT NULL,
    patient_key             text NOT NULL,
    nhs_number              text,
    local_patient_id        text,
    admission_date          date NOT NULL,
    los                     integer NOT NULL,
    spell_id                text,
    family_name             text,
    given_name              text,
    date_of_birth           date,
    age                     integer,
    admission_method        text,
    specialty               text,
    setting                 text NOT NULL,
    discharge_ready_date    date,
    expected_discharge_date date,
    discharge_pathway       smallint,
    delay_reason            text,
    PRIMARY KEY (import_id, site_id, line_no)
);

-- A patient's time in hospital across sites, keyed by NHS number.
CREATE TABLE journey (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nhs_number  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One hospital stay that reached LoS ≥ 7 (DESIGN.md §3).
CREATE TABLE patient_case (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id             bigint NOT NULL REFERENCES site (id),
    patient_key         text NOT NULL,
    admission_date      date NOT NULL,
    nhs_number          text,
    journey_id          bigint REFERENCES journey (id),
    opened_on           date NOT NULL,
    last_seen_on        date NOT NULL,
    last_ward_id        bigint NOT NULL REFERENCES ward (id),
    last_los            integer NOT NULL,
    status              text NOT NULL CHECK (status IN ('open', 'discharged', 'withdrawn')),
    discharged_on       date,
    final_los           integer,
    -- Why an absent patient's case was not closed (quarantined row, whole ward missing).
    held_open_reason    text,
    UNIQUE (site_id, patient_key, admission_date)
);
CREATE INDEX patient_case_open_by_site ON patient_case (site_id) WHERE status = 'open';
CREATE INDEX patient_case_journey ON patient_case (journey_id);
CREATE INDEX patient_case_unlinked ON patient_case (site_id) WHERE journey_id IS NULL AND nhs_number IS NOT NULL;

-- Weekly counts for trends and the plan's evaluation metric (issue 7).
CREATE VIEW weekly_stranded_counts AS
SELECT date_trunc('week', snapshot_date)::date AS week_start,
       sum(stranded)::bigint AS stranded,
       sum(super_stranded)::bigint AS super_stranded
FROM snapshot
WHERE superseded_by_import IS NULL
GROUP BY 1;
