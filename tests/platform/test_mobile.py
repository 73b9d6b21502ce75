"""
Contract: what the mobile apps read.

Platform: openedx/edx-platform, lms/djangoapps/course_api/blocks/transformers/student_view.py
(``StudentViewTransformer``, read at commit 0c14b3f6; master of the Ulmo cycle). What the code does:

- ``student_view_multi_device`` is ``block.has_support(getattr(block.__class__, 'student_view'),
  'multi_device')``; the apps render a block inline only when it is true;
- ``student_view_data`` is ``block.student_view_data()``, called with no argument in the
  *collect* phase: once per course structure, for no learner, and cached; ``transform`` then
  drops it unless the request names the block type (``student_view_data=competency_assessment``).

So student_view_data carries what every learner sees (questions, options, scale labels, level
texts); the learner's own answers and result come from the ``student_view_user_state`` handler
it names, which the apps call per learner. Both are checked against docs/mobile-data.schema.json.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from competency_xblock import CompetencyAssessmentBlock, CompetencyGateBlock
from competency_xblock import package_data

from ..conftest import answer_set

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "mobile-data.schema.json").read_text())


def validator(definition: str):
    return jsonschema.Draft202012Validator({**SCHEMA, "$ref": f"#/$defs/{definition}"})


def transformer_multi_device(block) -> bool:
    """StudentViewTransformer.collect's test."""
    return block.has_support(getattr(block.__class__, "student_view", None), "multi_device")


def keys_anywhere(value) -> set:
    if isinstance(value, dict):
        return set(value) | set().union(*(keys_anywhere(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_anywhere(item) for item in value)) if value else set()
    return set()


@pytest.mark.parametrize("block_class", [CompetencyAssessmentBlock, CompetencyGateBlock])
def test_both_learner_views_support_multi_device(learner, block_class):
    tag = "competency_assessment" if block_class is CompetencyAssessmentBlock else "competency_gate"
    block = learner.load(f"<{tag}/>")
    assert transformer_multi_device(block)


def test_student_view_data_is_the_same_for_every_learner_and_holds_no_key(learner, assessment_xml, pack):
    block = learner.load(assessment_xml)
    before = block.student_view_data()  # called as the transformer calls it: no argument
    validator("studentViewData").validate(before)
    json.dumps(before)  # the block structure cache stores it
    assert [question["id"] for question in before["questions"]] == [item.id for item in pack.items]
    assert before["scale"] == {language: list(labels) for language, labels in pack.scale.items()}
    assert not keys_anywhere(before) & {"points", "key", "answers", "results", "score"}

    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    assert learner.block(block.scope_ids.usage_id).student_view_data() == before


def test_the_learner_state_handler_gives_the_result(learner, assessment_xml, pack):
    block = learner.load(assessment_xml)
    status, state = learner.call(block, "student_view_user_state", b"", method="GET")
    assert status == 200
    validator("studentViewUserState").validate(state)
    assert state["results"] == [] and state["current_level"] is None

    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    status, state = learner.call(learner.block(block.scope_ids.usage_id), "student_view_user_state", b"",
                                 method="GET")
    validator("studentViewUserState").validate(state)
    assert state["current_level"] == state["results"][0]["level"] == 3
    assert "points" not in keys_anywhere(state)


def test_a_broken_pack_still_gives_valid_data(learner):
    data = learner.load('<competency_assessment pack_id="no_such_pack"/>').student_view_data()
    validator("studentViewData").validate(data)
    assert data["available"] is False


def test_the_schema_rejects_a_key(learner, assessment_xml):
    """The schema is strict enough to catch option points leaking into the data."""
    data = learner.load(assessment_xml).student_view_data()
    data["questions"][0]["options"][0]["points"] = 3
    with pytest.raises(jsonschema.ValidationError):
        validator("studentViewData").validate(data)


def test_the_learner_script_needs_no_jquery():
    """The apps' webview has no LMS page around the block: the script uses the DOM and fetch only."""
    script = package_data.read_text("static/js/assessment.js")
    uses = re.findall(r"\$\(|\bjQuery\b|\$\.", script)
    assert uses == []
    assert "element.jquery ? element[0] : element" in script  # accepts a jQuery-wrapped element too
