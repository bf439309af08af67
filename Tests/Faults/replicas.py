"""Part 5: three `stranded serve` replicas on one PostgreSQL behind HAProxy.

HAProxy runs with the repository's own Deploy/haproxy.cfg (health checks on
/ready). Checked:
- a session signed in on one replica works on the others;
- each weekly job runs once across the replicas (all three run the scheduler);
- each inbox file (one shared inbox) is imported once;
- trend figures refreshed by all replicas at once equal a single rebuild;
- a rolling restart (SIGTERM one replica at a time, then start it again)
  under steady load through the balancer fails no request.
"""

import argparse
import os
import random
import shutil
import subprocess
import threading
import time
import uuid

import faultlib as f
from crash import mutated_list

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HAPROXY_CFG = os.path.join(REPO, "Deploy", "haproxy.cfg")
DRAIN_SECONDS = 3


class Balancer:
    def __init__(self, root, replicas):
        self.port = f.free_port()
        env = dict(os.environ)
        env["STRANDED_LB_BIND"] = f"127.0.0.1:{self.port}"
        for n in range(1, 4):
            port = replicas[n - 1].port if n <= len(replicas) else f.free_port()
            env[f"STRANDED_REPLICA_{n}"] = f"127.0.0.1:{port}"
        self.log = open(os.path.join(root, "haproxy.log"), "ab")
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self.process = subprocess.Popen([haproxy, "-db", "-f", HAPROXY_CFG], env=env, stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()


def sessions_shared(report, replicas):
    cookie = f.sign_in(replicas[0].base)
    report.check(cookie is not None, "signed in on replica 1")
    for replica in replicas[1:]:
        status, _, _ = f.request("GET", replica.base + "/cycle", headers={"Cookie": cookie or "", "Accept": "text/html"})
        report.check(status == 200, f"the session from replica 1 opens /cycle on {replica.name} ({status})")


def jobs_once(report, cluster):
    rows = cluster.psql("SELECT job, week, attempts, runner FROM cycle_job_run WHERE status = 'succeeded' ORDER BY week, job")
    runners = sorted({r[3].split(":")[-1] for r in rows})
    report.figure("job runs recorded (job, week)", len(rows))
    report.figure("replica processes that ran jobs", runners)
    twice = cluster.psql(
        """SELECT 'agenda', week::text, count(*) FROM level2_agenda WHERE built_by = 'scheduler' GROUP BY week HAVING count(*) > 1
           UNION ALL SELECT 'summary', week_start::text, count(*) FROM ce_summary WHERE built_by = 'scheduler' GROUP BY week_start HAVING count(*) > 1"""
    )
    report.check(not twice, f"each weekly job ran once: no second agenda or summary frozen by the scheduler ({twice})")
    forms_twice = cluster.scalar("SELECT count(*) FROM (SELECT case_id, week_start FROM level1_form GROUP BY 1, 2 HAVING count(*) > 1) x")
    report.check(forms_twice == "0", f"no case has two forms for a week ({forms_twice})")
    repeated = cluster.scalar("SELECT count(*) FROM cycle_job_run WHERE status = 'succeeded' AND attempts > 1")
    report.figure("jobs that needed more than one attempt", repeated)


def inbox_once(report, cluster, inbox, files):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        left = [n for n in os.listdir(inbox) if n.endswith(".csv")]
        processing = os.listdir(os.path.join(inbox, "processing")) if os.path.isdir(os.path.join(inbox, "processing")) else []
        if not left and not processing:
            break
        time.sleep(0.5)
    rows = cluster.psql("SELECT file_name, verdict FROM import_file WHERE source = 'inbox' ORDER BY file_name")
    names = [r[0] for r in rows]
    done = sorted(n for n in os.listdir(os.path.join(inbox, "done")) if n.endswith(".csv"))
    report.figure("inbox files dropped / imported rows / in done/", f"{len(files)} / {len(rows)} / {len(done)}")
    report.figure("inbox verdicts", {v: sum(1 for r in rows if r[1] == v) for v in sorted({r[1] for r in rows})})
    report.check(sorted(names) == sorted(files), "each inbox file was imported exactly once (one import record per file)")
    twice = cluster.scalar("SELECT count(*) FROM (SELECT fingerprint FROM import_file WHERE verdict = 'accepted' GROUP BY 1 HAVING count(*) > 1) x")
    report.check(twice == "0", "no content accepted twice")


TREND_TABLES = ("trend_ward_week", "trend_rollup_week", "trend_review_week", "trend_review_reason")


def trend_digest(cluster):
    digest = {}
    for table in TREND_TABLES:
        columns = [
            r[0] for r in cluster.psql(
                f"""SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'
                    AND column_name NOT LIKE '%\\_at' AND data_type NOT LIKE 'timestamp%' ORDER BY ordinal_position"""
            )
        ]
        cols = ", ".join(columns)
        digest[table] = cluster.scalar(
            f"SELECT count(*) || ':' || coalesce(md5(string_agg(row({cols})::text, '|' ORDER BY row({cols})::text)), '') FROM {table}"
        )
    return digest


def trends_not_doubled(report, cluster, replicas, token):
    # Every replica reads the trends at once: each read refreshes what is stale first.
    threads = [
        threading.Thread(target=lambda r=r: f.Api(r.base, token).call("GET", "/api/trends?format=json", timeout=120))
        for r in replicas for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stale = cluster.scalar("SELECT (SELECT count(*) FROM trend_list_stale) + (SELECT count(*) FROM trend_review_stale)")
    concurrent = trend_digest(cluster)
    f.command(cluster.url(), "trends", "rebuild")
    rebuilt = trend_digest(cluster)
    report.figure("stale trend marks left after the concurrent refresh", stale)
    report.check(concurrent == rebuilt, "trend figures refreshed by three replicas at once equal one rebuild from the raw data")


class SteadyLoad:
    """Clients through the balancer: page reads and form saves, every answer counted."""

    def __init__(self, api, forms, clients=4):
        self.api = api
        self.forms = forms
        self.clients = clients
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers = {}
        self.failed = []
        self.threads = []
        self.cookie = f.sign_in(api.base) or ""

    def client(self, index):
        mine = self.forms[index :: self.clients]
        n = 0
        while not self.stop.is_set():
            form_id, ward, week = mine[n % len(mine)]
            n += 1
            if n % 2:
                status, _, _, _ = f.save_form(self.api, form_id, f"rolling-{uuid.uuid4().hex[:10]}")
                kind = "save"
            else:
                status, _, _ = f.request(
                    "GET", f"{self.api.base}/wards/{ward}?week={week}", headers={"Accept": "text/html", "Cookie": self.cookie}
                )
                kind = "page"
            with self.lock:
                self.answers[f"{kind} {status}"] = self.answers.get(f"{kind} {status}", 0) + 1
                if status != 200:
                    self.failed.append((kind, status, time.strftime("%H:%M:%S")))

    def start(self):
        self.threads = [threading.Thread(target=self.client, args=(i,)) for i in range(self.clients)]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def rolling_restart(report, replicas, balancer, token, forms, cycles):
    load = SteadyLoad(f.Api(balancer.base, token), forms)
    load.start()
    drains = []
    try:
        time.sleep(3)
        for _ in range(cycles):
            for replica in replicas:
                started = time.monotonic()
                code = replica.terminate(timeout=60)
                drains.append(time.monotonic() - started)
                report.step(f"rolling restart: {replica.name} stopped by SIGTERM (exit {code}) after {drains[-1]:.1f} s; starting it again")
                replica.start()
                replica.wait_ready()
                time.sleep(3)  # the balancer's rise: two good checks a second apart
        time.sleep(2)
    finally:
        load.finish()
    total = sum(load.answers.values())
    report.figure("rolling restart: requests / failed", f"{total} / {len(load.failed)}")
    report.figure("rolling restart: answers", dict(sorted(load.answers.items())))
    report.figure("SIGTERM to exit, seconds (each replica)", ", ".join(f"{d:.1f}" for d in drains))
    report.check(total > 0 and not load.failed, f"no request failed during the rolling restart ({load.failed[:5]})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="more inbox files and three rolling-restart cycles")
    parser.add_argument("--replicas", type=int, default=3, choices=(2, 3))
    parser.add_argument("--drain-seconds", type=int, default=DRAIN_SECONDS,
                        help=f"the replicas' STRANDED_DRAIN_SECONDS (default {DRAIN_SECONDS}; 0 shows what the drain prevents)")
    args = parser.parse_args()
    inbox_files, cycles = (12, 3) if args.long else (4, 1)

    report = f.Findings(f"replicas: {args.replicas} `stranded serve` behind HAProxy on one PostgreSQL")
    root = f.workspace("replicas")
    cluster = None
    replicas = []
    balancer = None
    try:
        cluster, token = f.prepared_cluster(root, small=not args.long)
        # The weekly jobs of the current week and the summary of the last are left to the replicas.
        cleared = cluster.psql(
            "DELETE FROM cycle_job_run WHERE week >= (SELECT max(week) FROM cycle_job_run) - 7 RETURNING job, week"
        )
        report.step(f"job records cleared for the replicas to run: {len(cleared)}")
        forms = f.open_forms(cluster, limit=40)
        inbox = os.path.join(root, "inbox")
        os.makedirs(inbox)
        replicas = [
            f.Service(root, cluster.url(), name=f"replica-{n}", scheduler=True, inbox=inbox,
                      extra_env={"STRANDED_DRAIN_SECONDS": str(args.drain_seconds), "STRANDED_POOL_SIZE": "8"})
            for n in range(1, args.replicas + 1)
        ]
        for replica in replicas:
            replica.start()
        for replica in replicas:
            replica.wait_ready()
        balancer = Balancer(root, replicas)
        time.sleep(3)
        report.step(f"{len(replicas)} replicas ready behind HAProxy on port {balancer.port}")

        # Inbox: new lists for the latest date, plus one file twice under two names.
        generated = os.path.join(root, "lists")
        base = os.path.basename(f.demo_lists(cluster.url(), generated, small=not args.long)[-1])
        snapshot_date = base[len("ward-list-"):-len(".csv")]
        with open(os.path.join(generated, base)) as handle:
            base_lines = handle.readlines()
        rng = random.Random(5)
        names = []
        for n in range(inbox_files):
            name = f"ward-list-{snapshot_date}-{n:02d}.csv"
            staging = os.path.join(root, name)
            mutated_list(base_lines, staging, rng)
            names.append(name)
            os.rename(staging, os.path.join(inbox, name))  # a rename: complete when it appears
        shutil.copy(os.path.join(inbox, names[0]), os.path.join(root, "again.csv"))
        os.rename(os.path.join(root, "again.csv"), os.path.join(inbox, f"again-{snapshot_date}.csv"))
        names.append(f"again-{snapshot_date}.csv")

        sessions_shared(report, replicas)
        inbox_once(report, cluster, inbox, names)
        time.sleep(5)  # the schedulers' first look has long happened; let the last job finish
        jobs_once(report, cluster)
        trends_not_doubled(report, cluster, replicas, token)
        rolling_restart(report, replicas, balancer, token, forms, cycles)
    finally:
        if balancer:
            balancer.stop()
        for replica in replicas:
            replica.terminate(timeout=30)
        if cluster:
            cluster.remove()
        f.tidy_workspace(report, root)
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
