"""
The cohort figures' background job (``platform/cohort_jobs.py``) seen through the staff handlers.

Most tests hold the job back (``delay`` only records it, as a broker would queue it) so
that what staff see while it waits or runs can be checked, then run it as a worker
would (``cohort_jobs.run``). Celery's eager mode, which the demo uses without a broker,
runs it inside the press (``test_staff.py`` relies on that). A real worker on Redis runs
it in ``test_celery_worker.py``.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml

from competency_xblock.domain.pack_library import PackLibrary
from competency_xblock.platform import cohort_jobs, tasks
from competency_xblock.platform.workbench_store import WorkbenchUserStateClient

from .conftest import PACKS
from .test_staff import COHORT, XML, mini_library, submit  # noqa: F401  (fixture)
from .workbench import Learner


@pytest.fixture
def cohort(db, mini_library, settings):  # noqa: F811
    settings.COMPETENCY_DEMO_STAFF_USERS = {"staff", "staff2"}  # two members of staff
    staff = Learner("staff")
    usage_id = staff.load(XML.format(policy="best")).scope_ids.usage_id
    for user, answers in COHORT.items():
        assert submit(user, usage_id, answers)[0] == 200
    return staff, usage_id


@pytest.fixture
def held(monkeypatch):
    """Jobs handed to Celery are recorded, not run; returns the list of their arguments."""
    queued = []
    monkeypatch.setattr(tasks.cohort_figures, "delay", queued.append)
    return queued


def press(user: str, usage_id) -> dict:
    learner = Learner(user)
    status, body = learner.call(learner.block(usage_id), "staff_figures", {})
    assert status == 200, body
    return body


def look(user: str, usage_id) -> dict:
    learner = Learner(user)
    status, body = learner.call(learner.block(usage_id), "staff_figures_status", b"", method="GET")
    assert status == 200, body
    return body


def test_the_press_answers_at_once_and_a_second_press_joins_the_job(cohort, held):
    _, usage_id = cohort
    first = press("staff", usage_id)
    assert first["state"] == "queued" and first["html"] == "" and len(held) == 1
    assert "Waiting for a worker" in first["message"]
    second = press("staff2", usage_id)  # another member of staff presses while it waits
    assert second["state"] == "queued" and second["job_id"] == first["job_id"]
    assert len(held) == 1, "a second job was started"
    cohort_jobs.run(held[0])
    done = look("staff", usage_id)
    assert done["state"] == "done" and done["job_id"] == first["job_id"] and done["message"] == ""
    assert "5 learners have submitted." in done["html"] and done["learners"] == 5 and done["computed_at"]
    third = press("staff", usage_id)  # once it has ended, a press starts a new job
    assert third["state"] == "queued" and third["job_id"] != first["job_id"] and len(held) == 2
    assert "5 learners have submitted." in third["html"], "the last figures stay shown while new ones are made"


def test_progress_is_shown_while_the_job_reads(cohort, held, monkeypatch):
    _, usage_id = cohort
    monkeypatch.setattr(cohort_jobs.cohort, "PROGRESS_EVERY", 2)
    seen = []

    class WatchedClient:
        def iter_all_for_block(self, block_key, scope=None):
            for number, state in enumerate(WorkbenchUserStateClient().iter_all_for_block(block_key), start=1):
                if number == 4:  # half way, staff look at the shell
                    seen.append(look("staff", usage_id))
                yield state

    monkeypatch.setattr(cohort_jobs, "user_state_client", WatchedClient)
    press("staff", usage_id)
    cohort_jobs.run(held[0])
    assert seen[0]["state"] == "running" and seen[0]["read"] == 2
    assert "2 learners read so far" in seen[0]["message"]
    assert look("staff", usage_id)["state"] == "done"


def test_the_next_visit_shows_the_kept_figures_without_reading_any_state(cohort, monkeypatch):
    staff, usage_id = cohort
    made = press("staff", usage_id)  # eager: the job ran in the press
    assert made["state"] == "done" and made["kept"]

    def no_reading():
        raise AssertionError("the learners' states were read again")
    monkeypatch.setattr(cohort_jobs, "user_state_client", no_reading)
    assert submit("u9", usage_id, COHORT["u1"])[0] == 200  # a later submission is not in the kept figures
    again = look("staff2", usage_id)
    assert again["html"].replace("student=staff2", "student=staff") == made["html"]  # the same figures
    assert again["computed_at"] == made["computed_at"]
    assert "5 learners" in again["html"] and "Worked out at " in again["html"]
    assert "Out of date" not in again["html"]
    status, text = staff.call(staff.block(usage_id), "staff_statistics_csv", b"", method="GET")
    assert status == 200 and "overall,,,5," in text


@pytest.mark.parametrize("change", ["cut_scores", "overrides", "retake_policy", "pack"])
def test_cut_score_question_policy_or_pack_changes_mark_the_kept_figures_stale(cohort, change, tmp_path,
                                                                                monkeypatch):
    staff, usage_id = cohort
    assert "Out of date" not in press("staff", usage_id)["html"]
    block = staff.block(usage_id)
    if change == "pack":  # a new version of the pack is installed
        data = yaml.safe_load((PACKS / "mini.yaml").read_text(encoding="utf-8"))
        data["version"] += 1
        (tmp_path / "mini.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr("competency_xblock.platform.pack_sources.installed_library",
                            lambda: PackLibrary(tmp_path))
    else:
        if change == "cut_scores":
            block.cut_scores = [10, 20]
        elif change == "overrides":
            block.item_overrides = {"disabled": ["c_self"]}  # a question switched off in Studio
        else:
            block.retake_policy = "latest"
        block.save()
    shown = look("staff", usage_id)
    assert "Out of date" in shown["html"] and "5 learners have submitted." in shown["html"]
    workers_library = PackLibrary(tmp_path if change == "pack" else PACKS)
    monkeypatch.setattr(cohort_jobs, "pack_sources", SimpleNamespace(installed_library=lambda: workers_library))
    assert "Out of date" not in press("staff", usage_id)["html"]  # worked out again: current


def test_a_broken_pack_fails_the_job_and_leaves_the_last_figures_alone(cohort, monkeypatch, tmp_path):
    _, usage_id = cohort
    before = press("staff", usage_id)
    # the workers lack the pack (the web process still has it)
    monkeypatch.setattr(cohort_jobs, "pack_sources", SimpleNamespace(installed_library=lambda: PackLibrary(tmp_path)))
    failed = press("staff", usage_id)
    assert failed["state"] == "failed" and "the competency pack cannot be loaded" in failed["message"]
    assert "Try again" in failed["message"]
    assert failed["html"] == before["html"] and failed["computed_at"] == before["computed_at"]
    assert look("staff", usage_id)["state"] == "failed", "the failure is shown until the next try"
    monkeypatch.setattr(cohort_jobs, "pack_sources", SimpleNamespace(installed_library=lambda: PackLibrary(PACKS)))
    retried = press("staff", usage_id)
    assert retried["state"] == "done" and retried["job_id"] != failed["job_id"]


def test_unreadable_state_fails_the_job_with_nothing_half_written(cohort, monkeypatch):
    _, usage_id = cohort
    before = press("staff", usage_id)
    assert submit("u9", usage_id, COHORT["u1"])[0] == 200

    class BreakingClient:
        def iter_all_for_block(self, block_key, scope=None):
            states = WorkbenchUserStateClient().iter_all_for_block(block_key)
            yield next(states)
            yield next(states)
            raise ValueError("row 3 cannot be decoded")

    monkeypatch.setattr(cohort_jobs, "user_state_client", BreakingClient)
    failed = press("staff", usage_id)
    assert failed["state"] == "failed"
    assert "saved results could not be read (ValueError: row 3 cannot be decoded)" in failed["message"]
    assert failed["html"] == before["html"], "figures of two learners were kept"
    status, text = Learner("staff").call(Learner("staff").block(usage_id), "staff_statistics_csv", b"",
                                         method="GET")
    assert status == 200 and "overall,,,5," in text


def test_a_job_whose_worker_died_is_reported_and_can_be_started_again(cohort, held):
    _, usage_id = cohort
    job_id = press("staff", usage_id)["job_id"]
    cohort_jobs._cache().delete(cohort_jobs._key(usage_id, "lock"))  # its lock ran out: no progress for long
    lost = look("staff", usage_id)
    assert lost["state"] == "failed" and "stopped without finishing" in lost["message"]
    again = press("staff", usage_id)
    assert again["state"] == "queued" and again["job_id"] != job_id and len(held) == 2
    cohort_jobs.run(held[0])  # the old job, should it run after all, no longer counts
    assert look("staff", usage_id)["state"] == "queued"
    cohort_jobs.run(held[1])
    assert look("staff", usage_id)["state"] == "done"


def test_a_job_that_cannot_be_queued_fails_and_frees_the_block(cohort, monkeypatch):
    _, usage_id = cohort

    def broker_down(job):
        raise ConnectionRefusedError("[Errno 111] Connection refused")
    monkeypatch.setattr(tasks.cohort_figures, "delay", broker_down)
    failed = press("staff", usage_id)
    assert failed["state"] == "failed" and "could not be handed to the platform's workers" in failed["message"]
    monkeypatch.undo()
    monkeypatch.setattr("competency_xblock.platform.pack_sources.installed_library", lambda: PackLibrary(PACKS))
    assert press("staff", usage_id)["state"] == "done"


def test_the_job_reads_the_platforms_key_type(monkeypatch):
    """In the LMS the client takes a UsageKey; the workbench's ids are plain strings."""
    key = cohort_jobs.block_key("block-v1:Org+CS101+2025+type@competency_assessment+block@cs_check")
    assert type(key).__name__ == "BlockUsageLocator" and key.block_id == "cs_check"
    assert cohort_jobs.block_key(".competency_assessment.d0.u0") == ".competency_assessment.d0.u0"


def test_a_course_pack_reaches_the_workers_with_the_job(db, mini_library, settings, held, monkeypatch):  # noqa: F811
    """A block with its own pack (Studio's ``course_pack``): the worker scores with that pack, not an installed one."""
    settings.COMPETENCY_DEMO_STAFF_USERS = {"staff"}
    text = (PACKS / "mini.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["id"] = "course_own_mini"  # installed nowhere
    own = yaml.safe_dump(data, allow_unicode=True)
    staff = Learner("staff")
    block = staff.load("<competency_assessment/>")
    block.course_pack = own
    block.save()
    usage_id = block.scope_ids.usage_id
    for user, answers in COHORT.items():
        assert submit(user, usage_id, answers)[0] == 200
    press("staff", usage_id)
    assert held[0]["settings"]["course_pack"] == own
    # the workers have no installed pack at all: the job must not need one
    monkeypatch.setattr(cohort_jobs, "pack_sources", SimpleNamespace(installed_library=lambda: PackLibrary(PACKS / "none")))
    cohort_jobs.run(held[0])
    done = look("staff", usage_id)
    assert done["state"] == "done" and "5 learners have submitted." in done["html"], done["message"]
    block = staff.block(usage_id)
    kept = cohort_jobs.status(usage_id)["kept"]
    assert kept["figures"] == block.cohort_report(block.load_pack())
    assert "Out of date" not in done["html"]
