-- The weekly import's case writes, made lighter. A national list opens
-- ~13,500 cases, discharges ~13,600 and carries ~14,800 on every week; each
-- new case, each discharge (its status changes, so it can never be a "HOT"
-- update) and each carried case whose page is full writes an entry into
-- every index of patient_case. Measured with EXPLAIN (ANALYZE, BUFFERS, WAL)
-- on week 6 of the import benchmark.
--
-- 1. patient_case_journey goes. It was the index behind the foreign key to
--    journey, which 0010 dropped (journeys are never deleted), and no query
--    looks cases up by journey: journeys are linked by NHS number. Without
--    it the case upsert touched 12% fewer buffers and the discharges 16%.
DROP INDEX patient_case_journey;

-- 2. More room on each new page for the carried cases' weekly update (last
--    seen, ward, LoS), so that it stays on the page and skips the indexes.
--    At 80% (0010) about 60% of those updates did: a page takes a week's new
--    cases, about half of them are carried the next week, and 20% of a page
--    holds only a quarter of its rows again. At 60% they all fit (on week 6:
--    14,761 of 14,761 HOT, and the upsert's WAL records down 19%), for a
--    heap about a third larger. Applies to pages written from now on.
ALTER TABLE patient_case SET (fillfactor = 60);
