"""
Lost updates of the shared cohort statistics: the pure rebuild (``aggregate_repair``) and the
workbench command that applies it (``competency-xblock rebuild-stats``).
"""
from __future__ import annotations

import json
import random

import pytest

from competency_xblock import aggregate_repair, cli, statistics
from competency_xblock.aggregate_repair import plan_repair, rebuild_summary, summary_drift

from .conftest import answer_set
from .workbench import Learner

ITEMS = {  # two dimensions of three items, max 3 points each
    f"{dim}{n}": {"dimension": dim, "max": 3} for dim in ("a", "b") for n in range(3)
}
SIGNATURE = "sig0000000000000"
NOW = "2026-01-01T00:00:00+00:00"


def response(seed: int) -> dict:
    rng = random.Random(seed)
    points = {item: rng.randint(0, 3) for item in ITEMS}
    overall = 100 * sum(points.values()) / 18
    return {"level": 1 if overall < 50 else 2 if overall < 80 else 3, "overall": overall,
            "dimensions": {"a": 50.0 + seed, "b": 40.0 - seed}, "items": points}


def learner(response_, epoch=f"{SIGNATURE}@{NOW}") -> dict:
    return {"results": [{"level": response_["level"]}], aggregate_repair.COUNTED_FIELD:
            {"epoch": epoch, "response": response_}}


def cohort(summary, epoch=f"{SIGNATURE}@{NOW}") -> dict:
    return {"signature": SIGNATURE, "epoch": epoch, "since": NOW, "summary": summary}


def test_rebuild_equals_adding_the_responses_one_by_one():
    responses = [response(seed) for seed in range(8)]
    one_by_one = statistics.empty_summary()
    for item in responses:
        one_by_one = statistics.add_response(one_by_one, item, ITEMS)
    rebuilt = rebuild_summary(responses, ITEMS)
    assert rebuilt["learners"] == 8
    assert summary_drift(one_by_one, rebuilt).exact


def test_a_lost_update_is_measured_and_repaired():
    responses = [response(seed) for seed in range(5)]
    states = {f"u{n}": learner(item) for n, item in enumerate(responses)}
    # u3's update was overwritten by u4's, which had read the figures before u3 wrote them
    stored = rebuild_summary([responses[n] for n in (0, 1, 2, 4)], ITEMS)
    repair = plan_repair(cohort(stored), states, ITEMS, SIGNATURE, NOW)
    lost_level = str(responses[3]["level"])
    assert repair.drift.learners == -1
    assert repair.drift.levels == {lost_level: -1}
    assert repair.drift.item_responses == {item: -1 for item in ITEMS}
    assert repair.drift.dimension_responses == {"a": -1, "b": -1}
    assert not repair.drift.exact
    assert repair.learners == 5
    assert repair.counted == {}  # every record already names the stored epoch
    again = plan_repair(repair.cohort_statistics, states, ITEMS, SIGNATURE, NOW)
    assert again.drift.exact and again.drift.as_dict()["exact"]
    assert statistics.report(repair.cohort_statistics["summary"], ITEMS, ["a", "b"])["learners"] == 5


def test_learners_of_an_overwritten_epoch_are_counted_and_their_records_renewed():
    first, second = response(1), response(2)
    kept_epoch, lost_epoch = f"{SIGNATURE}@{NOW}", f"{SIGNATURE}@2025-12-31T23:59:59+00:00"
    states = {"early": learner(first, lost_epoch), "late": learner(second, kept_epoch)}
    stored = cohort(rebuild_summary([second], ITEMS), kept_epoch)
    repair = plan_repair(stored, states, ITEMS, SIGNATURE, NOW)
    assert repair.learners == 2
    assert repair.drift.learners == -1
    assert repair.cohort_statistics["epoch"] == kept_epoch
    assert repair.counted == {"early": {"epoch": kept_epoch, "response": first}}
    # the renewed record lets a retake take out exactly what was counted
    retake_removed = statistics.remove_response(repair.cohort_statistics["summary"], first, ITEMS)
    assert summary_drift(retake_removed, rebuild_summary([second], ITEMS)).exact


def test_records_for_other_questions_do_not_count():
    states = {"old": learner(response(1), "othersignature00@" + NOW), "new": learner(response(2))}
    repair = plan_repair(cohort(rebuild_summary([response(2)], ITEMS)), states, ITEMS, SIGNATURE, NOW)
    assert repair.learners == 1 and repair.drift.exact


def test_figures_kept_for_other_questions_start_a_new_epoch():
    stored = {"signature": "othersignature00", "epoch": "othersignature00@x", "since": "x",
              "summary": rebuild_summary([response(5)] * 3, ITEMS)}
    states = {"u": learner(response(1), f"{SIGNATURE}@whenever")}
    repair = plan_repair(stored, states, ITEMS, SIGNATURE, NOW)
    assert repair.cohort_statistics["epoch"] == f"{SIGNATURE}@{NOW}"
    assert repair.cohort_statistics["since"] == NOW
    assert repair.drift.learners == -1  # measured against no figures: today's questions had none
    assert repair.counted["u"]["epoch"] == f"{SIGNATURE}@{NOW}"


@pytest.mark.parametrize("state", [
    {}, {"statistics_counted": None}, {"statistics_counted": {}}, {"statistics_counted": {"epoch": 3}},
    {"statistics_counted": {"epoch": f"{SIGNATURE}@{NOW}", "response": "level 3"}},
    {"statistics_counted": {"epoch": SIGNATURE, "response": {"level": 3}}},  # no "@": not an epoch
    "not a dict",
])
def test_unreadable_records_count_nobody(state):
    repair = plan_repair({}, {"odd": state}, ITEMS, SIGNATURE, NOW)
    assert repair.learners == 0 and repair.counted == {} and repair.drift.exact


def test_float_noise_is_not_drift_but_a_changed_sum_is():
    responses = [response(seed) for seed in range(6)]
    forward, backward = rebuild_summary(responses, ITEMS), rebuild_summary(responses[::-1], ITEMS)
    assert summary_drift(forward, backward).exact
    shifted = rebuild_summary(responses, ITEMS)
    shifted["items"]["a0"]["sum"] += 1
    drift = summary_drift(shifted, forward)
    assert drift.sums_off == 1 and not drift.exact and drift.learners == 0


# ----- the workbench command -------------------------------------------------------------------------

ASSESSMENT = '<competency_assessment pack_id="customer_service"/>'


def _submit(learner_, block, answers):
    status, body = learner_.call(block, "submit", {"answers": answers})
    assert status == 200, body


def test_rebuild_stats_finds_and_repairs_a_lost_update_in_the_workbench(db, pack, capsys):

    usage_id = Learner("author").load(ASSESSMENT).scope_ids.usage_id
    first, second, third = (Learner(name) for name in ("first", "second", "third"))
    _submit(first, first.block(usage_id), answer_set(pack, "best"))
    late = second.block(usage_id)
    assert late.cohort_statistics["summary"]["learners"] == 1  # read before "third" submits ...
    _submit(third, third.block(usage_id), answer_set(pack, "worst"))
    _submit(second, late, answer_set(pack, "middling"))  # ... so this write drops third's update

    staff = Learner("staff")
    assert staff.block(usage_id).cohort_statistics["summary"]["learners"] == 2

    assert cli.main(["rebuild-stats", "--check", usage_id]) == 1
    assert "DRIFT learners -1" in capsys.readouterr().out
    assert cli.main(["rebuild-stats", usage_id]) == 0
    assert "repaired" in capsys.readouterr().out
    assert cli.main(["rebuild-stats", "--check", usage_id]) == 0

    block = staff.block(usage_id)
    figures, _since = block.cohort_report(block.load_pack())
    assert figures["learners"] == 3
    expected = {str(Learner(name).block(usage_id).results[-1]["level"]) for name in ("first", "second", "third")}
    assert {key for key, count in figures["levels"].items() if count} == expected
    assert [item["responses"] for item in figures["items"]] == [3] * len(block.active_items(block.load_pack()))


def test_rebuild_stats_reports_json_and_leaves_exact_figures_alone(db, pack, capsys):

    usage_id = Learner("author").load(ASSESSMENT).scope_ids.usage_id
    only = Learner("only")
    _submit(only, only.block(usage_id), answer_set(pack, "best"))
    assert cli.main(["rebuild-stats", "--json", usage_id]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["drift"]["exact"] and report["learners_true"] == 1 and not report["written"]
    assert report["levels_true"]["3"] == 1
