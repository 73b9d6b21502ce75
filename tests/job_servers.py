"""
The servers of the Celery + Redis test, on the loopback interface only: Debian's ``redis-server``
(``apt-get install -y redis-server``; ``.ci/run`` installs it) and a Celery worker of the demo's
app, both ``workbench_demo.server_process`` servers (a temporary folder, a log, stopped at the
end and with their parent).
"""
from __future__ import annotations

import os
import sys

from workbench_demo.server_process import REPO_ROOT, RedisServer, ServerProcess, redis_binary

__all__ = ["APT_HINT", "CeleryWorker", "RedisServer", "environment", "redis_binary"]

APT_HINT = "apt-get install -y redis-server"


class CeleryWorker(ServerProcess):
    """``celery -A workbench_demo worker``: one process, the demo's app, with the given environment."""

    name = "the Celery worker"
    workdir_prefix = "competency-celery-"

    def __init__(self, env: dict, startup_timeout: float = 60):
        super().__init__(startup_timeout)
        self.env = env

    def command(self) -> list[str]:
        return [sys.executable, "-m", "celery", "-A", "workbench_demo", "worker", "--pool=solo",
                "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel=INFO", f"--hostname=competency-test-{self.port}@127.0.0.1"]

    def popen_options(self) -> dict:
        return {"cwd": str(self.workdir), "env": self.env}

    def is_ready(self) -> bool:
        return " ready." in self.log()


def environment(redis: RedisServer, database: str) -> dict:
    """The environment of the worker and of the test's driver: one broker, one cache, one database."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="tests.celery_worker_settings", PYTHONPATH=str(REPO_ROOT),
               EXCLUDE_SAMPLE_XBLOCKS="yes", COMPETENCY_CELERY_BROKER_URL=redis.url(0),
               COMPETENCY_TEST_CACHE_URL=redis.url(1),
               WORKBENCH_DATABASES='{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "%s"}}' % database)
    return env
