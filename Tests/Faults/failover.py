"""Part 6: failover to a streaming standby while writes flow.

A primary and a standby made with pg_basebackup, synchronous replication on
(synchronous_standby_names names the standby, synchronous_commit = on), and
the service connected with a multi-host conninfo
(`host=a,b port=x,y target_session_attrs=read-write`). While writers save
forms, the primary is stopped (immediate: it fails) and the standby promoted.
The service must find the new primary by itself, and every acknowledged
save must be on it. Prints the write gap: from the last save acknowledged by
the old primary to the first acknowledged by the new one.
"""

import argparse
import os
import threading
import time
import uuid

import faultlib as f


class Writers:
    def __init__(self, api, forms, count=3):
        self.api = api
        self.forms = forms
        self.count = count
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acks = []  # (form id, version, marker, acknowledged at)
        self.answers = {}
        self.threads = []

    def writer(self, index):
        mine = self.forms[index :: self.count]
        n = 0
        while not self.stop.is_set():
            form_id = mine[n % len(mine)][0]
            n += 1
            marker = f"failover-{uuid.uuid4().hex[:12]}"
            status, version, _, _ = f.save_form(self.api, form_id, marker)
            with self.lock:
                self.answers[status] = self.answers.get(status, 0) + 1
                if status == 200:
                    self.acks.append((form_id, version, marker, time.monotonic()))
            if status != 200:
                time.sleep(0.05)

    def start(self):
        self.threads = [threading.Thread(target=self.writer, args=(i,)) for i in range(self.count)]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def make_standby(primary, root):
    standby = f.Cluster(root, name="standby")
    primary.run([f.pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                 "-D", standby.data, "-R", "-X", "stream", "-c", "fast"])
    standby.configure({
        "port": str(standby.port),
        "primary_conninfo": f"'host=127.0.0.1 port={primary.port} user=postgres application_name=standby'",
        # Once promoted it has no standby of its own: waiting for one would stop every commit.
        "synchronous_standby_names": "''",
    })
    return standby


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="longer writing before and after the failover")
    args = parser.parse_args()
    before_seconds, after_seconds = (20, 20) if args.long else (4, 4)

    report = f.Findings("failover: promote a synchronous standby while writes flow")
    root = f.workspace("failover")
    primary = None
    standby = None
    service = None
    writers = None
    try:
        primary, token = f.prepared_cluster(root, settings={"synchronous_standby_names": "'standby'", "synchronous_commit": "on"}, small=not args.long)
        standby = make_standby(primary, root)
        standby.start()
        state = None
        for _ in range(100):
            state = primary.scalar("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'", db="postgres")
            if state == "sync":
                break
            time.sleep(0.1)
        report.check(state == "sync", f"the standby streams synchronously ({state})")
        forms = f.open_forms(primary, limit=60)
        conninfo = (
            f"host=127.0.0.1,127.0.0.1 port={primary.port},{standby.port} dbname=stranded user=postgres "
            "target_session_attrs=read-write connect_timeout=3"
        )
        report.step(f"service connects with: {conninfo}")
        service = f.Service(root, conninfo, name="serve")
        service.start()
        service.wait_ready()
        writers = Writers(f.Api(service.base, token), forms)
        writers.start()
        time.sleep(before_seconds)

        failed_at = time.monotonic()
        primary.stop("immediate")
        standby.promote()
        promoted_at = time.monotonic()
        report.step(f"primary stopped (immediate); standby promoted {promoted_at - failed_at:.2f} s later")
        while time.monotonic() < promoted_at + 60:
            with writers.lock:
                if any(a[3] > promoted_at for a in writers.acks):
                    break
            time.sleep(0.05)
        time.sleep(after_seconds)
        writers.finish()

        before = [a for a in writers.acks if a[3] <= failed_at]
        after = [a for a in writers.acks if a[3] > promoted_at]
        last_old = max((a[3] for a in writers.acks if a[3] <= promoted_at), default=None)
        first_new = min((a[3] for a in after), default=None)
        missing = f.acknowledged_missing(standby, [a[:3] for a in writers.acks])
        in_recovery = standby.scalar("SELECT pg_is_in_recovery()")
        report.figure("saves acknowledged (before / after the failover)", f"{len(writers.acks)} ({len(before)} / {len(after)})")
        report.figure("answers by status", dict(sorted(writers.answers.items())))
        report.figure("acknowledged saves on the new primary / lost", f"{len(writers.acks) - len(missing)} / {len(missing)}")
        if last_old and first_new:
            report.figure("write gap, seconds (last ack on old -> first on new)", f"{first_new - last_old:.2f}")
            report.figure("promotion to first acknowledged write, seconds", f"{first_new - promoted_at:.2f}")
        report.check(in_recovery == "f", "the standby is the primary now")
        report.check(bool(after), "the service wrote to the new primary by itself (no restart)")
        report.check(not missing, f"every acknowledged save is on the new primary ({len(missing)} lost)")
        server_errors = sum(v for k, v in writers.answers.items() if k >= 500 and k != 503)
        report.check(server_errors == 0 and writers.answers.get(0, 0) == 0, "saves were refused only with 503 while no primary was there")
    finally:
        if writers:
            writers.finish()
        if service:
            service.terminate()
        if primary:
            primary.remove()
        if standby:
            standby.remove()
        f.tidy_workspace(report, root)
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
