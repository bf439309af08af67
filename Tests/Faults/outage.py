"""Part 4: the database goes away under load and comes back.

Writers save Level 1 forms and a reader loads ward pages while PostgreSQL is
stopped with `pg_ctl stop -m immediate` (a crash: no checkpoint, WAL replay on
start), kept down, then started again. Afterwards every save that was
acknowledged (2xx) must be stored; during the outage pages answer 503 and
saves a 503 saying the change was not saved (never a 500, never a silent
loss); the service must serve again on its own within 10 s of PostgreSQL
accepting connections.
"""

import argparse
import threading
import time
import uuid

import faultlib as f

RECOVERY_LIMIT_SECONDS = 10


class Load:
    """Writers and a reader running until stopped, counting every answer."""

    def __init__(self, api, forms, writers):
        self.api = api
        self.forms = forms
        self.writers = writers
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.sent = 0
        self.statuses = {}
        self.acks = []  # (form id, version, marker)
        self.unclear_refusals = []  # 503 saves whose message does not say "not saved"
        self.last_ok_save = 0.0
        self.threads = []

    def count(self, kind, status):
        with self.lock:
            self.sent += 1
            key = f"{kind} {status}"
            self.statuses[key] = self.statuses.get(key, 0) + 1

    def writer(self, index):
        mine = self.forms[index :: self.writers]
        open_forms = {}  # what this writer has on screen: a save during the outage is pressed on it
        n = 0
        while not self.stop.is_set():
            form_id = mine[n % len(mine)][0]
            n += 1
            marker = f"outage-{uuid.uuid4().hex[:12]}"
            status, version, body, put_sent = f.save_form(self.api, form_id, marker, open_forms=open_forms)
            # A save is a read of the form, then the PUT: a refused read with nothing open is not a refused save.
            self.count("save" if put_sent else "save's read", status)
            if 200 <= status < 300:
                with self.lock:
                    self.acks.append((form_id, version, marker))
                    self.last_ok_save = time.monotonic()
            elif status == 503 and put_sent:
                message = ((f.as_json(body) or {}).get("error") or {}).get("message", "")
                if "saved" not in message.lower():
                    with self.lock:
                        self.unclear_refusals.append(message[:120])
            if status != 200:
                time.sleep(0.1)  # what a client told "try again" does, without hammering

    def reader(self):
        """A person on a ward PC: signed in with a session cookie, reloading ward pages."""
        wards = sorted({(ward, week) for _, ward, week in self.forms})
        cookie = f.sign_in(self.api.base)
        n = 0
        while not self.stop.is_set():
            ward, week = wards[n % len(wards)]
            n += 1
            status, _, _ = f.request("GET", f"{self.api.base}/wards/{ward}?week={week}", headers={"Accept": "text/html", "Cookie": cookie})
            self.count("page", status)
            if status != 200:
                time.sleep(0.1)

    def start(self):
        self.threads = [threading.Thread(target=self.writer, args=(i,)) for i in range(self.writers)]
        self.threads.append(threading.Thread(target=self.reader))
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def wait_for_recovery(service, load, since, limit):
    """Seconds from `since` (PostgreSQL accepting) until /ready is 200 and a save is acknowledged."""
    deadline = since + max(limit * 3, 30)
    ready_at = None
    while time.monotonic() < deadline:
        if ready_at is None:
            status, _, _ = f.request("GET", service.base + "/ready", timeout=2)
            if status == 200:
                ready_at = time.monotonic()
        if ready_at is not None and load.last_ok_save > since:
            return max(ready_at, load.last_ok_save) - since
        time.sleep(0.05)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="five outages of 15 s under load (default: one of 4 s)")
    args = parser.parse_args()
    outages, down_seconds, steady_seconds = (5, 15, 15) if args.long else (1, 4, 4)

    report = f.Findings("outage: PostgreSQL stopped (immediate) and started under load")
    root = f.workspace("outage")
    cluster = None
    service = None
    load = None
    try:
        cluster, token = f.prepared_cluster(root, small=not args.long)
        forms = f.open_forms(cluster, limit=60)
        report.step(f"database ready: {len(forms)} forms of the latest week for the writers")
        service = f.Service(root, cluster.url(), name="serve")
        service.start()
        service.wait_ready()
        load = Load(f.Api(service.base, token), forms, writers=3)
        load.start()
        recoveries = []
        for n in range(1, outages + 1):
            time.sleep(steady_seconds)
            before = dict(load.statuses)
            cluster.stop("immediate")
            report.step(f"outage {n}: pg_ctl stop -m immediate; down for {down_seconds} s")
            time.sleep(down_seconds)
            cluster.start()
            accepting = time.monotonic()
            seconds = wait_for_recovery(service, load, accepting, RECOVERY_LIMIT_SECONDS)
            during = {k: v - before.get(k, 0) for k, v in load.statuses.items() if v - before.get(k, 0)}
            report.step(f"outage {n}: answers while down and recovering: {during}")
            recoveries.append(seconds)
            if seconds is None:
                report.check(False, f"outage {n}: the service did not recover")
            else:
                report.step(f"outage {n}: serving again {seconds:.2f} s after PostgreSQL accepted connections")
        time.sleep(steady_seconds)
        load.finish()

        missing = f.acknowledged_missing(cluster, load.acks)
        server_errors = sum(v for k, v in load.statuses.items() if k.rsplit(" ", 1)[1].startswith("5") and k.rsplit(" ", 1)[1] != "503")
        no_answer = sum(v for k, v in load.statuses.items() if k.rsplit(" ", 1)[1] == "0")
        refused_saves = load.statuses.get("save 503", 0)
        refused_pages = load.statuses.get("page 503", 0)
        report.figure("requests sent", load.sent)
        report.figure("answers by kind and status", dict(sorted(load.statuses.items())))
        report.figure("saves acknowledged (2xx)", len(load.acks))
        report.figure("acknowledged saves present", len(load.acks) - len(missing))
        report.figure("acknowledged saves lost", len(missing))
        report.figure("saves refused with 503 / pages 503", f"{refused_saves} / {refused_pages}")
        done = [s for s in recoveries if s is not None]
        if done:
            report.figure("recovery seconds (each outage)", ", ".join(f"{s:.2f}" for s in done))
        report.check(len(load.acks) > 0, "saves were acknowledged")
        report.check(not missing, f"every acknowledged save is stored ({len(missing)} lost)")
        report.check(server_errors == 0, f"no 5xx other than 503 ({server_errors})")
        report.check(no_answer == 0, f"every request got an HTTP answer ({no_answer} without)")
        report.check(refused_saves > 0 and refused_pages > 0, "the outage was seen: saves and pages answered 503")
        report.check(not load.unclear_refusals, f"every refused save says it was not saved ({load.unclear_refusals[:2]})")
        report.check(
            len(done) == outages and max(done) <= RECOVERY_LIMIT_SECONDS,
            f"recovered by itself within {RECOVERY_LIMIT_SECONDS} s of PostgreSQL accepting connections, every time",
        )
    finally:
        if load:
            load.finish()
        if service:
            service.terminate()
        if cluster:
            cluster.remove()
        f.tidy_workspace(report, root)
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
