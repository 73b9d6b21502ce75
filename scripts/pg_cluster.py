"""
A private, throw-away PostgreSQL cluster on the loopback interface, from Debian's packages.

Used by ``scripts/loadtest.py``. The server binaries come from Debian's ``postgresql``
package (``apt-get install -y postgresql``; ``PG_BINDIR`` overrides where they are).
Nothing is downloaded and the system's own cluster is never touched: ``initdb`` writes
into a temporary folder, and ``postgres`` runs as a child of this process, listening on
127.0.0.1 and a socket in that folder only, with trust authentication (loopback only).
Because the postmaster is our direct child, Linux stops it (fast shutdown) if this
process dies without cleaning up; ``stop()`` ends it and removes the folder.
PostgreSQL refuses to run as root, so as root the cluster runs as the ``postgres``
system user that the Debian package creates.
"""
from __future__ import annotations

import ctypes
import glob
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


def _die_with_parent():
    """In the child: have Linux send SIGINT (fast shutdown) when the process that started it dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGINT)  # PR_SET_PDEATHSIG
    except OSError:
        pass


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
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None, **self._user)
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
