"""Property-based bad input for the learner handlers: always a clear 4xx, never a state change."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from .conftest import answer_set
from .workbench import Learner

HANDLERS = ("save_answers", "submit")
# Every JSON handler, for the checks of the body itself (question_form reads nothing from it).
BODY_HANDLERS = HANDLERS + ("question_form",)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def fresh_block(learner: Learner, pack, attempts: int = 0):
    block = learner.load(f'<competency_assessment pack_id="customer_service" max_attempts="{attempts}"/>')
    learner.call(block, "save_answers", {"answers": dict(list(answer_set(pack, "middling").items())[:4])})
    return block


def snapshot(block) -> str:
    return json.dumps({"answers": block.answers, "results": block.results, "score": block.raw_score},
                      sort_keys=True)


def assert_refused(learner, block, payload: bytes, handler: str):
    before = snapshot(block)
    events_before = len(learner.events)
    status, body = learner.call(block, handler, payload)
    assert 400 <= status < 500, (status, body)
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]
    assert snapshot(block) == before
    assert len(learner.events) == events_before


@pytest.fixture
def block_and_learner(db, pack):
    learner = Learner("fuzz")
    return fresh_block(learner, pack), learner


@SETTINGS
@given(payload=st.binary(max_size=200).filter(lambda b: not _is_json_object(b)),
       handler=st.sampled_from(BODY_HANDLERS))
def test_malformed_bodies(block_and_learner, payload, handler):
    block, learner = block_and_learner
    assert_refused(learner, block, payload, handler)


def _is_json_object(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw), dict)
    except ValueError:
        return False


@SETTINGS
@given(value=json_values.filter(lambda v: not isinstance(v, dict)), handler=st.sampled_from(BODY_HANDLERS))
def test_bodies_that_are_not_objects(block_and_learner, value, handler):
    block, learner = block_and_learner
    assert_refused(learner, block, json.dumps(value).encode(), handler)


@SETTINGS
@given(answers=json_values.filter(lambda v: not isinstance(v, dict)), handler=st.sampled_from(HANDLERS))
def test_answers_of_the_wrong_type(block_and_learner, answers, handler):
    block, learner = block_and_learner
    assert_refused(learner, block, json.dumps({"answers": answers}).encode(), handler)


@SETTINGS
@given(data=st.data(), handler=st.sampled_from(HANDLERS))
def test_unknown_ids_and_out_of_range_values(block_and_learner, pack, data, handler):
    block, learner = block_and_learner
    answers = dict(answer_set(pack, "best"))
    item = data.draw(st.sampled_from(pack.items))
    if data.draw(st.booleans()):
        answers[data.draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in answers))] = "a"
    elif item.is_situational:
        answers[item.id] = data.draw(json_values.filter(
            lambda v: not (isinstance(v, str) and item.option(v) is not None)))
    else:
        answers[item.id] = data.draw(json_values.filter(
            lambda v: not (type(v) is int and 1 <= v <= 5)))  # noqa: E721 - bool is not a rating
    assert_refused(learner, block, json.dumps({"answers": answers}).encode(), handler)


@pytest.mark.parametrize("handler", BODY_HANDLERS)
def test_one_megabyte_body(block_and_learner, handler):
    block, learner = block_and_learner
    payload = json.dumps({"answers": {"x" * 1024: "a" * (1024 * 1024)}}).encode()
    assert_refused(learner, block, payload, handler)


def test_replayed_submit_after_the_last_attempt(db, pack):
    learner = Learner("replay")
    block = fresh_block(learner, pack, attempts=1)
    payload = json.dumps({"answers": answer_set(pack, "best")}).encode()
    status, _ = learner.call(block, "submit", payload)
    assert status == 200
    for _ in range(3):
        assert_refused(learner, block, payload, "submit")
        assert_refused(learner, block, payload, "save_answers")
        assert_refused(learner, block, b"{}", "question_form")
    assert len(block.results) == 1
