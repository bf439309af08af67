-- The figure a plan's board agreed as a metric's target, set by plan editors
-- on the metrics page (audited in plan_change). NULL: the evaluation
-- framework's own target, if it states one, applies.
ALTER TABLE evaluation_metric ADD COLUMN target_value double precision
    CHECK (target_value IS NULL OR target_value NOT IN ('NaN', 'Infinity', '-Infinity'));
