-- Where each metric value came from (a published return, a local report, this
-- service's weekly feed), as typed on the page or given in an imported file.
-- Values recorded before this have none.
ALTER TABLE metric_value ADD COLUMN source text CHECK (source IS NULL OR btrim(source) <> '');
