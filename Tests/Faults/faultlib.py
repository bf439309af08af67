"""Shared parts of the fault programs: a throwaway PostgreSQL cluster on TCP,
`stranded` processes, HTTP calls, and the printed report.

Standard library only, so the programs run on any machine with python3 and
PostgreSQL's server binaries. Every program prints what it did and what it
found; a check fails on a count (a lost write, a 500), never on a timer.
"""

import datetime
import glob
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

# --------------------------------------------------------------------------
# Reporting


class Findings:
    """What a program checked; the exit status is 1 when any check failed."""

    def __init__(self, title):
        self.title = title
        self.failures = []
        self.started = time.monotonic()
        print(f"== {title}", flush=True)

    def step(self, text):
        print(f"   {text}", flush=True)

    def figure(self, name, value):
        print(f"   {name:<44} {value}", flush=True)

    def check(self, ok, text):
        print(f"   [{'ok' if ok else 'FAIL'}] {text}", flush=True)
        if not ok:
            self.failures.append(text)
        return ok

    def finish(self):
        took = time.monotonic() - self.started
        verdict = "passed" if not self.failures else f"FAILED ({len(self.failures)} checks)"
        print(f"== {self.title}: {verdict} in {took:.0f} s", flush=True)
        return 0 if not self.failures else 1


# --------------------------------------------------------------------------
# Processes and ports


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise SystemExit(f"{name} not found: install PostgreSQL's server programs (Debian: postgresql)")


def as_postgres(argv):
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + argv
    return argv


def workspace(prefix):
    """A private directory the postgres user can write to, removed by the caller's cleanup."""
    root = tempfile.mkdtemp(prefix=f"stranded-{prefix}-")
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    return root


def remove_workspace(root):
    shutil.rmtree(root, ignore_errors=True)


def tidy_workspace(report, root):
    """Removes the workspace after a clean run; keeps it, and says where, after a failure."""
    if not report.failures:
        remove_workspace(root)
    else:
        report.step(f"logs kept in {root}")


# --------------------------------------------------------------------------
# PostgreSQL


class Cluster:
    """One PostgreSQL cluster listening on 127.0.0.1:port, trust auth, run by pg_ctl."""

    def __init__(self, root, name="primary", port=None):
        self.root = root
        self.data = os.path.join(root, name)
        self.port = port or free_port()
        self.log = os.path.join(root, f"{name}.log")

    def run(self, argv, check=True):
        out = subprocess.run(as_postgres(argv), capture_output=True, text=True)
        if check and out.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:2])} failed: {out.stderr.strip() or out.stdout.strip()}")
        return out

    def init(self, settings=None):
        self.run([pg_bin("initdb"), "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"])
        self.configure(
            {
                "listen_addresses": "'127.0.0.1'",
                "port": str(self.port),
                "unix_socket_directories": f"'{self.root}'",
                "max_connections": "100",
                "wal_level": "replica",
                "max_wal_senders": "5",
                # The machine is shared and small: keep checkpoints quiet.
                "shared_buffers": "64MB",
                **(settings or {}),
            }
        )
        with open(os.path.join(self.data, "pg_hba.conf"), "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")

    def configure(self, settings):
        with open(os.path.join(self.data, "postgresql.auto.conf"), "a") as conf:
            for key, value in settings.items():
                conf.write(f"{key} = {value}\n")

    def start(self):
        self.run([pg_bin("pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-t", "60", "start"])

    def stop(self, mode="fast", check=True):
        return self.run([pg_bin("pg_ctl"), "-D", self.data, "-m", mode, "-w", "-t", "60", "stop"], check=check)

    def promote(self):
        self.run([pg_bin("pg_ctl"), "-D", self.data, "-w", "-t", "60", "promote"])

    def accepting(self):
        out = subprocess.run(
            [pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-t", "1"], capture_output=True
        )
        return out.returncode == 0

    def wait_accepting(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.accepting():
                return True
            time.sleep(0.05)
        return False

    def psql(self, sql, db="stranded"):
        """Rows of the last statement as lists of strings (tab separated, unaligned)."""
        out = subprocess.run(
            [pg_bin("psql"), "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
             "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db, "-c", sql],
            capture_output=True, text=True,
        )
        if out.returncode != 0:
            raise RuntimeError(f"psql failed: {out.stderr.strip()}")
        return [line.split("\t") for line in out.stdout.splitlines() if line != ""]

    def scalar(self, sql, db="stranded"):
        rows = self.psql(sql, db)
        return rows[0][0] if rows else None

    def create_database(self, name="stranded"):
        self.psql(f"CREATE DATABASE {name}", db="postgres")

    def url(self, db="stranded"):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def remove(self):
        self.stop("immediate", check=False)


# --------------------------------------------------------------------------
# The service and the command line


def stranded_binary():
    """STRANDED_BIN, else the release build, else the debug build of this checkout."""
    if os.environ.get("STRANDED_BIN"):
        return os.environ["STRANDED_BIN"]
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    for kind in ("release", "debug"):
        path = os.path.join(repo, ".build", kind, "stranded")
        if os.path.exists(path):
            return path
    raise SystemExit("no stranded binary: swift build -c release --product stranded, or set STRANDED_BIN")


def base_env(database_url):
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["STRANDED_LOG_LEVEL"] = env.get("STRANDED_LOG_LEVEL", "notice")
    env.pop("STRANDED_DEMO", None)
    return env


def command(database_url, *args, check=True, timeout=600):
    out = subprocess.run(
        [stranded_binary(), *args], env=base_env(database_url), capture_output=True, text=True, timeout=timeout
    )
    if check and out.returncode != 0:
        raise RuntimeError(f"stranded {args[0]} failed ({out.returncode}): {out.stderr.strip()[-2000:]}")
    return out


class Service:
    """One `stranded serve` process against an external database."""

    def __init__(self, root, database_url, name="serve", port=None, scheduler=False, inbox=None, extra_env=None):
        self.port = port or free_port()
        self.name = name
        self.log_path = os.path.join(root, f"{name}.log")
        self.env = base_env(database_url)
        self.env.update(
            {
                "STRANDED_HOST": "127.0.0.1",
                "STRANDED_PORT": str(self.port),
                "STRANDED_SCHEDULER": "1" if scheduler else "0",
                "STRANDED_POOL_TIMEOUT": self.env.get("STRANDED_POOL_TIMEOUT", "5"),
            }
        )
        if inbox:
            self.env["STRANDED_INBOX"] = inbox
        self.env.update(extra_env or {})
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [stranded_binary(), "serve"], env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log_path}")
            status, _, _ = request("GET", self.base + "/ready", timeout=2)
            if status == 200:
                return True
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} not ready within {timeout} s; see {self.log_path}")

    def kill9(self):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def terminate(self, timeout=60):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill9()
        return self.process.returncode if self.process else None

    def alive(self):
        return self.process is not None and self.process.poll() is None


# --------------------------------------------------------------------------
# HTTP


def request(method, url, body=None, headers=None, timeout=10):
    """(status, headers by lower-case name with every set-cookie in a list, body bytes); status 0 when no HTTP answer came (refused, reset, timeout)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    data = body
    hdrs = dict(headers or {})
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        data = body.encode()
    try:
        conn.request(method, path, body=data, headers=hdrs)
        response = conn.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        headers["set-cookie"] = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
        return response.status, headers, response.read()
    except (OSError, http.client.HTTPException):
        return 0, {}, b""
    finally:
        conn.close()


def as_json(body):
    try:
        return json.loads(body or b"null")
    except ValueError:
        return None


class Api:
    """Bearer-token calls to one base URL."""

    def __init__(self, base, token):
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def call(self, method, path, body=None, headers=None, timeout=15):
        return request(method, self.base + path, body, {**self.headers, **(headers or {})}, timeout)


# --------------------------------------------------------------------------
# Data


def prepare_database(cluster, small=False):
    """Migrated database, demo data, one token and one user that may do everything the programs do.

    `small`: two sites and the last three weeks (the short runs), walked
    through the weekly cycle, instead of the whole demo (six sites, eight weeks)."""
    cluster.create_database()
    url = cluster.url()
    command(url, "migrate")
    if small:
        load_small_demo(cluster, url)
    else:
        command(url, "demo", "load")
    sites = [row[0] for row in cluster.psql("SELECT code FROM site ORDER BY code")]
    roles = ["administrator", "data", "level2"] + [f"ward:{code}" for code in sites]
    args = ["tokens", "create", "--name", f"faults-{random.randrange(1 << 30)}"]
    for role in roles:
        args += ["--role", role]
    token = command(url, *args).stdout.strip().splitlines()[-1].strip()
    # The same roles for a person, who signs in and reads pages with a session cookie.
    user = ["users", "add", USER, "--password-stdin"]
    for role in roles:
        user += ["--role", role]
    out = subprocess.run([stranded_binary(), *user], input=PASSWORD + "\n", text=True, env=base_env(url), capture_output=True)
    if out.returncode != 0:
        raise RuntimeError(f"stranded users add failed: {out.stderr.strip()[-500:]}")
    return token


def demo_lists(url, out, small):
    """Writes the demo's files (`stranded demo generate`) to `out`; returns the ward lists' paths, oldest first.

    The same seed as the loaded demo, so the sites are the registered ones."""
    args = ["demo", "generate", "--out", out]
    if small:
        today = datetime.date.today()
        first = today - datetime.timedelta(days=today.weekday(), weeks=2)
        args += ["--sites", "2", "--beds", "150", "--weeks", "3", "--first-monday", first.isoformat()]
    command(url, *args)
    return [os.path.join(out, n) for n in sorted(os.listdir(out)) if n.startswith("ward-list-")]


def load_small_demo(cluster, url):
    out = os.path.join(cluster.root, "small-demo")
    lists = demo_lists(url, out, small=True)
    command(url, "sites", "import", os.path.join(out, "sites.csv"))
    for path in lists:
        command(url, "import", path)
    first = os.path.basename(lists[0])[len("ward-list-"):-len(".csv")]
    last = os.path.basename(lists[-1])[len("ward-list-"):-len(".csv")]
    command(url, "cycle", "simulate", "--from", first, "--to", last)


USER = "faults-user"
PASSWORD = "faults-user-password-1"


def sign_in(base):
    """Signs in on `base` with the login form; returns the Cookie header to send, or None."""
    status, headers, body = request("GET", base + "/login", headers={"Accept": "text/html"})
    token = re.search(rb'name="_csrf" value="([^"]+)"', body)
    cookies = list(headers.get("set-cookie", []))
    if status != 200 or not token:
        return None
    form = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "_csrf": token.group(1).decode()})
    status, headers, _ = request(
        "POST", base + "/login", form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "; ".join(cookies), "Accept": "text/html"},
    )
    cookies += headers.get("set-cookie", [])
    return "; ".join(cookies) if status in (200, 302, 303) else None


def prepared_cluster(root, name="primary", settings=None, small=False):
    """A started cluster with the demo database, a token and a user; returns (cluster, token).

    Loading the demo takes half a minute, so when FAULTS_TEMPLATE names a
    directory (scripts/faults sets one per run) the first program leaves a
    stopped copy there and the others copy it instead of loading again."""
    template = os.environ.get("FAULTS_TEMPLATE")
    cluster = Cluster(root, name)
    token_file = os.path.join(template, "token") if template else None
    if token_file and os.path.exists(token_file):
        subprocess.run(["cp", "-a", os.path.join(template, "data"), cluster.data], check=True)
        cluster.configure({"port": str(cluster.port), "unix_socket_directories": f"'{root}'", **(settings or {})})
        cluster.start()
        with open(token_file) as handle:
            return cluster, handle.read().strip()
    cluster.init(settings)
    cluster.start()
    token = prepare_database(cluster, small=small)
    if template:
        cluster.stop("fast")
        os.makedirs(template, exist_ok=True)
        subprocess.run(["cp", "-a", cluster.data, os.path.join(template, "data")], check=True)
        with open(token_file, "w") as handle:
            handle.write(token)
        cluster.start()
    return cluster, token


def open_forms(cluster, limit=200):
    """(form id, ward id, week) of forms in the latest week, for writers to save."""
    rows = cluster.psql(
        f"""SELECT id, ward_id, week_start FROM level1_form
            WHERE week_start = (SELECT max(week_start) FROM level1_form) AND status <> 'discharged'
            ORDER BY id LIMIT {limit}"""
    )
    return [(int(r[0]), r[1], r[2]) for r in rows]


def save_form(api, form_id, marker, timeout=15, open_forms=None):
    """GET the form, PUT it back with `marker` as the Q1 narrative.

    `open_forms`, when given, is a dict of form id -> (version, review) this
    writer last had on screen. When reading the form fails, the writer does
    what a ward user with the form already open does and presses save anyway
    with what it had; an acknowledged save updates what it has open.

    Returns (status, saved version or None, body, put_sent): the PUT's answer,
    or the GET's when reading the form failed and nothing was open (then
    put_sent is False)."""
    status, _, body = api.call("GET", f"/api/forms/{form_id}", timeout=timeout)
    if status == 200:
        form = as_json(body)["form"]
        version, review = form["version"], form.get("review") or {}
    elif open_forms is not None and form_id in open_forms:
        version, review = open_forms[form_id]
    else:
        return status, None, body, False
    review.setdefault("q1", {})["narrative"] = marker
    status, _, body = api.call("PUT", f"/api/forms/{form_id}", {"version": version, "review": review}, timeout=timeout)
    saved = as_json(body) if status == 200 else None
    if saved and open_forms is not None:
        open_forms[form_id] = (saved["form"]["version"], review)
    return status, (saved["form"]["version"] if saved else None), body, True


def acknowledged_missing(cluster, acks):
    """Acknowledged saves (form id, version, marker) with no stored version carrying that marker."""
    if not acks:
        return []
    values = ",".join(f"({f},{v},'{m}')" for f, v, m in acks)
    rows = cluster.psql(
        f"""SELECT a.f, a.v FROM (VALUES {values}) AS a(f, v, m)
            WHERE NOT EXISTS (SELECT 1 FROM level1_form_version x
                              WHERE x.form_id = a.f AND x.version = a.v AND x.review->'q1'->>'narrative' = a.m)"""
    )
    return rows
