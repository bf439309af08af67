-- A site that sends two lists in one week (say Monday and Wednesday) must be
-- counted once: take each site's latest current list of the week.
CREATE OR REPLACE VIEW weekly_stranded_counts AS
SELECT week_start,
       sum(stranded)::bigint AS stranded,
       sum(super_stranded)::bigint AS super_stranded
FROM (
    SELECT DISTINCT ON (site_id, date_trunc('week', snapshot_date))
           date_trunc('week', snapshot_date)::date AS week_start, stranded, super_stranded
    FROM snapshot
    WHERE superseded_by_import IS NULL
    ORDER BY site_id, date_trunc('week', snapshot_date), snapshot_date DESC
) AS latest_per_site
GROUP BY week_start;
