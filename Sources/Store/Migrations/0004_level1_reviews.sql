-- Level 1 ward reviews (issue 4): one form per case per review week,
-- pre-filled when the week is opened, saved with optimistic concurrency.

CREATE TABLE level1_form (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES patient_case (id),
    -- The Monday of the review week (Europe/London calendar).
    week_start      date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
    -- Where the patient was on the week's list the form was opened from.
    ward_id         bigint NOT NULL REFERENCES ward (id),
    snapshot_date   date NOT NULL,
    source_import   bigint NOT NULL REFERENCES import_file (id),
    source_line     integer NOT NULL,
    los             integer NOT NULL,
    -- The Level1Review as JSON, and the draft it was pre-filled with (so an
    -- untouched carried-forward draft still counts as not started). The
    -- pre-filled draft is kept in `review` until the first save, which moves
    -- it here: NULL means "never saved, review is the pre-filled draft", so
    -- opening a week writes each draft once.
    review          jsonb NOT NULL,
    prefill         jsonb,
    status          text NOT NULL DEFAULT 'not-started'
                    CHECK (status IN ('not-started', 'in-progress', 'complete', 'escalated', 'discharged')),
    -- The patient left hospital during the week: the form is kept, no review is due.
    discharged      boolean NOT NULL DEFAULT false,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text,
    completed_at    timestamptz,
    UNIQUE (case_id, week_start)
);
CREATE INDEX level1_form_ward_week ON level1_form (ward_id, week_start);
CREATE INDEX level1_form_week ON level1_form (week_start);

-- Every saved version of every form, append-only: who saved what, when.
CREATE TABLE level1_form_version (
    form_id     bigint NOT NULL REFERENCES level1_form (id),
    version     integer NOT NULL,
    review      jsonb NOT NULL,
    status      text NOT NULL,
    saved_at    timestamptz NOT NULL DEFAULT now(),
    saved_by    text,
    PRIMARY KEY (form_id, version)
);
