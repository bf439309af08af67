// Level 1 review benchmark, on an embedded PostgreSQL:
//
// 1. Opening a national week over a year: ~42,000 stranded cases a week
//    (150 sites × 1,000 beds, long-stay lists), 52 weeks ending this week.
//    Each week's list is imported, then its week opened on its own and timed
//    (forms pre-filled from last week's, which the benchmark completes, and
//    ~20,000 of last week's marked discharged), then VACUUM (ANALYZE) and a
//    CHECKPOINT, as the week between gives PostgreSQL in service. Printed:
//    each week's time and the database's CPU seconds for it (which move less
//    with the machine's load), p50/p90/p99/worst from an HdrHistogram, the
//    first weeks against the last, the no-op second opening, and beside them
//    the floor — the week's forms copied by one INSERT…SELECT into a bare
//    table — and a CPU-only machine control before and after.
//    Target: under 1 s every week, flat over the year.
// 2. The ward list page of a 60-patient ward under 50 concurrent keep-alive
//    clients on loopback (a wrk-like load generator in this process, one
//    thread per client), beside /health from the same server in the same
//    run. Targets: p99 under 50 ms, at least 2,000 requests/s.
// 3. The Level 1 form page of that ward's patients under the same load
//    (targets: p99 under 50 ms, at least 1,500 requests/s), and saving a
//    form (draft and complete in turn, each client its own form): one client
//    (target p95 under 30 ms) and one client per form up to 50 (target p99
//    under 100 ms). /health measured again at the end as the noise control.
//    Percentiles from an HdrHistogram.
//
//   swift build -c release --product stranded-review-bench
//   .build/release/stranded-review-bench [--weeks 52] [--pages 0] [--sites 150] [--beds 1000] [--clients 50] [--seconds 10] [--pool 10] [--bulk 2]
//
// --pages 0 stops after the year of openings (about 10 minutes on 2 cores).
// BENCH_KEEP_YEAR=<s> keeps the database after the year, BENCH_KEEP=<s>
// before the pages, for a look with psql.
//
// FIGURES (4 Dec 2026, 17:27, the same code, the machine at its quiet speed:
// control 32.6 ms before the year, 33.2 ms after; /health 23,135/s before
// the pages, 23,011/s after):
//   opening p50 0.666 s, p90 0.828 s, worst 0.939 s, 52 of 52 under 1 s;
//   database CPU p50 1.141 s; weeks 2–5 0.592 s, last 4 0.717 s, against
//   the reference's 0.105 s and 0.141 s (the opening grows less than a bare
//   INSERT…SELECT of the same forms); opening again 0.322 s; reference p50
//   0.152 s. Ward page 3,052/s, p99 23.4 ms; form page 1,866/s, p99
//   37.3 ms; saves single client p95 2.4 ms; 50 clients 1,090/s, p99
//   61.6 ms. Every target MET.
// FIGURES (4 Dec 2026, 17:03, release build, after migration 0050 (a case's
// key indexed by admission date; the opening's probe of it is by all three
// columns); control 42.2 ms before the year, 34.6 ms after):
//   52 weeks with the pages: opening p50 0.799 s, p90 0.944 s, worst 1.011 s
//   (week of 3 Aug), 51 of 52 under 1 s; database CPU p50 1.351 s; weeks
//   2–5 0.747 s, last 4 0.704 s (flat); opening again 0.307 s; reference
//   INSERT…SELECT p50 0.135 s. Pages (load average 4.8 with the clients):
//   /health 22,873/s before, 13,689/s after (the machine slowed by 40%
//   during the run); ward page 2,642/s, p99 28.3 ms; form page 1,197/s,
//   p99 65.7 ms; saves single client p95 4.5 ms; 50 clients 807/s, p99
//   86.8 ms. Targets: ward page and saves met; form page and opening < 1 s
//   NOT MET in this run (both were met, or nearly, in runs when the
//   machine held its speed: form page 1,615/s, p99 42.9 ms, below).
// FIGURES (4 Dec 2026, afternoon, release build, this 2-core machine alone
// but slower than in the morning: the machine control 33–54 ms where it was
// 33 ms, /health 15,000–23,000/s where it was 24,000/s):
//   A week opened in shares of its sites, a transaction each on connections
//   side by side (--bulk, the service's --bulk-connections): one statement
//   runs on one core. Back to back, 10 weeks, --pages 0 (machine control
//   33–42 ms): one connection p50 1.191 s, worst 2.386 s, database CPU p50
//   1.141 s; two p50 0.666 s, worst 0.856 s, database CPU p50 1.110 s (the
//   same work, on both cores). 14 weeks, control 47–54 ms: three p50
//   0.971 s, two p50 0.882 s: no more cores, no gain; the default stays 2.
//   52 weeks with the pages (load average 1.3 at the end; control 53.5 ms
//   before, 32.7 ms after): p50 0.890 s, p90 0.978 s, worst 1.079 s, 47 of
//   52 weeks under 1 s (weeks 6, 9, 17, 20, 33 at 1.005–1.079 s); database
//   CPU p50 1.491 s; weeks 2–5 0.788 s, last 4 0.702 s; opening again
//   0.289 s; reference INSERT…SELECT p50 0.154 s. Pages: /health 22,875/s;
//   ward page 2,978/s, p99 23.2 ms; form page 1,615/s, p99 42.9 ms; saves
//   single client p95 2.7 ms; 50 clients 937/s, p99 72.3 ms; /health
//   22,162/s after. Targets: pages and saves met; opening < 1 s every week
//   NOT MET (5 of 52 weeks over, by at most 8%).
// FIGURES (4 Dec 2026, 04:30, quiet machine apart from the benchmark itself;
// --weeks 2 --sites 20 --seconds 10, the release builds before (898023b,
// its resources beside it) and after run back to back):
//   Every request's session check cut to its core: it no longer carries the
//   last-seen touch (an UPDATE that ran, and cost, even with nothing due: a
//   remembered session is trusted for one touch interval, then read again
//   with the touch), and compares the user's access revision (0047, moved by
//   triggers) instead of an md5 of the user and an aggregate of their roles
//   (pgbench, 4 clients, load ~7: the old check 3,555/s, without the touch
//   7,574/s, the revision check 11,340/s; SELECT 1 ~14,600/s). Each set of
//   roles' menu worked out once, not eleven access decisions a page.
//     before: /health 14,148/s; ward page 1,314/s, p99 59.3 ms; form page
//     965/s, p99 78.8 ms; saves single client p95 4.3 ms; 50 clients 629/s,
//     p99 107.4 ms.
//     after (pool 10): /health 15,773/s; ward page 1,846/s, p99 40.6 ms;
//     form page 1,109/s, p99 69.7 ms; saves single client p95 4.6 ms;
//     50 clients 706/s, p99 96.1 ms.
//     after, pool 20 (--pool 20): /health 15,291/s; ward page 1,872/s, p99
//     46.7 ms; form page 1,068/s, p99 74.0 ms: no better, so the default
//     stays 10 (pgbench of the form page's statement had suggested the
//     synchronous commit of its audit row bounds 10 connections: 1,218/s at
//     10 clients, 1,650/s at 20, but the pages are CPU-bound first).
//   Where the ward page's time goes now (perf -a, 8 s of its load):
//   PostgreSQL 51% (executor start-up of the audited read's plan ~11%, its
//   run ~11%, the commit's WAL flush ~5%), the service and load generator 38%.
//   Targets: ward page p99 < 50 ms met, ≥ 2,000/s NOT MET (1,846/s); form
//   page NOT MET (1,109/s, p99 69.7 ms); saves met (single p95, 50-client p99).
// FIGURES (4 Dec 2026, just after midnight; quick runs, --weeks 2 --sites 20
// --seconds 10, the release builds before (ee66f30) and after run back to
// back, 2 cores shared with other people's builds, load average 6–11):
//   The form page's Mustache work cut where the profile put it (perf, before:
//   Mustache ~74% of the form page's own service time; of that, look-ups 38%,
//   section passes over the rows rendered ahead 26%, HTML escaping 18%):
//   - the rows rendered ahead (delay reasons, actions, themes) joined once
//     into one piece each (RenderedRows), pasted by one look-up each instead
//     of a section pass per row (~40 a page);
//   - the pages' HTML escaping (ScanningHTMLContentType, taken by layout and
//     the form's partials): text without <, >, &, " or ' returned as it is,
//     otherwise escaped by Character as Mustache does (the same bytes; a test
//     compares both), not a dictionary look-up per character.
//   CPU of the benchmark process and its PostgreSQL over 6 s of the form
//   page's load, per page (/tmp script reading /proc; the load generator's
//   share included), two pairs in alternating order:
//     before: 2.43 ms (626/s, p99 131.0 ms; /health 18,111/s), 1.90 ms
//     (764/s, p99 117.9 ms; /health 14,598/s); plain run: 817/s, p99 103.2 ms
//     (/health 15,881/s).
//     after: 1.49 ms (1,037/s, p99 83.4 ms; /health 16,273/s), 1.51 ms
//     (1,007/s, p99 84.5 ms; /health 16,395/s); plain run: 890/s, p99 88.2 ms
//     (/health 18,544/s).
//   Where it goes after (perf): Mustache ~67% of the form page's own service
//   time, now mostly its dynamic casts on each look-up (~0.2 ms a page of
//   ~1.5 ms of CPU); escaping ~3%. PostgreSQL, the session and the review's
//   JSON decode unchanged. Target (≥ 1,500/s, p99 < 50 ms) NOT MET.
// FIGURES (4 Dec 2026, 00:30, release build, 2 cores shared with other
// people's builds, load average 3 at the start to 28 at the end; before and
// after run at the same time, 12 weeks, each statement's time from the
// server's log: PGOPTIONS='-c log_min_duration_statement=0'):
//   The opening's ANALYZE samples the week column alone, 300 rows (0046),
//   not three columns' 3,000 rows: the statistics of ward and case are
//   autovacuum's. Its time per opening: before 8, 12, 8, 17, 17, 10, 18, 33,
//   78, 119, 106, 31 ms (growing with the table: its sample's pages are read
//   at random across it); after 1.2–2.8 ms (one 27 ms at load 28). Database
//   CPU per opening p50 1.571 s before, 1.351 s after (17.9 s and 17.3 s over
//   the 12: the load swamps the rest; two runs of one binary side by side,
//   load 4–9, gave p50 1.491 and 1.509 s). Plans checked after it (psql, 10
//   weeks): a ward's week by level1_form_week_ward, estimated 23 rows (53),
//   a week 39,598 (42,430), two weeks 74,797; the opening's own plan is fixed
//   by its LATERAL … OFFSET 0 and the disabled joins.
//   Where the rest goes (same logs, before): the main statement 1.07–3.7 s,
//   the discharged mark 0.31–1.6 s (20,000 updated forms), marking the week's
//   trend figures stale 0.05–0.17 ms (one row: nothing to gain there).
//   Target < 1 s and flat: NOT MET.
//   Found, not changed: opening a week again (no forms to create) reads the
//   whole (case_id, week_start) index for "no form yet this week" (an
//   index-only scan on its second column, 21,000 pages at 10 weeks), which
//   grows with the history; a new week is estimated at one row and read by
//   level1_form_week_ward instead. Reading this week's forms once with
//   heap columns (so no index-only scan) was tried in psql: at 5 weeks the
//   planner took a sequential scan instead, 0.54–0.56 s against 0.50–0.54 s;
//   not taken.
//   After 5 weeks, 120,682 of level1_form's 249,937 updates were HOT (the
//   benchmark's completions, ~400 B drafts becoming ~1 KB reviews, and the
//   discharged marks): the others wrote three index entries each and a new
//   version into another page's hole. Not changed here.
//   A copied binary reads the migrations (and templates) of the build
//   directory it was built in: a "before" binary needs its own copy of the
//   .build/release/stranded_*.resources bundles beside it.
//
// FIGURES (3 Dec 2026, night; quick runs, --weeks 2 --sites 20 --seconds 10,
// the machine otherwise idle, load average 5–7 with the benchmark itself):
//   The session read with the request's first statement. A request on a
//   session this process read a moment ago no longer reads it first: the
//   check (still live, unchanged) goes in the same pipelined round trip as
//   the page's audited read, or with a save transaction's BEGIN; a session
//   ended or changed stops the request before anything of it ran, and it
//   starts again from a fresh read (SessionStore.whileUnchanged).
//     before (main at 9e27e21's pages), load 5.6: /health 16,768/s; ward page
//     1,699/s, p99 45.1 ms; form page 717/s, p99 301.8 ms; saves 50 clients
//     631/s, p99 111.0 ms; single client p95 3.7 ms.
//     reads only, load 6.6: /health 13,918/s; ward page 1,771/s, p99 48.5 ms;
//     form page 863/s, p99 83.2 ms; saves 696/s, p99 100.7 ms.
//     with saves, load 6.0: /health 16,647/s; ward page 1,950/s, p99 38.1 ms;
//     form page 989/s, p99 81.7 ms; saves 757/s, p99 218.5 ms: every 15 s
//     the touch of the clients' shared session row held its lock through a
//     whole save and queued the other requests behind it.
//     touch with SKIP LOCKED, load 6.7: /health 15,999/s; ward page 2,357/s,
//     p99 32.3 ms (both targets met); form page 957/s, p99 76.5 ms; saves
//     766/s, p99 106.3 ms; single client p95 2.9 ms.
//
// FIGURES (3 Dec 2026, late evening, release build, 2 cores shared with
// four other people's builds and benchmarks, load average 2–45: main's binary
// and this one run side by side, 14 weeks, the database's CPU per opening):
//   The drafts' JSON written as text and parsed once (nested
//   jsonb_build_object took each jsonb argument apart and built it again):
//   the draft expression alone over a week's 42,354 drafts took 0.33 s of the
//   backend's CPU before and 0.12 s after (psql, 5 runs each, load ~18; the
//   same values, compared row by row); the opening's statement re-run in a
//   rolled-back transaction 1.50 s before, 1.39 s after (3 runs each, load
//   ~17). Side by side over 14 weeks, load ~10: main p50 1.601 s (22.1 s in
//   all), this p50 1.549 s (21.3 s, -4%); at load 12–45: 1.510 s (22.6 s)
//   and 1.520 s (22.1 s, -2%). Reference INSERT…SELECT p50 0.29–0.51 s.
//   Target < 1 s and flat: NOT MET. The CPU figure itself grows with the
//   load: this binary alone at load ~4 (6 weeks) used 0.78–1.10 s an opening.
//   Where the statement's CPU goes after (psql, week 6 of 6, load ~4): the
//   week's rows 0.23 s, the previous forms 0.09 s (0.03 s of it taking the
//   review's parts), the drafts and their taxonomy join ~0.3 s (neither the
//   jsonpath filter nor lower(btrim()) a measurable share of it; taking the
//   parts by #> paths instead of -> no better).
//   Tried and not taken:
//   - wal_compression = lz4 (for the benchmark's sessions, by PGOPTIONS): a
//     re-opening's WAL fell from 62–69 MB to 42 MB for the forms and from
//     104 MB to 33 MB for the discharged mark, but not its CPU (side by
//     side, 14 weeks, load ~10: p50 1.629 s off, 1.709 s lz4).
//   - The case id kept beside each list row by the import (a narrow table
//     written from a join of the upsert's cases with the list's rows): the
//     week's rows took 0.08–0.2 s instead of 0.2–0.26 s in psql, but writing
//     the 42,000 links took 0.5 s (load ~6), which the import, with its own
//     target, would pay every week.
//   - The case look-up without Memoize (42,000 misses, no hits) and the ward
//     by hash join: no difference (0.20–0.26 s either way, psql).
//   Not tried: "discharged" kept narrow beside the form; 46 places read
//   f.discharged or status 'discharged' (Store, Reports, Web).
// FIGURES (3 Dec 2026, evening, release build, 2 cores shared with four
// other people's builds and benchmarks, load average 6–13 during the runs:
// wall-clock times are mostly waiting for a core, so compare the database's
// CPU per opening):
//   With migration 0042 (one week-first index instead of the ward's and the
//   week's) and the pre-fill reading last week's review once, 52 weeks of
//   ~42,200 forms, 2.19 million at the end (load 8–13):
//     p50 2.693 s, p90 4.977 s, worst 11.66 s; weeks 2–5 2.750 s, last 4
//     8.519 s. Database CPU per opening p50 1.509 s, p90 1.769 s, worst
//     1.901 s; median 1.29 s in weeks 1–10, 1.66 s in weeks 43–52 (+29%).
//     Opening again 1.979 s. Reference INSERT…SELECT p50 0.216 s, worst
//     1.119 s; machine control 153 ms before, 61 ms after.
//     Target < 1 s and flat: NOT MET.
//   The same three ways side by side, run at the same time (14 weeks each,
//   load ~10), database CPU per opening: main as it was p50 1.630 s (weeks
//   2–5 1.58 s, 11–14 1.77 s, 22.1 s in all); this code p50 1.450 s (1.44,
//   1.70, 20.0 s: −9%); this code with fillfactor 50 on level1_form p50
//   1.380 s (1.41, 1.55, 19.3 s: −13%). Reference p50 0.254/0.252/0.271 s.
//   Fillfactor 50 over 52 weeks (load ~7): CPU p50 1.239 s, worst 1.520 s,
//   1.18 s in weeks 1–10 and 1.33 s in 43–52 (+13%); but the table grew by
//   half (4.1 forms a page against 6.2) and a week's drafts still landed in
//   ~16,000 pages' holes across the last fifth of it: not taken.
//   Where an opening's time goes now (EXPLAIN ANALYZE of week 12 over a
//   12-week database, load 3–5): the week's rows 0.34 s (the case probe by
//   site, patient key and admission date 0.2 s of it: four buffers a row);
//   previous forms 0.15 s; the drafts' JSON and the taxonomy 0.45 s
//   wall-clock but 0.10–0.18 s of CPU for 42,000 drafts measured alone;
//   writing the forms 0.46 s; the discharged mark 0.14–0.28 s (20,000 HOT
//   updates of ~1 KB rows, and two weeks' forms read to hash); analyze 20–
//   300 ms. Writing into holes: a week's rows touched ~4,700–13,000 heap
//   pages and 7,000–16,000 full-page images (52–109 MB of WAL) after a
//   checkpoint; the same rows into fresh pages need none.
//   List-partitioning level1_form by week (a fresh table a week) was measured
//   and not taken: on 52 weekly partitions of 42,000 rows, pgbench with
//   prepared statements, 4 clients, a form by id went from 27,900/s (0.14 ms)
//   to 796/s (5.0 ms), a case's history up to a week from 22,300/s to
//   2,590/s, a ward's week 18,800/s to 23,900/s. Forms are found by id (every
//   form URL, saves, versions) and by case across weeks (pre-fill, deadline,
//   Level 2), and no partition can be pruned for those.
//
// Earlier FIGURES (3 Dec 2026, load average 2.3–7.5), main before 0042:
//   52 weeks p50 1.756 s, p90 2.099 s, worst 4.146 s; first week 1.520 s;
//   weeks 2–5 1.569 s, last 4 2.037 s (+30%). Database CPU per opening p50
//   1.62 s, worst 1.97 s, ~1.3 s in the first weeks to ~1.8 s in the last.
//   Opening again 0.540 s. Reference p50 0.122 s. A second run (load 5–6):
//   p50 1.682 s, database CPU p50 1.56 s; the main statement's median 1.35 s
//   in weeks 1–10 and 1.94 s in weeks 43–52, the discharged mark's 0.29 s
//   and 0.43 s. Before 0041: weeks 1–13 median 4.29 s.
//   Pages after the year (week of 30 Nov, load average 6.0): /health 9,824/s,
//   p99 12.3 ms; ward list page 1,272/s, p99 78.8 ms; Level 1 form page 345/s,
//   p99 208.6 ms; save single client p95 10.4 ms; 50 clients p99 240.5 ms.
//   Pages in quick runs (--weeks 2 --sites 20, 50 clients, 10 s; 3 Dec 2026,
//   2 cores shared with four other people's builds and benchmarks, load 6–30):
//     before (the code at a1786a3, release build), load 6.6: /health
//     13,585/s; ward page 1,080/s, p99 155.0 ms; form page 336/s, p99 217.6 ms
//     (single client 5.1 ms); save single client p95 5.9 ms; 50 clients 397/s,
//     p99 212.2 ms. The same binary just before the "after" run below (load
//     7.3): /health 15,590/s; ward page 1,530/s, p99 62.1 ms; 50 clients' saves
//     363/s, p99 224.3 ms (its form page figure is void: a copied binary reads
//     the build directory's templates, which had changed).
//     after, load 8.3: /health 11,497/s (11,449/s again at the end); ward page
//     1,640/s, p99 62.5 ms; form page 659/s, p99 124.9 ms (single client
//     2.9 ms); save single client p95 6.0 ms; 50 clients 469/s, p99 182.0 ms.
//     Best after-run (load 5.9, before the save changes): ward page 1,969/s,
//     p99 57.6 ms; form page 684/s, p99 129.9 ms. At load 13–20 every figure
//     halves for either version (ward page 820–1,160/s, p99 93–490 ms).
//   Targets: ward page (≥ 2,000/s, p99 < 50 ms) NOT MET, close on a quieter
//   machine; form page (≥ 1,500/s, p99 < 50 ms) NOT MET (about twice what it
//   was); save single client p95 < 30 ms met; 50 clients p99 < 100 ms NOT MET.
//   Saves in one statement fewer each way (3 Dec 2026, later; quick runs as
//   above, the same worktree's release build before and after, load 6–7):
//   the trend-stale mark and the saved form's read folded into the update's
//   statement, the week's board-round days read with the form's lock, and
//   the save's two statements prepared: a save is BEGIN, the locked read,
//   one statement, COMMIT (was also a days read, the mark and a re-read).
//     before (a067694), load 7.4–7.6: /health 14,825/s (11,899/s at the
//     end); ward page 1,398/s, p99 72.7 ms; form page 724/s, p99 111.1 ms;
//     save single client p95 11.6 ms; 50 clients 447/s, p99 191.2 ms.
//     after, load 6.3: /health 15,078/s (17,290/s at the end); ward page
//     1,638/s, p99 41.8 ms; form page 808/s, p99 85.2 ms; save single
//     client p95 5.3 ms; 50 clients 648/s, p99 101.6 ms.
//     after, load 5.1 (/health 17,133/s, 20,578/s at the end): ward page
//     1,830/s, p99 41.9 ms; 50 clients' saves 709/s, p99 93.6 ms, single
//     client p95 4.8 ms. At load 8.8 (/health 10,655/s): 488/s, p99 182.8 ms.
//   The ward page's path was not changed here (its figures move with the
//   load): a session statement and one audited read a request, then a kept page.
//   Where its time goes (perf -a during the ward page's 10 s, load ~6):
//   PostgreSQL ~48% of the samples and flat (per-statement executor set-up,
//   catalog and lock hash look-ups, memory contexts: the two statements'
//   fixed cost, not their reads), the service ~35%, the load generator ~10%.
//   Next: one statement (or one pipelined round trip) for the session and
//   the audited read, keeping revocation and the audit row as they are.
//   Targets: saves at 50 clients p99 < 100 ms met at load ≤ 6, not above;
//   ward page p99 < 50 ms met, ≥ 2,000/s NOT MET (1,640–1,830/s).
//   Where a form page's time went after the changes (perf, load ~7): the
//   service ~60% of its CPU (Mustache still ~40% of that: the layout, heading,
//   the review's own action rows and ~60 lookups per page that miss up the
//   context stack; JSON decoding of the review ~6%; access policy, menu and
//   session ~10%), PostgreSQL ~40% (the audit insert with its indexes and
//   foreign-key checks, the form's joins and the next-form subquery).
//   The form page's own rendering and reads cut (3 Dec 2026, later; quick
//   runs as above, the release builds before (9e27e21) and after run back to
//   back, load 7–19, so compare against /health): the layout's and the form's
//   views build their Mustache dictionaries (no Mirror: flattening was 17% of
//   a form page's service time, now ~3%); a field's absent message is false,
//   so its look-up stops instead of climbing the context stack; a review's
//   own action rows kept once rendered; theme suggestions matched by bytes
//   for ASCII text (Foundation's search was ~5%); an untouched prefill read
//   once, not decoded twice; the next form found among the longest stays
//   only (pgbench, one ward of 60: 73 buffers against ~131, 0.088 against
//   0.094 ms).
//     load 17–19: before /health 11,294/s, form page 562/s, p99 206.6 ms;
//     after /health 10,304/s, form page 749/s, p99 119.9 ms.
//     load 7–10: before /health 11,663/s, form page 380/s, p99 568.3 ms;
//     after /health 9,676–11,510/s, form page 613–636/s, p99 124.1–185.0 ms.
//     load 8.5: before /health 11,895/s, form page 568/s, p99 169.9 ms;
//     after /health 11,065/s, 575/s, p99 172.2 ms (no difference that run).
//     load 8: CPU of the benchmark process and PostgreSQL over 6 s of the
//     form page's load, per page: before 5.83 s for ~3,030 pages (505/s,
//     p99 393.5 ms), 1.9 ms a page; after 5.46 s for ~3,910 (651/s, p99
//     133.6 ms), 1.4 ms a page (-27%, the load generator's share included).
//   Throughput moves ±40% with the machine's load between runs; CPU per page
//   is the steadier figure. Target (≥ 1,500/s, p99 < 50 ms) NOT MET.
//   What is left in the service (perf, load ~8): Mustache's own rendering
//   ~55% of a form page's samples there, most of it its dynamic casts on
//   every look-up and value (getChild ~22%, escaping ~10%), the rest the
//   session, access and the record's decoding; PostgreSQL as above.
import BenchmarkSupport
import Foundation
import Hummingbird
import Logging
import Postgres
import Store
import StrandedCore
import WardListImport
import Web
import Workflow

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var sites = 150
    var beds = 1000
    var clients = 50
    var seconds = 10
    var port = 18_480
    var weeks = 52
    /// The database connections the service's pool opens at most.
    var pool = Database.defaultPoolSize
    /// The connections opening a week takes side by side (the service's --bulk-connections).
    var bulk = Database.defaultBulkConnections
    /// The HTTP part (ward page, form page, saves) after the year of openings.
    var pages = true
    init() {
        let arguments = BenchmarkArguments()
        sites = arguments["sites", default: sites]
        beds = arguments["beds", default: beds]
        clients = arguments["clients", default: clients]
        seconds = arguments["seconds", default: seconds]
        port = arguments["port", default: port]
        weeks = max(2, arguments["weeks", default: weeks])
        pool = arguments["pool", default: pool]
        bulk = arguments["bulk", default: bulk]
        pages = arguments["pages", default: 1] != 0
    }
}

enum Fixtures {
    /// A complete review, as wards would have left last week's forms.
    static let lastWeeksReview = Level1Review(
        q1: .init(
            reasons: [DelayReasonEntry(code: .carePackageHome, isPrimary: true), DelayReasonEntry(code: .therapy)],
            narrative: "Awaiting a package of care; therapy review pending."
        ),
        q2: .init(
            actions: [
                ReviewAction(description: "Chase brokerage", owner: "Social worker", agency: .socialCare, dueDate: CalendarDate(iso: "2026-11-20")),
                ReviewAction(description: "Order equipment", owner: "OT", agency: .nhs, dueDate: CalendarDate(iso: "2026-11-18"), isDone: true),
            ],
            expectedDischargeDate: CalendarDate(iso: "2026-11-27"),
            pathway: 1
        ),
        q3: .init(narrative: "Earlier referral to social care.", learningTheme: "early referral"),
        status: .red,
        reviewers: .init(health: "Sister Jones", socialCare: "Sam Patel"),
        outcome: .managedAtWard
    )
}

// MARK: - The benchmark

@main
struct ReviewBenchmark {
    static func main() async throws {
        let options = Options()
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-review-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        // The year ends with this week, as a service's history does: the
        // pages refuse weeks still to come.
        let today = CalendarDate.today()
        let week1 = ReviewWeek(monday: ReviewWeek.containing(today).monday.adding(days: -7 * (options.weeks - 1)))!
        say("Generating \(options.weeks) weekly long-stay lists for \(options.sites) sites (~\(options.sites * options.beds) beds)…")
        var system = SyntheticSystem(
            configuration: .init(
                sites: options.sites,
                bedsPerSite: options.beds,
                weeks: options.weeks,
                seed: 4,
                firstMonday: week1.monday,
                census: false
            )
        )
        var files: [URL] = []
        while let week = system.nextWeek() {
            let url = work.appendingPathComponent("ward-list-\(week.snapshotDate.iso).csv")
            try week.csv.write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
        }

        let bench = try await BenchmarkDatabase.start(in: work, connections: options.pool, bulkConnections: options.bulk, logger: logger)
        let (cluster, client, database) = (bench.cluster, bench.client, bench.database)
        try await bench.stopping {
            try await SiteReferenceImporter(database: database).importCSV(system.referenceCSV() + "XBENCH,Bench Trust,BEN01,Bench General,acute\r\n")

            // A year of weeks: each week's list imported, then its week opened
            // (timed on its own), then every form of it completed, as wards leave
            // a week's forms, so the next week is pre-filled from complete forms
            // with actions to carry. Between weeks, what the week gives
            // PostgreSQL in service: a VACUUM (ANALYZE) and a CHECKPOINT.
            var importer = WardListImporter(database: database, policy: .standard, logger: logger)
            importer.opensReviewWeek = false
            let opener = WeekOpener(database: database, policy: .standard)
            // The same-run reference: the week's forms copied by one INSERT…SELECT
            // into a bare table (same columns, no keys, indexes or triggers), in
            // a transaction of its own: the floor for writing that many rows.
            try await client.execute("CREATE TABLE bare_form AS SELECT * FROM level1_form WITH NO DATA")
            var openings = Latencies()
            // The database's CPU seconds for each opening, beside its wall-clock time.
            let serverCPU = ServerCPU(dataDirectory: cluster.dataDirectory)
            var openingCPU = Latencies()
            var references = Latencies()
            var weekly: [(week: ReviewWeek, seconds: Double, created: Int, reference: Double)] = []
            let controlBefore = try machineControl(files[0])
            var lastWeek = week1
            for (index, file) in files.enumerated() {
                let report = try await importer.importFile(at: file, source: .cli, today: today)
                guard report.verdict == .accepted, let date = report.snapshotDate.flatMap(CalendarDate.init(iso:)) else {
                    say("week \(index + 1) was \(report.verdict): \(report.summary)")
                    return
                }
                let week = ReviewWeek.containing(date)
                let cpuBefore = serverCPU?.seconds() ?? 0
                var start = ContinuousClock.now
                let opening = try await opener.open(week: week)
                let elapsed = ContinuousClock.now - start
                let cpu = (serverCPU?.seconds() ?? 0) - cpuBefore
                openings.record(elapsed, bytes: 0)
                openingCPU.record(.milliseconds(Int(cpu * 1000)), bytes: 0)
                start = ContinuousClock.now
                try await client.execute("INSERT INTO bare_form SELECT * FROM level1_form WHERE week_start = \(week.monday)")
                let copied = ContinuousClock.now - start
                references.record(copied, bytes: 0)
                weekly.append((week, seconds(elapsed), opening.created, seconds(copied)))
                say(
                    String(
                        format: "  week %2d (%@): %d rows imported; opened with %d forms (%d discharged) in %.3f s (database CPU %.2f s); reference INSERT…SELECT %.3f s",
                        index + 1,
                        week.monday.iso,
                        report.importedRows,
                        opening.created,
                        opening.discharged,
                        seconds(elapsed),
                        cpu,
                        seconds(copied)
                    )
                )
                try await client.execute("TRUNCATE bare_form")
                if index < files.count - 1 {
                    try await client.execute(
                        """
                        UPDATE level1_form SET review = \(PostgresJSON(Fixtures.lastWeeksReview)), status = 'complete', completed_at = now(), version = 2
                        WHERE week_start = \(week.monday) AND NOT discharged
                        """
                    )
                }
                try await client.execute("VACUUM (ANALYZE) patient_case, journey, list_row, snapshot, level1_form")
                try await client.execute("CHECKPOINT")
                lastWeek = week
            }
            let controlAfter = try machineControl(files[0])
            let week2 = lastWeek
            var start = ContinuousClock.now
            let again = try await opener.open(week: week2)
            let noOpTime = seconds(ContinuousClock.now - start)
            let created = weekly.last?.created ?? 0
            let carried: Int = try await client.query(
                """
                SELECT count(*) AS n FROM level1_form WHERE week_start = \(week2.monday) AND jsonb_array_length(review->'q2'->'actions') = 1
                """
            )[0].decode("n")
            let formCount: Int = try await client.query("SELECT count(*) AS n FROM level1_form")[0].decode("n")
            say("")
            say("RESULTS (\(buildKind) build, embedded PostgreSQL, \(ProcessInfo.processInfo.activeProcessorCount) CPUs, load average \(loadAverage()))")
            say(
                String(
                    format: "  opening a week in shares of its sites on %d connections, %d weeks (the last: %d stranded cases, %d with carried actions; %d forms in the table):",
                    database.bulkConnections,
                    weekly.count,
                    created,
                    carried,
                    formCount
                )
            )
            say(String(format: "    first week %.3f s; %@  (target < 1 s every week)", weekly.first?.seconds ?? 0, openings.secondsSummary))
            if serverCPU != nil {
                say(String(format: "    the database's CPU time per opening (moves less with the machine's load): %@", openingCPU.secondsSummary))
            }
            if let worst = weekly.max(by: { $0.seconds < $1.seconds }) {
                say(String(format: "    worst week: %@, %.3f s, %d forms", worst.week.monday.iso, worst.seconds, worst.created))
            }
            if weekly.count >= 8 {
                let median = { (xs: ArraySlice<Double>) in xs.sorted()[xs.count / 2] }
                let times = weekly.map(\.seconds)
                say(
                    String(
                        format: "    median of weeks 2–5 %.3f s, of the last 4 weeks %.3f s (%+.1f%%: flat over the year?)",
                        median(times.dropFirst().prefix(4)),
                        median(times.suffix(4)),
                        (median(times.suffix(4)) / median(times.dropFirst().prefix(4)) - 1) * 100
                    )
                )
            }
            say(String(format: "    reference, the week's forms by INSERT…SELECT into a bare table: %@", references.secondsSummary))
            say(String(format: "    opening it again: %.3f s, %d created", noOpTime, again.created))
            say(
                String(
                    format: "  machine control (hashing week 1's file, CPU only): %.1f ms before the first week, %.1f ms after the last (%+.1f%%)",
                    controlBefore * 1000,
                    controlAfter * 1000,
                    (controlAfter / controlBefore - 1) * 100
                )
            )
            if let keep = ProcessInfo.processInfo.environment["BENCH_KEEP_YEAR"].flatMap(Int.init) {
                say("Database kept for \(keep) s: \(cluster.connectionString(database: "bench")) (week \(week2))")
                try await Task.sleep(for: .seconds(keep))
            }
            guard options.pages else { return }

            // A 60-patient ward on its own site, half its forms complete.
            var list = "site_code,ward_code,ward_name,nhs_number,admission_date,family_name,given_name,age,delay_reason\n"
            for index in 0..<60 {
                var stem = 999_100_000 + index * 7
                while NHSNumber.make(stem: stem) == nil { stem += 1 }
                let admitted = week2.monday.adding(days: -(8 + index * 2))
                list +=
                    "BEN01,W60,Bench Ward,\(NHSNumber.make(stem: stem)!.digits),\(admitted.iso),Patient\(index),Test,\(60 + index % 30),care package at home\n"
            }
            let wardFile = work.appendingPathComponent("ward60.csv")
            try list.write(to: wardFile, atomically: true, encoding: .utf8)
            _ = try await importer.importFile(at: wardFile, source: .cli, snapshotDate: week2.monday, today: today)
            _ = try await opener.open(week: week2)
            let wardID: Int64 = try await client.query("SELECT w.id FROM ward w JOIN site s ON s.id = w.site_id WHERE s.code = 'BEN01'")[0].decode("id")
            let service = ReviewService(database: database, policy: .standard)
            let wardForms = try await service.wardWeek(wardID: wardID, week: week2)
            for form in wardForms.prefix(30) {
                _ = try await service.saveDraft(id: form.id, version: form.version, review: Fixtures.lastWeeksReview, by: "Bench")
            }

            if let keep = ProcessInfo.processInfo.environment["BENCH_KEEP"].flatMap(Int.init) {
                say("Database kept for \(keep) s: \(cluster.connectionString(database: "bench")) (ward \(wardID), week \(week2))")
                try await Task.sleep(for: .seconds(keep))
            }

            // The HTTP service, live on loopback.
            let server = try await startBenchmarkServer(database: database, port: options.port, logger: logger)
            let path = "/wards/\(wardID)?week=\(week2.monday.iso)"
            // Every page needs a signed-in user: a ward user for this ward.
            let wardCode: String = try await client.query("SELECT code FROM ward WHERE id = \(wardID)")[0].decode("code")
            let nurse = try await UserStore(database: database).create(
                username: "bench.nurse",
                displayName: "Bench nurse",
                passwordHash: nil,
                roles: [RoleGrant(.ward, scope: ["BEN01/\(wardCode)"])]
            )
            let session = try await SessionStore(database: database).create(userID: nurse.id, clientAddress: nil, absoluteLifetime: .seconds(3600))
            let cookie = "stranded_session=" + session.id
            let csrf = session.record.csrfToken
            // Where one request's time goes: the forms from the database, then a whole page for one client.
            var reads = Latencies()
            for _ in 0..<100 {
                start = ContinuousClock.now
                _ = try await service.wardWeek(wardID: wardID, week: week2)
                reads.record(ContinuousClock.now - start, bytes: 0)
            }
            say("Measuring the ward list page…")
            let port = options.port
            let page = { @Sendable (_: Int, _: Int, connection: HTTPConnection) in try connection.get(path, cookie: cookie) }
            let health = await runLoad(port: port, clients: options.clients, warmUp: .seconds(1), duration: .seconds(options.seconds)) {
                _,
                _,
                connection in
                try connection.get("/health", cookie: "")
            }
            let single = await runLoad(port: port, clients: 1, warmUp: .seconds(1), duration: .seconds(3), request: page)
            let results = await runLoad(port: port, clients: options.clients, warmUp: .seconds(2), duration: .seconds(options.seconds), request: page)

            // The Level 1 form page: every client reads the ward's forms in turn.
            say("Measuring the Level 1 form page and saves…")
            let formIDs = wardForms.map(\.id)
            let formPage = { @Sendable (client: Int, iteration: Int, connection: HTTPConnection) in
                try connection.get("/forms/\(formIDs[(client * 7 + iteration) % formIDs.count])", cookie: cookie)
            }
            let formSingle = await runLoad(port: port, clients: 1, warmUp: .seconds(1), duration: .seconds(3), request: formPage)
            let formLoad = await runLoad(port: port, clients: options.clients, warmUp: .seconds(2), duration: .seconds(options.seconds), request: formPage)
            let formBytes = formLoad.kilobytesPerResponse

            // Saves: each client owns one form and knows its version (each accepted save adds one).
            let versions = FormVersions(try await service.wardWeek(wardID: wardID, week: week2).map { ($0.id, $0.version) })
            let saved = { @Sendable (answer: HTTPConnection.Answer) in answer.status == 303 }
            let save = { @Sendable (client: Int, iteration: Int, connection: HTTPConnection) throws -> HTTPConnection.Answer in
                let id = formIDs[client % formIDs.count]
                let action = iteration % 2 == 0 ? "save" : "complete"
                let answer = try connection.postForm(
                    "/forms/\(id)",
                    cookie: cookie,
                    form: Fixtures.posted(Fixtures.lastWeeksReview, version: versions.version(of: id), action: action, csrf: csrf)
                )
                if answer.status == 303 { versions.saved(id) }
                return answer
            }
            let saveSingle = await runLoad(port: port, clients: 1, warmUp: .seconds(1), duration: .seconds(3), accept: saved, request: save)
            let saveClients = min(options.clients, formIDs.count)
            let saveLoad = await runLoad(port: port, clients: saveClients, warmUp: .seconds(2), duration: .seconds(options.seconds), accept: saved, request: save)
            // The machine's noise, measured again after the run: /health for 3 s.
            let healthAfter = await runLoad(port: port, clients: options.clients, warmUp: .seconds(1), duration: .seconds(3)) { _, _, connection in
                try connection.get("/health", cookie: "")
            }
            server.cancel()
            _ = try? await server.value
            await client.close()

            say("")
            say("PAGES (week \(week2.monday.iso), database pool \(options.pool) connections, load average \(loadAverage()))")
            say(
                String(
                    format: "  one ward's forms read from the database: median %.2f ms; the whole page for a single client: median %.2f ms",
                    reads.milliseconds(50),
                    single.milliseconds(50)
                )
            )
            say("  \(options.clients) concurrent clients, \(options.seconds) s after warm-up (same server, same run):")
            say(
                String(
                    format: "    /health (reference)  %6.0f requests/s, %d failed; %@",
                    Double(health.count) / Double(options.seconds),
                    health.failures,
                    health.summary
                )
            )
            say(
                String(
                    format: "    ward list page (%d patients, %.1f KB)  %6.0f requests/s, %d failed; %@  (target p99 < 50 ms)",
                    wardForms.count,
                    results.kilobytesPerResponse,
                    Double(results.count) / Double(options.seconds),
                    results.failures,
                    results.summary
                )
            )
            say(
                String(
                    format: "    Level 1 form page (%.1f KB)  %6.0f requests/s, %d failed; %@  (target p99 < 50 ms, >= 1,500/s)",
                    formBytes,
                    Double(formLoad.count) / Double(options.seconds),
                    formLoad.failures,
                    formLoad.summary
                )
            )
            say(String(format: "      the form page for a single client: median %.2f ms", formSingle.milliseconds(50)))
            say(
                String(
                    format: "    save and complete, single client: %d saves, %d failed; %@  (target p95 < 30 ms)",
                    saveSingle.count,
                    saveSingle.failures,
                    saveSingle.summary
                )
            )
            say(
                String(
                    format: "    save and complete, %d clients on different forms: %6.0f saves/s, %d failed; %@  (target p99 < 100 ms)",
                    saveClients,
                    Double(saveLoad.count) / Double(options.seconds),
                    saveLoad.failures,
                    saveLoad.summary
                )
            )
            say(
                String(
                    format: "    /health again after the run (noise control)  %6.0f requests/s; %@",
                    Double(healthAfter.count) / 3,
                    healthAfter.summary
                )
            )
        }
    }
}

/// Each form's current version, as the saving clients see it.
final class FormVersions: @unchecked Sendable {
    private let lock = NSLock()
    private var versions: [Int64: Int]

    init(_ pairs: [(Int64, Int)]) { versions = Dictionary(pairs, uniquingKeysWith: { first, _ in first }) }

    func version(of id: Int64) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return versions[id] ?? 0
    }

    func saved(_ id: Int64) {
        lock.lock()
        versions[id, default: 0] += 1
        lock.unlock()
    }
}

extension Fixtures {
    /// A review as the form page posts it (`application/x-www-form-urlencoded`).
    static func posted(_ review: Level1Review, version: Int, action: String, csrf: String) -> String {
        var fields: [(String, String)] = [("_csrf", csrf), ("version", String(version)), ("action", action)]
        for reason in review.q1.reasons {
            fields.append(("reason", reason.code.rawValue))
            if reason.isPrimary { fields.append(("primary", reason.code.rawValue)) }
        }
        fields.append(("q1_narrative", review.q1.narrative))
        fields.append(("action_rows", String(review.q2.actions.count)))
        for (index, item) in review.q2.actions.enumerated() {
            fields += [
                ("a\(index)_id", item.id.uuidString), ("a\(index)_description", item.description), ("a\(index)_owner", item.owner),
                ("a\(index)_agency", item.agency?.rawValue ?? ""), ("a\(index)_due", item.dueDate?.iso ?? ""),
            ]
            if item.isDone { fields.append(("a\(index)_done", "on")) }
        }
        fields.append(("edd", review.q2.expectedDischargeDate?.iso ?? ""))
        fields.append(("pathway", review.q2.pathway.map(String.init) ?? ""))
        fields.append(("q3_narrative", review.q3.narrative))
        fields.append(("learning_theme", review.q3.learningTheme ?? ""))
        fields.append(("day_status", review.status?.rawValue ?? ""))
        fields.append(("reviewer_health", review.reviewers.health))
        fields.append(("reviewer_social", review.reviewers.socialCare))
        fields.append(("outcome", "managed-at-ward"))
        return fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
