"""The browser suite's server and sign-in.

One `stranded serve --demo` for the whole run (loading the demo takes about a
minute), on a free port with a throwaway data directory, stopped at the end.
The browser is the system's Chromium (Playwright cannot download its own here).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from support import a11y, report  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEMO_USER = re.compile(r"^demo user (\S+) \((\S+)\) password: (\S+)$")
ROLES = ("demo-administrator", "demo-data", "demo-ward", "demo-level2", "demo-executive")


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
    def __init__(self, url: str, passwords: dict[str, str]):
        self.url = url
        self.passwords = passwords


@pytest.fixture(scope="session")
def server():
    port = _free_port()
    work = Path(tempfile.mkdtemp(prefix="stranded-browser-"))
    # The embedded PostgreSQL runs as the postgres user when we are root: it must reach its directory.
    work.chmod(0o755)
    log = open(work / "server.log", "w")
    process = subprocess.Popen(
        [str(_binary()), "serve", "--demo", "--no-scheduler", "--data-dir", str(work / "pg"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=log, text=True, cwd=work, start_new_session=True)
    passwords: dict[str, str] = {}
    # Read the printed passwords as they come; keep draining stdout so the server never blocks on it.
    def read() -> None:
        for line in process.stdout:
            match = DEMO_USER.match(line.strip())
            if match:
                passwords[match.group(1)] = match.group(3)
    threading.Thread(target=read, daemon=True).start()

    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            if process.poll() is not None:
                pytest.exit(f"stranded serve exited with {process.returncode}; see {work / 'server.log'}", returncode=2)
            if time.monotonic() > deadline:
                pytest.exit(f"stranded serve not ready after 240 s; see {work / 'server.log'}", returncode=2)
            try:
                with urllib.request.urlopen(url + "/ready", timeout=2) as response:
                    if response.status == 200 and all(role in passwords for role in ROLES):
                        break
            except OSError:
                pass
            time.sleep(1)
        yield Server(url, passwords)
    finally:
        # SIGINT lets the service stop its PostgreSQL cleanly.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": chromium}


@pytest.fixture
def sign_in(browser, server):
    """sign_in("demo-ward") → a page signed in through the login form, in a
    context of its own; java_script_enabled=False for the no-JavaScript runs."""
    contexts = []

    def open_as(user: str, java_script_enabled: bool = True):
        context = browser.new_context(base_url=server.url, java_script_enabled=java_script_enabled)
        context.javascript_off = not java_script_enabled
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        a11y.check(page, "/login")
        page.get_by_label("User name").fill(user)
        page.get_by_label("Password").fill(server.passwords[user])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, f"sign-in as {user} failed: {page.url}"
        return page

    yield open_as
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.section("printed PDFs")
    for line in report.PRINTS:
        terminalreporter.write_line(line)
    terminalreporter.section("axe-core")
    for where, passes, violations in a11y.RESULTS:
        terminalreporter.write_line(f"{where}: {passes} rules pass; violations: {', '.join(violations) or 'none'}")
