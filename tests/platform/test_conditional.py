"""
Contract: Open edX's ``<conditional>`` reading the assessment.

Platform: openedx/edx-platform, xmodule/conditional_block.py (``ConditionalBlock``; master of
the Ulmo cycle). What the code does: ``conditions_map`` maps the XML attribute to the block
attribute read (``poll_answer`` -> ``poll_answer``, ``submitted`` -> ``is_submitted``,
``attempted`` -> ``is_attempted``); ``is_condition_satisfied`` reads that attribute of every
source block, calls it when callable, and is true only when ``str()`` of each equals the
attribute's text exactly; a source without the attribute makes it false.
"""
from __future__ import annotations

import pytest

from ..conftest import answer_set

CONDITIONS_MAP = {"poll_answer": "poll_answer", "submitted": "is_submitted", "attempted": "is_attempted"}


def condition_satisfied(sources, conditional_attr: str, conditional_value: str) -> bool:
    """ConditionalBlock.is_condition_satisfied, over already-bound source blocks."""
    attr_name = CONDITIONS_MAP[conditional_attr]
    if not (conditional_value and sources):
        return False
    for source in sources:
        if not hasattr(source, attr_name):
            return False
        value = getattr(source, attr_name)
        if callable(value):
            value = value()
        if conditional_value != str(value):
            return False
    return True


LEVEL_OF = {"worst": 1, "middling": 2, "best": 3}


@pytest.mark.parametrize("quality", ["worst", "middling", "best"])
def test_poll_answer_opens_exactly_the_learners_level(learner, assessment_xml, pack, quality):
    block = learner.load(assessment_xml)
    assert not any(condition_satisfied([block], "poll_answer", str(level)) for level in (1, 2, 3))
    learner.call(block, "submit", {"answers": answer_set(pack, quality)})
    block = learner.block(block.scope_ids.usage_id)
    opened = [level for level in (1, 2, 3) if condition_satisfied([block], "poll_answer", str(level))]
    assert opened == [LEVEL_OF[quality]]


def test_attempted_and_submitted_compare_as_the_words_true_and_false(learner, assessment_xml, pack):
    block = learner.load(assessment_xml)
    assert condition_satisfied([block], "attempted", "False") and condition_satisfied([block], "submitted", "False")
    learner.call(block, "save_answers", {"answers": dict(list(answer_set(pack, "best").items())[:1])})
    block = learner.block(block.scope_ids.usage_id)
    assert condition_satisfied([block], "attempted", "True") and condition_satisfied([block], "submitted", "False")
    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    block = learner.block(block.scope_ids.usage_id)
    assert condition_satisfied([block], "submitted", "True")
    assert not condition_satisfied([block], "submitted", "true")  # the comparison is exact


def test_the_gate_is_no_conditional_source(learner):
    """Only the assessment answers; a gate named as a source makes the condition false, not an error."""
    gate = learner.load('<competency_gate levels="[3]"/>')
    assert not condition_satisfied([gate], "poll_answer", "3")
