-- Red and green days (Red2Green, DESIGN.md §3): each day's board round marks
-- every inpatient's day red or green, with a reason when red.
--
-- Keyed by the stay (site, patient key, admission date), the same triple as
-- patient_case, not by case: a board round marks every patient on the ward,
-- including those not yet stranded, and their early red days count once the
-- stay becomes a case. The reason codes are the configured policy's, so they
-- are not listed here.
CREATE TABLE board_round_day (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id         bigint NOT NULL REFERENCES site (id),
    ward_id         bigint NOT NULL REFERENCES ward (id),
    patient_key     text NOT NULL,
    admission_date  date NOT NULL,
    day             date NOT NULL CHECK (day >= admission_date),
    status          text NOT NULL CHECK (status IN ('red', 'green')),
    reason          text CHECK (reason IS NULL OR btrim(reason) <> ''),
    source          text NOT NULL CHECK (source IN ('page', 'api', 'import', 'demo')),
    recorded_by     text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    -- A green day has no red reason.
    CHECK (status = 'red' OR reason IS NULL),
    UNIQUE (site_id, patient_key, admission_date, day)
);
-- A ward's board round for a date, and red bed-days by ward and week.
CREATE INDEX board_round_day_ward_day ON board_round_day (ward_id, day);
