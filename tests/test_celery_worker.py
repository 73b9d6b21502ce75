"""
The cohort figures' job run for real: a Celery worker of the demo's app on Redis (Debian's
``redis-server``, started and stopped here on 127.0.0.1), over 20,000 learners in the
workbench store, against the figures worked out in-process.

The worker finds the task only through the package's Django app, which the demo's settings
install as the LMS does (the ``lms.djangoapp`` entry point, edx-django-utils'
``get_plugin_apps``; ``test_platform_plugin.py``), so a job it does not know would stay queued
and this test would fail. The press must answer while the job is still queued or running (no
eager run in the request), the two presses at once must make one job, and the figures the
worker kept must equal the in-process ones exactly.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from workbench_demo.server_process import REPO_ROOT

from .job_servers import APT_HINT, CeleryWorker, RedisServer, environment, redis_binary

LEARNERS = 20_000


@pytest.fixture(scope="module")
def servers():
    if redis_binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"redis-server is missing: {APT_HINT} (.ci/run installs it)")
        pytest.skip(f"redis-server is missing: {APT_HINT}")
    with tempfile.TemporaryDirectory(prefix="competency-celery-test-") as folder:
        database = str(Path(folder) / "workbench.db")
        with RedisServer(startup_timeout=30) as redis:
            env = dict(environment(redis, database), COMPETENCY_DEMO_STAFF_USERS="staff,staff2")
            with CeleryWorker(env) as worker:
                yield env, folder, worker


def test_a_celery_worker_on_redis_works_out_the_in_process_figures(servers):
    env, folder, worker = servers
    run = subprocess.run([sys.executable, "-m", "tests.cohort_job_driver", "--learners", str(LEARNERS)],
                         capture_output=True, text=True, cwd=folder, env=dict(env, PYTHONPATH=str(REPO_ROOT)),
                         timeout=900, check=False)
    assert run.returncode == 0, run.stderr[-4000:] + "\n--- worker log ---\n" + worker.log()
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    first, second = outcome["presses"]
    assert first["status"] == second["status"] == 200
    assert first["job_id"] == second["job_id"], "two presses at once started two jobs"
    assert first["state"] in ("queued", "running") and second["state"] in ("queued", "running"), \
        "the press waited for the figures instead of answering at once"
    seen = outcome["seen"]
    assert seen[-1]["state"] == "done", seen[-3:]
    assert {answer["job_id"] for answer in seen} == {first["job_id"]}
    assert outcome["job"] is not None and outcome["job"]["learners"] > 0.85 * LEARNERS  # drafts do not count
    assert outcome["job"] == outcome["in_process"], "the worker's figures differ from the in-process ones"
    assert seen[-1]["learners"] == outcome["in_process"]["learners"]
    assert f"{outcome['in_process']['learners']} learners have submitted." in outcome["last_html"]
    assert "competency_xblock.cohort_figures" in worker.log() and "succeeded" in worker.log()
