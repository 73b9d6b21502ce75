"""
Throw-away servers as child processes, on the loopback interface only (development and tests).

``ServerProcess`` is the life cycle they share: a free port, a temporary working folder
holding a log file, ``start()`` (prepare, launch, poll until the server answers), ``log()``,
``stop()`` (signals, escalating; then the folder is removed) and use as a context manager.
The child gets a signal from Linux if this process dies without cleaning up (a killed pytest),
so no server outlives its parent.

``RedisServer`` is Debian's ``redis-server`` (the Celery test's broker and cache, the LMS-shaped
HTTP benchmark's cache). ``WorkbenchProcess`` is the XBlock SDK workbench with ``workbench_demo.settings`` on top of it:
environment, ``migrate``, and "ready" once ``/`` answers 200. Its subclasses only say how the
server runs: ``scripts/load_servers.py`` (gunicorn on PostgreSQL; its ``PostgresCluster`` is a
``ServerProcess`` too) and ``tests/browser/workbench_server.py`` (runserver on SQLite).

Import it as ``workbench_demo.server_process``: every caller (pytest, ``scripts/*.py``,
``python -m benchmarks``) already has the repository root on ``sys.path``, since that is
where ``DJANGO_SETTINGS_MODULE=workbench_demo.settings`` comes from. Standard library only.
"""
from __future__ import annotations

import ctypes
import functools
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOG_TAIL = 5000  # characters of the log shown in errors


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def signal_when_parent_dies(sig: int):
    """In the child (a ``preexec_fn``): have Linux send ``sig`` when the process that started it dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, sig)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class ServerProcess:
    """
    A server run as a child process in its own temporary folder; ``start()``/``stop()`` or ``with``.

    Subclasses give ``command()`` and ``is_ready()``, and may give ``prepare()`` (before the
    launch), ``popen_options()`` (cwd, env, user) and ``after_start()`` (once it answers).
    A failed ``start()`` stops the server and removes the folder before it raises.
    """

    name = "the server"  # in error messages
    workdir_prefix = "competency-server-"
    log_name = "server.log"
    startup_error: type[Exception] = RuntimeError
    poll_interval = 0.3  # seconds between readiness checks
    parent_death_signal = signal.SIGTERM
    stop_signals = ((signal.SIGTERM, 10), (signal.SIGKILL, 10))  # (signal, seconds to wait) in turn

    def __init__(self, startup_timeout: float):
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix=self.workdir_prefix))
        self.log_path = self.workdir / self.log_name
        self.process: subprocess.Popen | None = None
        self._log = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def is_ready(self) -> bool:
        raise NotImplementedError

    def prepare(self):
        """Work before the launch (a database to create or migrate)."""

    def popen_options(self) -> dict:
        """More ``subprocess.Popen`` arguments: ``cwd``, ``env``, ``user``..."""
        return {}

    def after_start(self):
        """Work once the server answers."""

    def start(self):
        try:
            self.prepare()
            self._log = open(self.log_path, "w", encoding="utf-8")  # pylint: disable=consider-using-with
            die_with_parent = functools.partial(signal_when_parent_dies, self.parent_death_signal)
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                self.command(), stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent if sys.platform.startswith("linux") else None, **self.popen_options())
            self._wait_until_ready()
            self.after_start()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self.startup_error(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            if self.is_ready():
                return
            time.sleep(self.poll_interval)
        raise self.startup_error(f"{self.name} did not answer within {self.startup_timeout} s:\n{self.log()}")

    def log(self) -> str:
        """The end of the server's output."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:]
        except OSError:
            return ""

    def stop(self):
        """End the server (each of ``stop_signals`` in turn until it exits); remove the folder. Idempotent."""
        if self.process and self.process.poll() is None:
            for sig, wait in self.stop_signals:
                self.process.send_signal(sig)
                try:
                    self.process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._log:
            self._log.close()
            self._log = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def redis_binary() -> str | None:
    """Debian's ``redis-server`` (``apt-get install -y redis-server``), or None."""
    return shutil.which("redis-server") or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server")
                                            else None)


class RedisServer(ServerProcess):
    """``redis-server`` on 127.0.0.1 and a free port, keeping nothing on disk (the Celery test, the HTTP benchmark)."""

    name = "redis-server"
    workdir_prefix = "competency-redis-"

    def command(self) -> list[str]:
        return [redis_binary(), "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                "--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "yes"]

    def is_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def url(self, database: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"


class WorkbenchProcess(ServerProcess):
    """
    The workbench (``workbench_demo.settings``) on a free loopback port, run from its working folder.

    The folder is the working directory, so the workbench's relative ``var/`` (log file) never
    touches the repository. ``databases`` is Django's DATABASES; by default a SQLite file in the
    folder. ``env`` is a plain dict: change it before ``start()`` to change the server's.
    """

    name = "the workbench"
    workdir_prefix = "competency-workbench-"

    def __init__(self, databases: dict | None = None, startup_timeout: float = 90.0):
        super().__init__(startup_timeout)
        self.base_url = f"http://127.0.0.1:{self.port}"
        if databases is None:
            databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.workdir / "workbench.db")}}
        self.env = dict(os.environ)
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "workbench_demo.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])),
            "WORKBENCH_DATABASES": json.dumps(databases),
            "EXCLUDE_SAMPLE_XBLOCKS": "yes",
            "PYTHONUNBUFFERED": "1",
        })

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """A Python command with the workbench's environment, in its folder."""
        return subprocess.run([sys.executable, *args], cwd=self.workdir, env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def prepare(self):
        migrate = self.run("-m", "django", "migrate", "--run-syncdb", "--verbosity", "0")
        if migrate.returncode != 0:
            raise self.startup_error(f"migrate failed:\n{migrate.stdout}\n{migrate.stderr}")
        cache_table = self.run("-m", "django", "createcachetable")
        if cache_table.returncode != 0:
            raise self.startup_error(f"createcachetable failed:\n{cache_table.stdout}\n{cache_table.stderr}")

    def popen_options(self) -> dict:
        return {"cwd": self.workdir, "env": self.env}

    def is_ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/", timeout=5) as response:
                return response.status == 200
        except (OSError, http.client.HTTPException):  # refused, reset, timed out, 5xx while starting
            return False
