"""
The load test in small: 20 learners autosave and submit at once on the workbench under
gunicorn and PostgreSQL (``scripts/loadtest.py``; ``make load`` runs 200).

It needs Debian's PostgreSQL server (``apt-get install -y postgresql``; CI's ``.ci/run``
installs it) and installs nothing itself. It is skipped only off Linux.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
LEARNERS = 20

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the load test drives Linux services (PostgreSQL from Debian's packages)")


def _script_module(name: str):
    spec = importlib.util.spec_from_file_location(f"_load_{name}", SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it runs
    sys.path.insert(0, str(SCRIPTS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SCRIPTS))
    return module


def test_learner_plans_are_deterministic_and_reach_every_level(pack):
    loadtest = _script_module("loadtest")
    plans = loadtest.plan_learners(pack, LEARNERS, seed=7)
    again = loadtest.plan_learners(pack, LEARNERS, seed=7)
    assert [(p.learner, p.answers, p.expected_level) for p in plans] == \
           [(p.learner, p.answers, p.expected_level) for p in again]
    assert len({p.learner for p in plans}) == LEARNERS
    assert {p.expected_level for p in plans} == {1, 2, 3}
    for plan in plans:
        assert set(plan.answers) == {item.id for item in pack.items}
        assert plan.draft.items() < plan.answers.items()


@pytest.fixture(scope="module")
def load_result(tmp_path_factory):
    load_servers = _script_module("load_servers")
    try:
        load_servers.find_bindir()
    except load_servers.PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    out = tmp_path_factory.mktemp("load") / "result.json"
    done = subprocess.run([sys.executable, str(SCRIPTS / "loadtest.py"), "--learners", str(LEARNERS),
                           "--deadline", "300", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    print(done.stdout)  # the table, shown with -s or when a test fails
    assert out.exists(), f"the load test did not finish ({done.returncode}):\n{done.stdout}\n{done.stderr[-5000:]}"
    return json.loads(out.read_text(encoding="utf-8")), done


def test_every_request_succeeds_and_no_result_is_lost(load_result):
    result, _done = load_result
    assert result["errors"] == 0, result["error_samples"]
    assert result["lost"] == 0
    assert result["wrong"] == 0
    assert result["read_back"] == result["expected"]
    assert result["latency_ms"]["submit"]["n"] == LEARNERS
    assert result["latency_ms"]["save"]["n"] == LEARNERS
    assert result["latency_ms"]["double submit"]["n"] == 2 * LEARNERS


def test_of_two_submits_at_once_every_one_answered_200_is_kept(load_result):
    result, _done = load_result
    double = result["double_submits"]
    # each pair is either raced (one refused) or both kept; whichever, every 200 is a kept attempt
    assert double["pairs"] == LEARNERS
    assert double["refused"] + double["both_kept"] == double["pairs"]
    assert result["submits_kept"] == LEARNERS + 2 * LEARNERS - double["refused"]
    assert result["lost"] == 0


def test_staff_aggregates_are_exact(load_result):
    result, done = load_result
    assert result["staff"] == result["expected"]
    assert result["aggregates_exact"] and result["passed"]
    assert done.returncode == 0
