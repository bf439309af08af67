-- "Each site's latest current list of the week", defined once. A site that
-- sends two lists in one week (say Monday and Wednesday) counts once: its
-- latest list; of two lists of the same date, the later import. The weekly
-- counts, the trend refresh and the chief executive summary all read this.
CREATE VIEW site_week_list AS
SELECT DISTINCT ON (site_id, date_trunc('week', snapshot_date))
       date_trunc('week', snapshot_date)::date AS week_start,
       site_id, id AS snapshot_id, import_id, snapshot_date, list_kind,
       patients, stranded, super_stranded, under_seven
FROM snapshot
WHERE superseded_by_import IS NULL
ORDER BY site_id, date_trunc('week', snapshot_date), snapshot_date DESC, id DESC;

CREATE OR REPLACE VIEW weekly_stranded_counts AS
SELECT week_start, sum(stranded)::bigint AS stranded, sum(super_stranded)::bigint AS super_stranded
FROM site_week_list
GROUP BY week_start;
