-- Escalation (issue 5): cases the ward could not unblock go to the weekly
-- Level 2 multi-agency meeting and on to the chief executive call; the
-- weekly scheduler's job runs; frozen Level 2 agendas; what the meetings
-- recorded. Rules: DESIGN.md §3.

-- One stay at one level. A case has at most one open escalation per level
-- (the partial unique index), so re-running a deadline cannot escalate twice;
-- each week's rules that fired are appended to it as hits.
CREATE TABLE escalation (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES patient_case (id),
    level           text NOT NULL CHECK (level IN ('level2', 'ce-call')),
    opened_week     date NOT NULL CHECK (extract(isodow FROM opened_week) = 1),
    opened_at       timestamptz NOT NULL DEFAULT now(),
    opened_by       text NOT NULL DEFAULT 'scheduler',
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'closed-discharged')),
    closed_week     date CHECK (closed_week IS NULL OR extract(isodow FROM closed_week) = 1),
    closed_at       timestamptz,
    closed_by       text,
    outcome         text,
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE UNIQUE INDEX escalation_one_open_per_level ON escalation (case_id, level) WHERE status = 'open';
CREATE INDEX escalation_case ON escalation (case_id);
CREATE INDEX escalation_opened_week ON escalation (opened_week);

-- Every rule that fired, each week, for an escalation: all of them are shown.
-- `snapshot` is the CaseSnapshot the rules were evaluated on, so "why was
-- this case escalated" can be answered later from what the rules saw.
CREATE TABLE escalation_rule_hit (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    escalation_id   bigint NOT NULL REFERENCES escalation (id),
    rule_id         text NOT NULL,
    week            date NOT NULL CHECK (extract(isodow FROM week) = 1),
    reason          text NOT NULL,
    fired_at        timestamptz NOT NULL DEFAULT now(),
    snapshot        jsonb,
    UNIQUE (escalation_id, rule_id, week)
);
CREATE INDEX escalation_rule_hit_week ON escalation_rule_hit (week);

-- The scheduler's record: one row per job and week. Together with a
-- transaction-level advisory lock on (job, week) it makes a job run once
-- across replicas; a failure keeps the row with its error and when to retry.
CREATE TABLE cycle_job_run (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job             text NOT NULL CHECK (job IN ('open-week', 'level1-deadline', 'level2-agenda', 'ce-summary')),
    week            date NOT NULL CHECK (extract(isodow FROM week) = 1),
    status          text NOT NULL CHECK (status IN ('succeeded', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    result          text,
    first_started_at timestamptz NOT NULL DEFAULT now(),
    last_started_at timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    next_attempt_at timestamptz,
    runner          text NOT NULL,
    trigger         text NOT NULL DEFAULT 'schedule' CHECK (trigger IN ('schedule', 'manual')),
    UNIQUE (job, week)
);

-- A Level 2 agenda as built: frozen, never updated; each build a new version.
CREATE TABLE level2_agenda (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    week            date NOT NULL CHECK (extract(isodow FROM week) = 1),
    version         integer NOT NULL CHECK (version >= 1),
    built_at        timestamptz NOT NULL DEFAULT now(),
    built_by        text NOT NULL,
    case_ids        bigint[] NOT NULL DEFAULT '{}',
    content         jsonb NOT NULL,
    UNIQUE (week, version)
);

-- What Level 2 recorded for a case at a week's meeting (one row per case and
-- week, updated as the meeting goes; every recording is also in the history
-- table below).
CREATE TABLE level2_case_record (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES patient_case (id),
    escalation_id   bigint NOT NULL REFERENCES escalation (id),
    week            date NOT NULL CHECK (extract(isodow FROM week) = 1),
    decision        text CHECK (decision IN ('resolved-at-level2', 'keep-at-level2', 'refer-to-ce')),
    ask             text,
    notes           text,
    recorded_by     text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (decision IS DISTINCT FROM 'refer-to-ce' OR coalesce(btrim(ask), '') <> ''),
    UNIQUE (case_id, week)
);

CREATE TABLE level2_case_record_history (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id       bigint NOT NULL REFERENCES level2_case_record (id),
    decision        text,
    ask             text,
    notes           text,
    recorded_by     text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);

-- Actions Level 2 agreed for a case.
CREATE TABLE level2_action (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES patient_case (id),
    week            date NOT NULL CHECK (extract(isodow FROM week) = 1),
    description     text NOT NULL CHECK (btrim(description) <> ''),
    agency          text NOT NULL CHECK (agency IN ('nhs', 'social-care', 'both', 'other')),
    owner           text NOT NULL CHECK (btrim(owner) <> ''),
    due_date        date NOT NULL,
    recorded_by     text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX level2_action_case ON level2_action (case_id, week);

-- Who was at a week's Level 2 meeting.
CREATE TABLE level2_attendance (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    week            date NOT NULL CHECK (extract(isodow FROM week) = 1),
    name            text NOT NULL CHECK (btrim(name) <> ''),
    role            text NOT NULL DEFAULT '',
    agency          text NOT NULL CHECK (agency IN ('nhs', 'social-care', 'both', 'other')),
    present         boolean NOT NULL DEFAULT true,
    recorded_by     text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX level2_attendance_once ON level2_attendance (week, lower(btrim(name)));

-- Decisions at the chief executive call.
CREATE TABLE ce_decision (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES patient_case (id),
    escalation_id   bigint NOT NULL REFERENCES escalation (id),
    week            date NOT NULL CHECK (extract(isodow FROM week) = 1),
    decision        text NOT NULL CHECK (decision IN ('resolved', 'keep-at-ce', 'return-to-level2')),
    notes           text NOT NULL DEFAULT '',
    recorded_by     text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ce_decision_week ON ce_decision (week);

-- A case closed as discharged (by an import, which knows nothing of
-- escalations) closes its open escalations in the same transaction, with the
-- outcome; a case withdrawn by a corrected list likewise.
--
-- Statement-level and set-based: a weekly list closes thousands of cases at
-- once, and a row trigger would run a query for each. It reads the updated
-- rows from the transition table, not from patient_case: when one query
-- updates patient_case in two CTEs (as the import's closing step does), a
-- statement trigger reading the table itself does not see the other CTE's
-- changes, while the transition table holds them all.
CREATE FUNCTION escalation_close_on_discharge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE escalation e SET
        status = 'closed-discharged',
        closed_at = now(),
        closed_by = 'ward list',
        closed_week = date_trunc('week', COALESCE(c.discharged_on, current_date))::date,
        outcome = CASE WHEN c.status = 'discharged'
                       THEN 'Patient discharged on ' || to_char(c.discharged_on, 'YYYY-MM-DD') || ' (absent from the ward list)'
                       ELSE 'Case withdrawn: a corrected ward list no longer shows the stay' END
    FROM updated_cases c
    WHERE e.status = 'open' AND c.id = e.case_id AND c.status IN ('discharged', 'withdrawn');
    RETURN NULL;
END;
$$;

CREATE TRIGGER patient_case_closes_escalations
    AFTER UPDATE ON patient_case
    REFERENCING NEW TABLE AS updated_cases
    FOR EACH STATEMENT
    EXECUTE FUNCTION escalation_close_on_discharge();
