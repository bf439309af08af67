-- The plan tracker (issue 7): a system action plan, its people, priorities,
-- key actions and sub-actions, the append-only progress history, the tasks
-- handed over at closure, the evaluation metrics with their values, and the
-- audit trail of every edit (plan_change).
--
-- Status is stored because people set it; the RAG rating is never stored:
-- it is computed from status, due date, notes and today (StrandedCore RAGPolicy).
-- Due dates keep the text as written (what the board agreed) beside the date
-- parsed from it (the latest date the text names; NULL when it names none).

CREATE TABLE plan (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title            text NOT NULL UNIQUE CHECK (title <> ''),
    owner            text NOT NULL,
    start_date       date NOT NULL,
    start_date_text  text,
    duration_months  integer NOT NULL CHECK (duration_months > 0),
    status           text NOT NULL CHECK (status IN ('active', 'closed')),
    closed_on        date,
    format_version   integer NOT NULL,
    imported_at      timestamptz NOT NULL DEFAULT now(),
    imported_by      text NOT NULL
);

-- The key to initials. Named plan_person, not person, because the people of
-- a plan's key are not users of this service (access control owns those).
CREATE TABLE plan_person (
    plan_id       bigint NOT NULL REFERENCES plan (id),
    initials      text NOT NULL CHECK (initials ~ '^[A-Z][A-Za-z]{0,3}$'),
    position      integer NOT NULL,
    name          text NOT NULL CHECK (name <> ''),
    role          text NOT NULL,
    organisation  text NOT NULL,
    PRIMARY KEY (plan_id, initials)
);

CREATE TABLE priority (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id         bigint NOT NULL REFERENCES plan (id),
    letter          text NOT NULL CHECK (letter ~ '^[A-Z]$'),
    position        integer NOT NULL,
    category        text NOT NULL CHECK (category IN ('strategic', 'operational', 'engagement')),
    title           text NOT NULL,
    priority_text   text NOT NULL,
    finding         text NOT NULL,
    recommendation  text NOT NULL,
    UNIQUE (plan_id, letter)
);

CREATE TABLE key_action (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    priority_id  bigint NOT NULL REFERENCES priority (id),
    plan_id      bigint NOT NULL REFERENCES plan (id),
    code         text NOT NULL CHECK (code ~ '^[A-Z][0-9]+$'),
    position     integer NOT NULL,
    text         text NOT NULL,
    due_text     text CHECK (due_text <> ''),
    due_date     date,
    status       text NOT NULL CHECK (status IN ('notStarted', 'inProgress', 'complete', 'outstandingAtClosure', 'handedOver')),
    UNIQUE (plan_id, code),
    CHECK (due_text IS NOT NULL OR due_date IS NULL)
);
CREATE INDEX key_action_priority_idx ON key_action (priority_id);

CREATE TABLE sub_action (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_action_id  bigint NOT NULL REFERENCES key_action (id),
    numeral        text NOT NULL CHECK (numeral ~ '^[ivxlcdm]+$'),
    position       integer NOT NULL,
    text           text NOT NULL,
    due_text       text CHECK (due_text <> ''),
    due_date       date,
    UNIQUE (key_action_id, numeral),
    CHECK (due_text IS NOT NULL OR due_date IS NULL)
);

-- Owners as the plan writes them: initials from plan_person or free text
-- (a board, or a person outside the key). For a sub-action, no rows for a
-- role means the key action's owners apply.
CREATE TABLE action_owner (
    key_action_id  bigint REFERENCES key_action (id),
    sub_action_id  bigint REFERENCES sub_action (id),
    role           text NOT NULL CHECK (role IN ('accountable', 'responsible')),
    position       integer NOT NULL,
    owner          text NOT NULL CHECK (owner <> ''),
    CHECK ((key_action_id IS NULL) <> (sub_action_id IS NULL))
);
CREATE UNIQUE INDEX action_owner_key_idx ON action_owner (key_action_id, role, position) WHERE key_action_id IS NOT NULL;
CREATE UNIQUE INDEX action_owner_sub_idx ON action_owner (sub_action_id, role, position) WHERE sub_action_id IS NOT NULL;

-- The progress history: append-only. Notes transcribed from a source carry
-- no date or author; notes recorded through the tracker carry both.
CREATE TABLE progress_note (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_action_id  bigint REFERENCES key_action (id),
    sub_action_id  bigint REFERENCES sub_action (id),
    note_date      date,
    author         text,
    text           text NOT NULL CHECK (btrim(text) <> ''),
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((key_action_id IS NULL) <> (sub_action_id IS NULL))
);
CREATE INDEX progress_note_key_idx ON progress_note (key_action_id, id);
CREATE INDEX progress_note_sub_idx ON progress_note (sub_action_id, id);

-- Key actions the closure report lists as delivered (text plus sub-points).
CREATE TABLE delivered_item (
    priority_id  bigint NOT NULL REFERENCES priority (id),
    position     integer NOT NULL,
    text         text NOT NULL,
    details      jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (priority_id, position)
);

-- Closure: each unfinished task, its new owners, why, how it will be
-- reported and the governance stream that takes it over.
CREATE TABLE outstanding_task (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    priority_id        bigint NOT NULL REFERENCES priority (id),
    position           integer NOT NULL,
    task               text NOT NULL CHECK (task <> ''),
    rationale          text NOT NULL,
    future_reporting   text,
    governance_stream  text NOT NULL CHECK (governance_stream <> ''),
    UNIQUE (priority_id, position)
);

CREATE TABLE outstanding_task_owner (
    outstanding_task_id  bigint NOT NULL REFERENCES outstanding_task (id),
    position             integer NOT NULL,
    owner                text NOT NULL CHECK (owner <> ''),
    PRIMARY KEY (outstanding_task_id, position)
);

-- Which key actions a handed-over task continues.
CREATE TABLE outstanding_task_action (
    outstanding_task_id  bigint NOT NULL REFERENCES outstanding_task (id),
    key_action_id        bigint NOT NULL REFERENCES key_action (id),
    position             integer NOT NULL,
    PRIMARY KEY (outstanding_task_id, key_action_id)
);

CREATE TABLE evaluation_metric (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id     bigint NOT NULL REFERENCES plan (id),
    key         text NOT NULL CHECK (key <> ''),
    position    integer NOT NULL,
    name        text NOT NULL,
    definition  text NOT NULL,
    unit        text NOT NULL,
    direction   text NOT NULL CHECK (direction IN ('higherIsBetter', 'lowerIsBetter')),
    source      text NOT NULL,
    target      text,
    UNIQUE (plan_id, key)
);

-- The actions a metric evaluates.
CREATE TABLE metric_action (
    metric_id      bigint NOT NULL REFERENCES evaluation_metric (id),
    key_action_id  bigint NOT NULL REFERENCES key_action (id),
    position       integer NOT NULL,
    PRIMARY KEY (metric_id, key_action_id)
);

-- Values entered by hand (the stranded counts are read live from the weekly
-- lists instead, see PlanRepository.liveMetricSeries). One value per period.
CREATE TABLE metric_value (
    metric_id    bigint NOT NULL REFERENCES evaluation_metric (id),
    period       date NOT NULL,
    value        double precision NOT NULL CHECK (value NOT IN ('NaN', 'Infinity', '-Infinity')),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  text NOT NULL,
    PRIMARY KEY (metric_id, period)
);

-- The audit trail of every edit: who (free text until access control
-- exists), when (database clock), which entity and field, before -> after.
CREATE TABLE plan_change (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id     bigint NOT NULL REFERENCES plan (id),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text NOT NULL CHECK (btrim(changed_by) <> ''),
    entity      text NOT NULL,
    entity_key  text NOT NULL,
    field       text NOT NULL,
    before      jsonb,
    after       jsonb
);
CREATE INDEX plan_change_entity_idx ON plan_change (plan_id, entity, entity_key, id);

-- History is append-only: no code path updates or deletes these rows, and the
-- database refuses it too, so a bug or a hand-typed statement cannot rewrite
-- what was recorded.
CREATE FUNCTION plan_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'record a new entry instead of changing or removing an old one';
END;
$$;

CREATE TRIGGER progress_note_append_only
    BEFORE UPDATE OR DELETE ON progress_note
    FOR EACH ROW EXECUTE FUNCTION plan_refuse_rewrite();

CREATE TRIGGER plan_change_append_only
    BEFORE UPDATE OR DELETE ON plan_change
    FOR EACH ROW EXECUTE FUNCTION plan_refuse_rewrite();
