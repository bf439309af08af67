-- The prevention themes a plan action sets out to reduce. Its page charts
-- each theme's weekly count as the action's outcome: did the action reduce
-- the cause? Theme codes belong to the configured taxonomy (part of the
-- service's policy, not a table), so they are kept as text; a code no longer
-- configured is still shown, under its code.
CREATE TABLE key_action_theme (
    key_action_id  bigint NOT NULL REFERENCES key_action (id),
    theme_code     text NOT NULL CHECK (btrim(theme_code) <> ''),
    linked_at      timestamptz NOT NULL DEFAULT now(),
    linked_by      text NOT NULL CHECK (btrim(linked_by) <> ''),
    PRIMARY KEY (key_action_id, theme_code)
);
CREATE INDEX key_action_theme_code_idx ON key_action_theme (theme_code);
