"""
The servers of the load test (``scripts/loadtest.py``), on the loopback interface only.

``PostgresCluster``: a private, throw-away PostgreSQL cluster. The server binaries come
from Debian's ``postgresql`` package (``apt-get install -y postgresql``; ``PG_BINDIR``
overrides where they are).
Nothing is downloaded and the system's own cluster is never touched: ``initdb`` writes
into a temporary folder, and ``postgres`` runs as a child of this process, listening on
127.0.0.1 and a socket in that folder only, with trust authentication (loopback only).
Because the postmaster is our direct child, Linux stops it (fast shutdown) if this
process dies without cleaning up; ``stop()`` ends it and removes the folder.
PostgreSQL refuses to run as root, so as root the cluster runs as the ``postgres``
system user that the Debian package creates.

``Workbench``: the XBlock SDK workbench under gunicorn (several workers and threads; see
``gunicorn_workbench.py``) on a free port, with its own working folder, on a given database.
"""
from __future__ import annotations

import ctypes
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
APT_HINT = "apt-get install -y postgresql"
DATABASE = "workbench"
SUPERUSER = "workbench"


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing, or the cluster could not start."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def find_bindir() -> Path:
    """The folder of ``initdb`` and ``postgres``: ``PG_BINDIR``, else Debian's newest version."""
    candidates = [os.environ["PG_BINDIR"]] if os.environ.get("PG_BINDIR") else sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name)
        if Path(path).parent.name.isdigit() else 0, reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").is_file() and (Path(candidate) / "postgres").is_file():
            return Path(candidate)
    raise PostgresUnavailable(f"PostgreSQL server binaries not found (looked in {candidates or '/usr/lib/postgresql/*/bin'}); "
                              f"install Debian's package: {APT_HINT}")


def _signal_when_parent_dies(sig: int):
    """In the child: have Linux send ``sig`` when the process that started it dies without cleaning up."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, sig)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _fast_shutdown_with_parent():
    _signal_when_parent_dies(signal.SIGINT)  # the postmaster's fast shutdown


def _terminate_with_parent():
    _signal_when_parent_dies(signal.SIGTERM)


class PostgresCluster:
    """``initdb`` + ``postgres`` in a temporary folder; use as a context manager or call start()/stop()."""

    def __init__(self, startup_timeout: float = 60.0):
        self.startup_timeout = startup_timeout
        self.bindir = find_bindir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="competency-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.process: subprocess.Popen | None = None
        self._log = None
        self._user = self._run_as()

    @staticmethod
    def _run_as() -> dict:
        """Subprocess arguments that drop root to the ``postgres`` user; nothing when not root."""
        if os.geteuid() != 0:
            return {}
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable(f"running as root, but there is no 'postgres' user to run the server as; "
                                      f"{APT_HINT} creates it") from None
        return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}

    @property
    def database_settings(self) -> dict:
        """Django's DATABASES for this cluster (for WORKBENCH_DATABASES)."""
        return {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": DATABASE, "USER": SUPERUSER,
                            "HOST": "127.0.0.1", "PORT": str(self.port)}}

    def start(self) -> "PostgresCluster":
        try:
            if self._user:
                os.chown(self.root, self._user["user"], self._user["group"])
            initdb = subprocess.run(
                [str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                 "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
                capture_output=True, text=True, timeout=120, **self._user)
            if initdb.returncode != 0:
                raise PostgresUnavailable(f"initdb failed:\n{initdb.stdout}\n{initdb.stderr}")
            self._log = open(self.log_path, "w", encoding="utf-8")  # pylint: disable=consider-using-with
            if self._user:
                os.chown(self.log_path, self._user["user"], self._user["group"])
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [str(self.bindir / "postgres"), "-D", str(self.data), "-p", str(self.port),
                 "-h", "127.0.0.1", "-k", str(self.root), "-c", "max_connections=200"],
                stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=_fast_shutdown_with_parent if sys.platform.startswith("linux") else None, **self._user)
            self._wait_until_ready()
            self._create_database()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PostgresUnavailable(f"postgres exited with {self.process.returncode}:\n{self.log()}")
            ready = subprocess.run([str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                                   capture_output=True, timeout=10)
            if ready.returncode == 0:
                return
            time.sleep(0.2)
        raise PostgresUnavailable(f"postgres did not accept connections within {self.startup_timeout} s:\n{self.log()}")

    def _create_database(self):
        import psycopg  # pylint: disable=import-outside-toplevel  # only the load test needs it
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True, connect_timeout=10) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-5000:]
        except OSError:
            return ""

    def stop(self):
        """Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL; remove the folder."""
        if self.process and self.process.poll() is None:
            for sig, wait in ((signal.SIGINT, 30), (signal.SIGQUIT, 10), (signal.SIGKILL, 10)):
                self.process.send_signal(sig)
                try:
                    self.process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._log:
            self._log.close()
            self._log = None
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Workbench:
    """The workbench under gunicorn on a free loopback port, on the given database."""

    def __init__(self, databases: dict, workers: int, threads: int, startup_timeout: float = 120.0):
        self.workdir = Path(tempfile.mkdtemp(prefix="competency-load-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers, self.threads, self.startup_timeout = workers, threads, startup_timeout
        self.env = dict(os.environ)
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "workbench_demo.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])),
            "EXCLUDE_SAMPLE_XBLOCKS": "yes",
            "WORKBENCH_DATABASES": json.dumps(databases),
            "WORKBENCH_RESET_STATE_ON_RESTART": "false",
            "PYTHONUNBUFFERED": "1",
        })
        self.log_path = self.workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self._log = None

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """A Python command with the workbench's environment, in its folder."""
        return subprocess.run([sys.executable, *args], cwd=self.workdir, env=self.env, capture_output=True,
                              text=True, timeout=timeout)

    def start(self) -> "Workbench":
        migrate = self.run("-m", "django", "migrate", "--run-syncdb", "--verbosity", "0")
        if migrate.returncode != 0:
            raise RuntimeError(f"migrate failed:\n{migrate.stdout}\n{migrate.stderr}")
        self._log = open(self.log_path, "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "gunicorn", "-c", str(REPO_ROOT / "scripts" / "gunicorn_workbench.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--threads", str(self.threads),
             "--timeout", "120", "--graceful-timeout", "10", "workbench.wsgi:application"],
            cwd=self.workdir, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_terminate_with_parent if sys.platform.startswith("linux") else None)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.base_url + "/", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
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
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._log:
            self._log.close()
            self._log = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def rebuild_stats(self, usage_id: str, check: bool) -> dict:
        """``competency-xblock rebuild-stats`` on the workbench's database; its JSON report of the block."""
        args = ["-m", "competency_xblock.cli", "rebuild-stats", "--json", usage_id] + (["--check"] if check else [])
        done = self.run(*args)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"rebuild-stats failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        (report,) = json.loads(done.stdout)
        return report
