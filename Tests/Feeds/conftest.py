"""The feeds suite's server: `stranded serve` with the HL7 v2 listener on,
two registered sites mapped as feed facilities, a feed token and a data
token, on free ports with a throwaway data directory, stopped at the end
and its directory removed (its database and debug log hold the messages'
patients, synthetic as they are; STRANDED_KEEP_FEEDS=1 keeps it to look at)."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAX_FRAME = 65536
IDLE_SECONDS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary() -> Path:
    explicit = os.environ.get("STRANDED_BIN")
    path = Path(explicit) if explicit else REPO / ".build" / "debug" / "stranded"
    if not path.exists():
        pytest.exit(f"{path} not found: build first (swift build), or set STRANDED_BIN", returncode=2)
    return path


class Server:
    def __init__(self, url, mllp_port, feed_token, data_token, log_path):
        self.url = url
        self.mllp_port = mllp_port
        self.feed_token = feed_token
        self.data_token = data_token
        self.log_path = log_path


@pytest.fixture(scope="session")
def server():
    work = Path(tempfile.mkdtemp(prefix="stranded-feeds-"))
    work.chmod(0o755)  # the embedded PostgreSQL runs as postgres when we are root
    data = ["--data-dir", str(work / "pg")]

    def cli(*args) -> str:
        done = subprocess.run([str(_binary()), *args, *data], capture_output=True, text=True, cwd=work, timeout=300)
        assert done.returncode == 0, f"stranded {' '.join(args)}: {done.stderr[-2000:]}"
        return done.stdout

    cli("sites", "add-organisation", "R9A", "Northshire Hospitals")
    cli("sites", "add-organisation", "R9B", "Northshire Community")
    cli("sites", "add", "ACU1", "--name", "Northshire General", "--setting", "acute", "--organisation", "R9A")
    cli("sites", "add", "COM1", "--name", "Riverside Community Hospital", "--setting", "community", "--organisation", "R9B")
    cli("sites", "feed-map", "ACU1", "ACU1", "--ward", "7B=W7B")
    cli("sites", "feed-map", "COM1", "COM1")
    assert "ACU1\tACU1" in cli("sites", "feed-list")
    feed_token = cli("tokens", "create", "--name", "pas", "--role", "feed").strip().splitlines()[-1]
    data_token = cli("tokens", "create", "--name", "data-team", "--role", "data").strip().splitlines()[-1]

    port, mllp_port = _free_port(), _free_port()
    log_path = work / "server.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [str(_binary()), "serve", "--no-scheduler", *data, "--port", str(port),
         "--hl7-listen", f"127.0.0.1:{mllp_port}", "--hl7-idle-timeout", str(IDLE_SECONDS),
         "--hl7-max-frame-bytes", str(MAX_FRAME), "--log-level", "debug"],
        stdout=log, stderr=log, cwd=work, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/ready", timeout=2)
            with socket.create_connection(("127.0.0.1", mllp_port), timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                log.flush()
                pytest.exit("the server did not start:\n" + log_path.read_text()[-3000:], returncode=2)
            time.sleep(0.3)
    yield Server(url, mllp_port, feed_token, data_token, log_path)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    log.close()
    if os.environ.get("STRANDED_KEEP_FEEDS") == "1":
        print(f"feeds suite: kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
