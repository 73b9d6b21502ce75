"""
The benchmarks run: each in-process benchmark once or twice, on the test database.

No timing is asserted (figures from a test run mean nothing); the checks are that every
benchmark runs to its findings and that what it counts is what it says. The comparisons
with xblock-poll, a benchmark-only dependency (requirements/bench.txt), are skipped
when it is not installed.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from xblock.core import XBlock

from benchmarks import http_latency, inprocess, report_rows, scaling, synthetic, timing, weight
from benchmarks.env import Driver, poll_installed
from benchmarks.noop_block import BLOCK_TYPE, NoopBlock
from competency_xblock.domain.pack_loader import MAX_PACK_BYTES, PackError
from competency_xblock.platform import pack_sources

from .conftest import stored_answers

STATIC = Path(__file__).resolve().parent.parent / "static"
needs_poll = pytest.mark.skipif(not poll_installed(), reason="xblock-poll is installed by requirements/bench.txt only")


def test_cases_take_turns_and_set_up_outside_the_timing():
    calls = []

    def case(name):
        def prepare():
            calls.append(f"set up {name}")
            return lambda: calls.append(name)
        return prepare

    timings = timing.interleaved({"a": case("a"), "b": case("b")}, rounds=2, warmup=1)
    assert [call for call in calls if not call.startswith("set up")] == ["a", "b", "b", "a", "a", "b"]
    assert calls.count("set up a") == 3
    assert {name: len(result.samples) for name, result in timings.items()} == {"a": 2, "b": 2}
    assert timing.quantile([4, 1, 3, 2], 0.5) == 2.5


def test_render_and_submit_run_on_their_own(db):
    found = inprocess.render_and_submit(rounds=2, warmup=0, with_poll=False)
    assert [finding.section for finding in found] == ["1 render", "1 render", "2 submit", "2 submit"]
    assert all(finding.met is None and "not installed" in finding.peer for finding in found)


@needs_poll
def test_render_and_submit_against_poll(db):
    found = inprocess.render_and_submit(rounds=2, warmup=0, with_poll=True)
    assert all(finding.figure.startswith("ratio") and finding.met in (True, False) for finding in found)


def test_a_failing_handler_is_not_timed(db):
    stage = inprocess.Stage(with_poll=False)
    refused = Driver.fresh("bench-smoke").post(stage.ours, "submit", json.dumps({"answers": {}}).encode())
    with pytest.raises(AssertionError, match="HTTP 400"):
        inprocess._check("ours", refused)  # pylint: disable=protected-access


def test_scaling_runs_on_synthetic_packs(db):
    found = scaling.scaling(rounds=1, warmup=0, sizes=(36, 72))
    assert [finding.measure.split(":")[0] for finding in found] == [
        "render, not answered yet", "render, result page", "submit by a new learner"]
    assert all("72 vs 36 items" in finding.measure for finding in found)


def test_synthetic_packs_hold_the_asked_number_of_items(db):
    with scaling.synthetic_library((50,)) as pack_ids:
        pack = pack_sources.installed_library().get(pack_ids[50])
    assert len(pack.items) == len({item.id for item in pack.items}) == 50
    with pytest.raises(PackError):
        pack_sources.installed_library().get(pack_ids[50])  # the installed library is back
    assert pack_sources.installed_library().get("customer_service")


def test_the_largest_synthetic_pack_is_within_the_pack_size_limit():
    """`make bench` scales to this many items: its pack must load, as a designer's large pack would."""
    data = synthetic.synthetic_pack_data(max(scaling.SIZES))
    size = len(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    assert len(data["languages"]) == 4 and size <= MAX_PACK_BYTES, size


def test_client_weight_counts_the_blocks_own_files(db):
    found = weight.client_weight()
    ours = weight.fragment_weight(weight.learner_fragment(inprocess.OUR_XML))
    assert ours.js_raw >= (STATIC / "js" / "assessment.js").stat().st_size
    assert ours.css_raw >= (STATIC / "css" / "assessment.css").stat().st_size
    assert 0 < ours.gzipped < ours.raw
    assert found[0].ours == ours.text()


@needs_poll
def test_client_weight_reads_polls_script_urls_from_its_package(db):
    poll = weight.fragment_weight(weight.learner_fragment(inprocess.poll_xml()))
    assert any(name.startswith("public/js/vendor/handlebars.js") for name in poll.files)


def test_report_rows_run(db):
    found = report_rows.report_rows(count=30, pool_size=3, repetitions=1)
    assert [finding.section for finding in found] == ["6 reports"] * 4
    assert "cohort figures over 30 stored learner states" in found[0].measure and "floor" in found[0].peer
    assert "generate_report_data over 30" in found[1].measure and found[1].figure.startswith("ratio ")
    assert "job" in found[3].measure and "30 counted" in found[3].ours and found[3].met is None


def test_the_floor_decodes_what_the_passes_read(db):
    block, pool = report_rows.our_pool(3)
    client = report_rows.StoredStates(pool, 7)
    states = list(client.iter_all_for_block())
    assert [state.state for state in states] == [pool[number % 3] for number in range(7)]
    assert len({state.username for state in states}) == 7
    times = report_rows.floor_and_passes(block, pool, 7, rounds=2)
    assert {name: len(rounds) for name, rounds in times.items()} == {"floor": 2, "figures": 2, "rows": 2}


def test_the_lms_shaped_store_reads_a_block_in_one_query_and_writes_once(db):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    from benchmarks import lms_store  # pylint: disable=import-outside-toplevel
    with lms_store.installed():
        stage = inprocess.Stage(with_poll=False)
        learner = Driver.fresh("bench-smoke-lms")
        learner.render(stage.ours)
        with CaptureQueriesContext(connection) as queries:
            learner.render(stage.ours)  # a new request: the block's rows again, in one query
        assert len(queries.captured_queries) == 1, queries.captured_queries
        with CaptureQueriesContext(connection) as queries:
            inprocess._ok("submit", learner.post(stage.ours, "submit", stage.submit_body))
        writes = [query["sql"] for query in queries.captured_queries if "workbench_xblockstate" in query["sql"]
                  and not query["sql"].startswith("SELECT")]
        assert len(writes) == 1, writes  # the learner's row, once, with every changed field
        again = Driver(learner.user_id)  # another runtime reads what was written
        state = json.loads(again.post(stage.ours, "student_view_user_state", b"{}").body)
        assert state["attempts_used"] == 1 and state["completed"]


@XBlock.register_temp_plugin(NoopBlock, BLOCK_TYPE)
def test_the_trivial_handler_answers(db):
    learner = Driver.fresh("bench-smoke")
    usage = learner.load(f"<{BLOCK_TYPE}/>")
    response = learner.post(usage, "noop", b"{}")
    assert (response.status_code, json.loads(response.body)) == (200, {"ok": True})


def test_the_http_benchmark_says_why_it_cannot_run_or_nothing():
    reason = http_latency.unavailable_reason()
    assert reason is None or isinstance(reason, str) and reason


def test_report_rows_word_answers_as_answers_text_does(pack):
    """The report's fast path (made for benchmark item 6) writes exactly what ``answers_text`` writes."""
    import random  # pylint: disable=import-outside-toplevel

    from competency_xblock.domain import reports  # pylint: disable=import-outside-toplevel
    rng = random.Random(8)
    odd = [True, False, 1.0, 3.0, "3", None, [1], {"a": 1}, 0, 6, "zz", -1]
    for language in pack.languages:
        rows = reports.ReportRows(pack, pack.items, language)
        for _ in range(300):
            answers = stored_answers(rng, pack, odd, odd_share=0.2, answered_share=0.9)
            assert rows.answers_text(answers) == reports.answers_text(pack, pack.items, answers, language)


def in_the_lms_shaped_server(code: str) -> str:
    """The last line ``code`` prints in a fresh process with the settings of item 7's server (bench_settings_lms)."""
    import os  # pylint: disable=import-outside-toplevel
    import subprocess  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="benchmarks.bench_settings_lms",
               WORKBENCH_DATABASES='{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}')
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip().splitlines()[-1]


def test_the_lms_shaped_server_settings_install_the_store():
    """The HTTP server of item 7 (bench_settings_lms) gives each request's runtime an LmsShapedStore."""
    assert in_the_lms_shaped_server(
        "import django, gc; django.setup(); gc.collect(); from workbench.runtime import WorkbenchRuntime; "
        "print(type(WorkbenchRuntime('someone')._services['field-data']._kvs).__name__)") == "LmsShapedStore"


def test_the_lms_shaped_server_runs_django_as_the_lms_does_in_production():
    """
    Contract, edx-platform: ``lms/envs/common.py`` sets ``DEBUG = False`` and the default database's
    ``CONN_MAX_AGE`` to 0 (a connection per request); ``openedx/core/lib/logsettings.py``
    (``get_logger_config``, outside ``dev_env``) puts the root logger at INFO and gives Django no
    logger of its own, so SQL statements are neither timed nor logged.
    """
    assert in_the_lms_shaped_server(
        "import django, logging; django.setup(); from django.conf import settings; from django.db import connection; "
        "print(settings.DEBUG, connection.settings_dict['CONN_MAX_AGE'], connection.queries_logged, "
        "logging.getLogger('django.db.backends').isEnabledFor(logging.DEBUG))") == "False 0 False False"
