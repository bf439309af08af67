-- A ward that asks for Level 2 after the Level 1 deadline (by completing or
-- changing its form late) still reaches a meeting; the hit that brought it is
-- marked so the agenda can say the case arrived late rather than at the deadline.
ALTER TABLE escalation_rule_hit ADD COLUMN late boolean NOT NULL DEFAULT false;
