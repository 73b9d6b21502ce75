"""
The XBlock SDK workbench as a throw-away server, and a headless Debian Chromium to drive it.

Used by the browser tests and by ``scripts/screenshots.py``. Nothing here downloads a
browser: Playwright drives the system's ``chromium`` (``CHROMIUM`` overrides the path).
"""
from __future__ import annotations

import ctypes
import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def _die_with_parent():
    """In the child: ask Linux to end the server when the process that started it dies (a killed pytest)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WorkbenchServer:
    """
    ``django-admin runserver`` on a free loopback port, with its own temporary ``var/`` and SQLite file.

    The server runs with a temporary directory as its working directory, so the
    workbench's relative ``var/`` (log file) never touches the repository.
    """

    def __init__(self, startup_timeout: float = 90.0):
        self.startup_timeout = startup_timeout
        self.workdir = Path(tempfile.mkdtemp(prefix="competency-workbench-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.workdir / "server.log"
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def env(self) -> dict:
        database = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.workdir / "workbench.db")}}
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": "workbench_demo.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")])),
            "WORKBENCH_DATABASES": json.dumps(database),
            "EXCLUDE_SAMPLE_XBLOCKS": "yes",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    @staticmethod
    def _django_admin(*args):
        return [sys.executable, "-m", "django", *args]

    def start(self) -> "WorkbenchServer":
        migrate = subprocess.run(self._django_admin("migrate", "--run-syncdb", "--verbosity", "0"),
                                 cwd=self.workdir, env=self.env, capture_output=True, text=True, timeout=300)
        if migrate.returncode != 0:
            raise RuntimeError(f"migrate failed:\n{migrate.stdout}\n{migrate.stderr}")
        self._log = open(self.log_path, "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            self._django_admin("runserver", f"127.0.0.1:{self.port}", "--noreload"),
            cwd=self.workdir, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        self._wait_until_up()
        return self

    def _wait_until_up(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the workbench exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the workbench did not answer within {self.startup_timeout} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-5000:]
        except OSError:
            return ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._log:
            self._log.close()
            self._log = None

    def scenarios(self) -> dict[str, str]:
        """Scenario description -> path, as the workbench's index page lists them."""
        with urllib.request.urlopen(self.base_url + "/", timeout=10) as response:
            page = response.read().decode("utf-8")
        return {html.unescape(text).strip(): href
                for href, text in re.findall(r'<a href="(/scenario/[^"]+)">([^<]+)</a>', page)}

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def launch_chromium(playwright):
    """Debian's Chromium, headless, with a fresh profile that Playwright creates and removes."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
