"""Saved learner state from an older layout still loads, upgraded on read."""
from __future__ import annotations

import pytest

from competency_xblock.domain import state_layout

from .conftest import answer_set


def test_upgrade_from_version_1_is_pure_and_complete():
    old = {"answers": {"q1": "4", "q2": "b"},
           "results": [{"answers": {"q1": "5", "q2": "a"}, "overall": 61.0, "level": 2}]}
    version, new = state_layout.upgrade(None, old)
    assert version == state_layout.CURRENT_VERSION == 2
    assert new["answers"] == {"q1": 4, "q2": "b"}
    assert new["results"] == [{"answers": {"q1": 5, "q2": "a"}, "overall": 61.0, "level": 2,
                               "borderline": False, "pack_version": None, "dimensions": {},
                               "submitted_at": None}]
    assert old["answers"] == {"q1": "4", "q2": "b"}  # the input is not changed


def test_current_state_is_left_alone():
    state = {"answers": {"q1": 4}, "results": []}
    assert state_layout.upgrade(2, state) == (2, state)


def test_a_newer_state_is_refused():
    with pytest.raises(ValueError, match="newer than this block"):
        state_layout.upgrade(3, {"answers": {}, "results": []})


def test_saved_results_upgrade_an_old_layout_and_keep_a_current_one():
    old = {"results": [{"answers": {"q1": "5"}, "overall": 61.0, "level": 2}]}
    assert state_layout.saved_results(old) == state_layout.upgrade(None, old)[1]["results"]
    current = {"state_version": 2, "results": [{"answers": {"q1": "5"}, "level": 2}]}
    assert state_layout.saved_results(current) == current["results"]  # as stored: already current


@pytest.mark.parametrize("state, expected", [
    (None, []), ("text", []), ({}, []), ({"results": "nonsense"}, []), ({"results": {"a": 1}}, []),
    ({"results": [42, None, {"level": 1}], "state_version": 2}, [{"level": 1}]),
    ({"results": [{"level": 3}], "state_version": 9}, [{"level": 3}]),   # newer layout: as stored
    ({"results": [{"answers": 7}]}, [{"answers": 7}]),                    # an upgrade step cannot read it
])
def test_saved_results_read_odd_states_without_failing(state, expected):
    assert state_layout.saved_results(state) == expected


def test_block_loads_and_upgrades_a_version_1_state(learner, pack):
    block = learner.load('<competency_assessment pack_id="customer_service"/>')
    middling = answer_set(pack, "middling")
    as_strings = {k: str(v) if isinstance(v, int) else v for k, v in middling.items()}
    # Written as the first layout would have: no version, ratings as strings, no borderline.
    block.answers = dict(list(as_strings.items())[:3])
    block.results = [{"answers": as_strings, "overall": 60.0, "level": 2, "submitted_at": "2025-01-01T10:00:00"}]
    block.save()
    reloaded = learner.block(block.scope_ids.usage_id)
    assert reloaded.state_version == 1
    html = learner.render(reloaded)
    assert 'data-level="2"' in html
    assert reloaded.state_version == 2
    assert all(isinstance(v, (int, str)) for v in reloaded.results[0]["answers"].values())
    self_item = next(item for item in pack.items if not item.is_situational)
    assert reloaded.results[0]["answers"][self_item.id] == middling[self_item.id]
    # and the learner can go on: a new submit works on the upgraded state
    status, body = learner.call(reloaded, "submit", {"answers": middling})
    assert status == 200 and body["level"] == 2


def test_new_saves_record_the_current_version(learner, pack):
    block = learner.load('<competency_assessment pack_id="customer_service"/>')
    learner.call(block, "save_answers", {"answers": dict(list(answer_set(pack, "best").items())[:2])})
    assert learner.block(block.scope_ids.usage_id).state_version == state_layout.CURRENT_VERSION


def test_rescore_reads_a_version_1_state_without_losing_ratings(learner, pack):
    block = learner.load('<competency_assessment pack_id="customer_service" grading_mode="level"/>')
    best = answer_set(pack, "best")
    block.results = [{"answers": {k: str(v) if isinstance(v, int) else v for k, v in best.items()},
                      "overall": 100.0, "level": 3}]
    block.save()
    reloaded = learner.block(block.scope_ids.usage_id)
    reloaded.rescore(only_if_higher=False)
    assert learner.published("grade")[-1]["value"] == 3.0
    assert reloaded.results[0]["answers"] == best
