"""Part 3: crash consistency under kill -9.

Rounds of: the service busy with form saves, a ward list import and a Level 2
agenda build (or, every other round, `stranded import` on its own), killed
with SIGKILL at a random moment; then restarted and checked:

- no partial snapshot: every accepted import has all its rows and snapshots,
  and none is left half-written ('pending:' fingerprint);
- no half-built agenda: versions run 1..n per week, each with its cases;
- every acknowledged (2xx) form save, import and agenda build is stored;
- importing the interrupted file again adds nothing the second time.

Then the scheduler: a job killed after its work committed but before its
record did (held there by a table lock) and once in the middle of its work,
restarted, runs exactly once (one agenda and one summary frozen by the
scheduler per week, each job recorded once as succeeded).
"""

import argparse
import os
import random
import subprocess
import threading
import time
import uuid

import faultlib as f

# --------------------------------------------------------------------------
# Invariants, read with psql after each restart


def broken_imports(cluster):
    """Accepted imports whose rows or snapshots do not add up, and imports left pending."""
    return cluster.psql(
        """
        SELECT i.id, i.imported_rows, (SELECT count(*) FROM list_row r WHERE r.import_id = i.id),
               (SELECT coalesce(sum(s.patients), 0) FROM snapshot s WHERE s.import_id = i.id),
               (SELECT count(*) FROM snapshot s WHERE s.import_id = i.id)
        FROM import_file i
        WHERE i.verdict = 'accepted'
          AND (i.fingerprint LIKE 'pending:%'
               OR i.imported_rows <> (SELECT count(*) FROM list_row r WHERE r.import_id = i.id)
               OR i.imported_rows <> (SELECT coalesce(sum(s.patients), 0) FROM snapshot s WHERE s.import_id = i.id)
               OR NOT EXISTS (SELECT 1 FROM snapshot s WHERE s.import_id = i.id))
        """
    )


def broken_agendas(cluster):
    """Weeks whose agenda versions are not 1..n, or versions whose content lacks its cases."""
    gaps = cluster.psql(
        "SELECT week FROM level2_agenda GROUP BY week HAVING max(version) <> count(*) OR min(version) <> 1"
    )
    torn = cluster.psql(
        """SELECT week, version FROM level2_agenda
           WHERE jsonb_typeof(content) <> 'object' OR content = '{}'::jsonb"""
    )
    return gaps + torn


def torn_forms(cluster):
    """Forms whose current version is not their latest stored version."""
    return cluster.psql(
        """SELECT f.id FROM level1_form f
           WHERE EXISTS (SELECT 1 FROM level1_form_version v WHERE v.form_id = f.id)
             AND f.version <> (SELECT max(version) FROM level1_form_version v WHERE v.form_id = f.id)"""
    )


def counts(cluster):
    row = cluster.psql(
        """SELECT (SELECT count(*) FROM import_file), (SELECT count(*) FROM list_row),
                  (SELECT count(*) FROM snapshot), (SELECT count(*) FROM patient_case)"""
    )[0]
    return tuple(int(x) for x in row)


# --------------------------------------------------------------------------
# Ward list files: the latest demo list with a few admission dates moved, so
# each round's file is new content for the same sites and date.


def mutated_list(base_lines, path, rng):
    header = base_lines[0].rstrip("\n").split(",")
    column = header.index("admission_date")
    lines = [base_lines[0]]
    for line in base_lines[1:]:
        cells = line.rstrip("\n").split(",")
        if rng.random() < 0.05 and len(cells) > column and len(cells[column]) == 10:
            # An admission a day earlier (ISO yyyy-mm-dd or UK dd/mm/yyyy), same month.
            value = cells[column]
            if "-" in value:
                y, m, d = value.split("-")
                cells[column] = f"{y}-{m}-{max(1, int(d) - 1):02d}"
            else:
                d, m, y = value.split("/")
                cells[column] = f"{max(1, int(d) - 1):02d}/{m}/{y}"
        lines.append(",".join(cells) + "\n")
    with open(path, "w") as out:
        out.writelines(lines)


class Round:
    """The traffic of one serve round, and what it got acknowledged."""

    def __init__(self, api, forms, week, csv_path):
        self.api = api
        self.forms = forms
        self.week = week
        self.csv_path = csv_path
        self.stop = threading.Event()
        self.form_acks = []
        self.import_acks = []  # import ids answered 201/200
        self.agenda_acks = []  # versions answered 200
        self.threads = []

    def writer(self, index):
        rng = random.Random()
        while not self.stop.is_set():
            form_id = rng.choice(self.forms[index::2])[0]
            marker = f"crash-{uuid.uuid4().hex[:12]}"
            status, version, _, _ = f.save_form(self.api, form_id, marker, timeout=30)
            if status == 200:
                self.form_acks.append((form_id, version, marker))
            elif status == 0:
                return

    def importer(self):
        with open(self.csv_path, "rb") as body:
            data = body.read()
        status, _, body = self.api.call(
            "POST", f"/api/imports?file_name={os.path.basename(self.csv_path)}", data,
            headers={"Content-Type": "text/csv"}, timeout=120,
        )
        if status in (200, 201):
            self.import_acks.append((f.as_json(body) or {}).get("importID") or (f.as_json(body) or {}).get("id"))

    def agenda(self):
        while not self.stop.is_set():
            status, _, body = self.api.call("POST", "/api/cycle/level2-agenda/runs", {"week": self.week}, timeout=60)
            if status == 200:
                self.agenda_acks.append(body)
            elif status == 0:
                return

    def start(self):
        self.threads = [threading.Thread(target=self.writer, args=(i,)) for i in range(2)]
        self.threads += [threading.Thread(target=self.importer), threading.Thread(target=self.agenda)]
        for thread in self.threads:
            thread.start()

    def join(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def time_cli_import(cluster, path):
    """Seconds one `stranded import` of a fresh list runs to the end (a copy of `path`, one row changed)."""
    probe = path + ".probe.csv"
    with open(path) as source:
        lines = source.readlines()
    mutated_list(lines, probe, random.Random(99))
    started = time.monotonic()
    subprocess.run([f.stranded_binary(), "import", probe], env=f.base_env(cluster.url()), capture_output=True)
    return time.monotonic() - started


def reimport_twice(api, path):
    """Imports `path` twice through the API; the second must change nothing."""
    with open(path, "rb") as body:
        data = body.read()
    first, _, _ = api.call("POST", "/api/imports?file_name=again.csv", data, headers={"Content-Type": "text/csv"}, timeout=120)
    return first, data


# --------------------------------------------------------------------------
# The scheduler


def blocked_record_writes(cluster):
    return int(
        cluster.scalar(
            """SELECT count(*) FROM pg_stat_activity
               WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO cycle_job_run%'"""
        )
    )


def blocked_on(cluster, table):
    return int(
        cluster.scalar(
            f"""SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE NOT l.granted AND c.relname = '{table}'"""
        )
    )


class TableLock:
    """A psql session holding a table lock until released."""

    def __init__(self, cluster, table, mode):
        self.process = subprocess.Popen(
            [f.pg_bin("psql"), "-X", "-q", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-d", "stranded"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
        )
        self.process.stdin.write(f"BEGIN; LOCK TABLE {table} IN {mode} MODE; SELECT 'locked';\n")
        self.process.stdin.flush()
        time.sleep(0.5)

    def release(self):
        self.process.stdin.write("ROLLBACK;\n\\q\n")
        self.process.stdin.flush()
        self.process.wait(30)


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def scheduler_part(report, cluster, root, jobs):
    """Kills the scheduler inside its jobs and checks each ran once."""
    week = cluster.scalar("SELECT max(week_start) FROM level1_form")
    service = f.Service(root, cluster.url(), name="scheduler", scheduler=True)

    def settle(done=lambda: True):
        """Runs the scheduler until `done` and nothing is left to do now (no record changing for 2 s)."""
        service.start()
        service.wait_ready()
        last = None
        for _ in range(120):
            now = cluster.psql("SELECT job, week, status, attempts FROM cycle_job_run ORDER BY 1, 2")
            if now == last and done():
                break
            last = now
            time.sleep(2)
        service.terminate()

    settle()
    due = cluster.psql(f"SELECT job FROM cycle_job_run WHERE week = '{week}' AND status = 'succeeded' ORDER BY job")
    report.step(f"scheduler: jobs succeeded for week {week} before the kills: {[r[0] for r in due]}")

    def frozen():
        return cluster.psql(
            """SELECT 'agenda', week::text, count(*) FROM level2_agenda WHERE built_by = 'scheduler' GROUP BY week
               UNION ALL SELECT 'summary', week_start::text, count(*) FROM ce_summary WHERE built_by = 'scheduler' GROUP BY week_start
               ORDER BY 1, 2"""
        )

    kills = 0
    for job in jobs:
        # The job's last two weeks lose their records: the latest of them that
        # is due runs again. What is left is what a kill between the job's
        # work and its record leaves: the work without the record.
        weeks = [r[0] for r in cluster.psql(
            f"DELETE FROM cycle_job_run WHERE job = '{job}' AND week IN "
            f"(SELECT week FROM cycle_job_run WHERE job = '{job}' ORDER BY week DESC LIMIT 2) RETURNING week"
        )]
        # 1. Killed after its work, before its record (held there by a lock on the record table).
        lock = TableLock(cluster, "cycle_job_run", "SHARE")
        service.start()
        held = wait_for(lambda: blocked_record_writes(cluster) > 0, 30)
        service.kill9()
        lock.release()
        kills += held
        report.step(f"scheduler: {job} killed after its work, before its record ({'held there' if held else 'NOT HELD'})")
        # 2. Killed in the middle of its work (its table locked), for the jobs that freeze versions.
        table = {"level2-agenda": "level2_agenda", "ce-summary": "ce_summary"}.get(job)
        if table:
            lock = TableLock(cluster, table, "ACCESS EXCLUSIVE")
            service.start()
            held_mid = wait_for(lambda: blocked_on(cluster, table) > 0, 30)
            service.kill9()
            lock.release()
            kills += held_mid
            report.step(f"scheduler: {job} killed in the middle of its work ({'held there' if held_mid else 'NOT HELD'})")
        in_weeks = ",".join(f"'{w}'" for w in weeks) or "NULL"
        settle(lambda: cluster.scalar(
            f"SELECT count(*) FROM cycle_job_run WHERE job = '{job}' AND week IN ({in_weeks}) AND status = 'succeeded'"
        ) != "0")
        rows = cluster.psql(f"SELECT week, status, attempts FROM cycle_job_run WHERE job = '{job}' AND week IN ({in_weeks})")
        report.check(
            held and any(r[1] == "succeeded" for r in rows) and all(r[1] == "succeeded" for r in rows),
            f"scheduler: {job} killed, then recorded as succeeded after restart ({rows})",
        )
    after = frozen()
    report.figure("scheduler kills", kills)
    report.figure("agendas and summaries frozen by the scheduler (kind, week, count)", after)
    report.check(after and all(int(r[2]) == 1 for r in after), "each scheduled agenda and summary was frozen exactly once")
    return kills


# --------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="120 kills (default 8)")
    parser.add_argument("--rounds", type=int, help="number of kill rounds")
    args = parser.parse_args()
    rounds = args.rounds or (120 if args.long else 8)
    rng = random.Random(int(os.environ.get("FAULTS_SEED", time.time())))

    report = f.Findings(f"crash: kill -9 of the service and of `stranded import`, {rounds} rounds")
    root = f.workspace("crash")
    cluster = None
    service = f.Service(root, "", name="serve")
    try:
        cluster, token = f.prepared_cluster(root, small=not args.long)
        service = f.Service(root, cluster.url(), name="serve", extra_env={"STRANDED_POOL_SIZE": "6"})
        forms = f.open_forms(cluster, limit=40)
        week = forms[0][2]
        generated = os.path.join(root, "lists")
        candidates = [os.path.basename(p) for p in f.demo_lists(cluster.url(), generated, small=not args.long)]
        with open(os.path.join(generated, candidates[-1])) as base:
            base_lines = base.readlines()
        report.step(f"database ready: {len(forms)} forms, base list {candidates[-1]} ({len(base_lines) - 1} rows)")

        acked = {"forms": [], "imports": [], "agendas": 0}
        kills = {"serve": 0, "import": 0}
        reimports_adding = 0
        restart_seconds = []
        cli_seconds = None
        service.start()
        service.wait_ready()
        api = f.Api(service.base, token)
        for n in range(1, rounds + 1):
            path = os.path.join(root, f"list-{n}.csv")
            mutated_list(base_lines, path, rng)
            delay = rng.uniform(0.05, 2.0)
            if n % 2:
                traffic = Round(api, forms, week, path)
                traffic.start()
                time.sleep(delay)
                service.kill9()
                traffic.join()
                kills["serve"] += 1
                acked["forms"] += traffic.form_acks
                acked["imports"] += [i for i in traffic.import_acks if i]
                acked["agendas"] += len(traffic.agenda_acks)
                what = f"serve (saves {len(traffic.form_acks)}, import {'acked' if traffic.import_acks else 'not acked'}, agendas {len(traffic.agenda_acks)})"
            else:
                if cli_seconds is None:
                    cli_seconds = time_cli_import(cluster, path)
                    report.step(f"stranded import of one list takes {cli_seconds:.2f} s here: kills fall within that")
                delay = rng.uniform(0.02, cli_seconds * 0.95)
                process = subprocess.Popen(
                    [f.stranded_binary(), "import", path], env=f.base_env(cluster.url()),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
                time.sleep(delay)
                finished = process.poll() is not None
                process.kill()
                process.wait()
                kills["import"] += 0 if finished else 1
                what = "stranded import" + (" (had already finished)" if finished else "")
            started = time.monotonic()
            if not service.alive():
                service.start()
            service.wait_ready()
            restart_seconds.append(time.monotonic() - started)

            problems = []
            if broken_imports(cluster):
                problems.append(f"partial imports {broken_imports(cluster)[:3]}")
            if broken_agendas(cluster):
                problems.append(f"broken agendas {broken_agendas(cluster)[:3]}")
            if torn_forms(cluster):
                problems.append(f"forms whose version is not their latest {torn_forms(cluster)[:3]}")
            missing = f.acknowledged_missing(cluster, acked["forms"])
            if missing:
                problems.append(f"acknowledged saves missing {missing[:3]}")
            # The interrupted file: imported (again) once, then a second time must add nothing.
            first, data = reimport_twice(api, path)
            before = counts(cluster)
            second, _, body = api.call("POST", "/api/imports?file_name=again.csv", data, headers={"Content-Type": "text/csv"}, timeout=120)
            after = counts(cluster)
            if second != 200 or before[1:] != after[1:]:
                reimports_adding += 1
                problems.append(f"re-import answered {first} then {second}; rows/snapshots/cases {before[1:]} -> {after[1:]}")
            print(f"   round {n:3d}: killed {what} after {delay:.2f} s; {'consistent' if not problems else 'INCONSISTENT: ' + '; '.join(problems)}", flush=True)
            for problem in problems:
                report.check(False, f"round {n}: {problem}")

        acked_import_ids = [int(i) for i in acked["imports"] if isinstance(i, int) or str(i).isdigit()]
        present_imports = 0
        if acked_import_ids:
            present_imports = int(cluster.scalar(
                f"SELECT count(*) FROM import_file WHERE id IN ({','.join(map(str, acked_import_ids))}) AND verdict IN ('accepted', 'duplicate')"
            ))
        agenda_versions = int(cluster.scalar(f"SELECT count(*) FROM level2_agenda WHERE week = '{week}'"))
        missing = f.acknowledged_missing(cluster, acked["forms"])
        report.figure("kills of serve / of stranded import", f"{kills['serve']} / {kills['import']}")
        report.figure("form saves acknowledged / present / lost", f"{len(acked['forms'])} / {len(acked['forms']) - len(missing)} / {len(missing)}")
        report.figure("imports acknowledged / present", f"{len(acked_import_ids)} / {present_imports}")
        report.figure("agenda builds acknowledged / versions stored", f"{acked['agendas']} / {agenda_versions}")
        report.figure("second re-imports that added rows", reimports_adding)
        report.figure("restart to ready, seconds (median / max)",
                      f"{sorted(restart_seconds)[len(restart_seconds) // 2]:.2f} / {max(restart_seconds):.2f}")
        report.check(not missing, "every acknowledged form save survived every kill")
        report.check(present_imports == len(acked_import_ids), "every acknowledged import is stored")
        report.check(agenda_versions >= acked["agendas"], "every acknowledged agenda build is stored")
        report.check(len(acked["forms"]) > 0, "form saves were acknowledged between kills")
        service.terminate()

        # The short run kills the job whose second run would freeze a second version.
        jobs = ("open-week", "level1-deadline", "level2-agenda", "ce-summary") if args.long else ("level2-agenda",)
        scheduler_part(report, cluster, root, jobs)
    finally:
        service.kill9()
        if cluster:
            cluster.remove()
        f.tidy_workspace(report, root)
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
