"""
Contract: the grade event, as the LMS's grades app consumes it.

Platform: XBlock's xblock/scorable.py (``ScorableXBlockMixin._publish_grade`` publishes
``"grade"`` with ``value``, ``max_value`` and ``only_if_higher``), and openedx/edx-platform
lms/djangoapps/courseware/block_render.py (``handle_grade_event``: for a signed-in user it
sends ``SCORE_PUBLISHED`` with ``raw_earned=event['value']``, ``raw_possible=event['max_value']``,
``only_if_higher=event.get('only_if_higher')``; the grades app's handler in
lms/djangoapps/grades/signals/handlers.py stores that score, keeping a higher old one when
``only_if_higher``); master of the Ulmo cycle.
"""
from __future__ import annotations

import pytest

from ..conftest import answer_set


def score_published(event: dict) -> dict:
    """The SCORE_PUBLISHED arguments handle_grade_event makes of a grade event (KeyError if one is missing)."""
    return {"raw_earned": event["value"], "raw_possible": event["max_value"],
            "only_if_higher": event.get("only_if_higher")}


@pytest.mark.parametrize("mode, possible", [("score", 100.0), ("level", 3.0)])
def test_a_submit_publishes_a_grade_the_lms_can_store(learner, pack, mode, possible):
    block = learner.load(f'<competency_assessment pack_id="customer_service" grading_mode="{mode}"/>')
    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    (event,) = learner.published("grade")
    published = score_published(event)
    assert published["raw_possible"] == possible == learner.block(block.scope_ids.usage_id).max_score()
    assert 0 < published["raw_earned"] <= published["raw_possible"]
    assert published["only_if_higher"] is True  # the default "best" retake policy
    mine = learner.block(block.scope_ids.usage_id).get_score()
    assert (mine.raw_earned, mine.raw_possible) == (published["raw_earned"], published["raw_possible"])


def test_latest_policy_publishes_without_only_if_higher(learner, pack):
    block = learner.load('<competency_assessment pack_id="customer_service" retake_policy="latest"/>')
    learner.call(block, "submit", {"answers": answer_set(pack, "worst")})
    assert score_published(learner.published("grade")[-1])["only_if_higher"] is False
