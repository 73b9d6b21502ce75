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

Both are ``workbench_demo.server_process`` servers (start, wait, log, stop, die with their
parent), as is the browser tests' runserver workbench.
"""
from __future__ import annotations

import glob
import os
import pwd
import signal
import subprocess
import sys
from pathlib import Path

from workbench_demo.server_process import REPO_ROOT, ServerProcess, WorkbenchProcess, free_port

__all__ = ["APT_HINT", "DATABASE", "REPO_ROOT", "SUPERUSER", "PostgresCluster", "PostgresUnavailable", "Workbench",
           "find_bindir", "free_port"]

APT_HINT = "apt-get install -y postgresql"
DATABASE = "workbench"
SUPERUSER = "workbench"


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing, or the cluster could not start."""


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


class PostgresCluster(ServerProcess):
    """``initdb`` + ``postgres`` in a temporary folder; use as a context manager or call start()/stop()."""

    name = "postgres"
    workdir_prefix = "competency-pg-"
    log_name = "postgres.log"
    startup_error = PostgresUnavailable
    poll_interval = 0.2
    parent_death_signal = signal.SIGINT  # the postmaster's fast shutdown
    stop_signals = ((signal.SIGINT, 30), (signal.SIGQUIT, 10), (signal.SIGKILL, 10))  # fast, immediate, kill

    def __init__(self, startup_timeout: float = 60.0):
        self.bindir = find_bindir()
        self._user = self._run_as()
        super().__init__(startup_timeout)
        self.root = self.workdir
        self.data = self.root / "data"

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

    def prepare(self):
        if self._user:
            os.chown(self.root, self._user["user"], self._user["group"])
        initdb = subprocess.run(
            [str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
             "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, timeout=120, check=False, **self._user)
        if initdb.returncode != 0:
            raise PostgresUnavailable(f"initdb failed:\n{initdb.stdout}\n{initdb.stderr}")
        if self._user:  # the server writes its log itself once it has dropped root
            self.log_path.touch()
            os.chown(self.log_path, self._user["user"], self._user["group"])

    def command(self) -> list[str]:
        return [str(self.bindir / "postgres"), "-D", str(self.data), "-p", str(self.port),
                "-h", "127.0.0.1", "-k", str(self.root), "-c", "max_connections=200"]

    def popen_options(self) -> dict:
        return dict(self._user)

    def is_ready(self) -> bool:
        ready = subprocess.run([str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                               capture_output=True, timeout=10, check=False)
        return ready.returncode == 0

    def after_start(self):
        import psycopg  # pylint: disable=import-outside-toplevel  # only the load test needs it
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True, connect_timeout=10) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")


class Workbench(WorkbenchProcess):
    """The workbench under gunicorn on a free loopback port, on the given database."""

    name = "gunicorn"
    workdir_prefix = "competency-load-"
    log_name = "gunicorn.log"
    stop_signals = ((signal.SIGTERM, 30), (signal.SIGKILL, 10))  # gunicorn's graceful timeout is 10 s

    def __init__(self, databases: dict, workers: int, threads: int, startup_timeout: float = 120.0):
        super().__init__(databases, startup_timeout)
        self.workers, self.threads = workers, threads
        self.env["WORKBENCH_RESET_STATE_ON_RESTART"] = "false"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "-c", str(REPO_ROOT / "scripts" / "gunicorn_workbench.py"),
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--threads", str(self.threads),
                "--timeout", "120", "--graceful-timeout", "10", "workbench.wsgi:application"]
