-- The chief executive's weekly escalation summary (issue 5): each build
-- frozen as a new version, and its deliveries (outbox files, webhook POSTs)
-- with their retry state. Applies on 0001–0005 alone: the escalation
-- figures arrive already counted, inside the frozen model.

-- What the chief executives saw: the model and both renderings as built.
-- Never updated or deleted; rebuilding a week makes the next version.
CREATE TABLE ce_summary (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    week_start  date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
    version     integer NOT NULL CHECK (version > 0),
    built_at    timestamptz NOT NULL DEFAULT now(),
    built_by    text NOT NULL CHECK (btrim(built_by) <> ''),
    model       jsonb NOT NULL,
    html        text NOT NULL,
    markdown    text NOT NULL,
    UNIQUE (week_start, version)
);

CREATE TRIGGER ce_summary_append_only
    BEFORE UPDATE OR DELETE ON ce_summary
    FOR EACH ROW EXECUTE FUNCTION plan_refuse_rewrite();

-- One row per summary version and destination. 'pending' rows are retried
-- with back-off (next_attempt_at) until delivered or out of attempts
-- ('failed'); the last error is kept so a failure is visible on /summary.
CREATE TABLE ce_summary_delivery (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    summary_id       bigint NOT NULL REFERENCES ce_summary (id),
    channel          text NOT NULL CHECK (channel IN ('outbox', 'webhook')),
    target           text NOT NULL CHECK (target <> ''),
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (summary_id, channel, target)
);
CREATE INDEX ce_summary_delivery_due ON ce_summary_delivery (next_attempt_at) WHERE status = 'pending';
