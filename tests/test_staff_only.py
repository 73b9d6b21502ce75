"""Every handler is either one a learner may call or one that answers 403 to anyone but staff."""
from __future__ import annotations

import pytest

from competency_xblock import CompetencyAssessmentBlock, CompetencyGateBlock

from .conftest import answer_set

# Handlers meant for the learner's own state, and Studio's save (Studio checks write access).
LEARNER_HANDLERS = {"save_answers", "submit", "question_form", "student_view_user_state"}
STUDIO_HANDLERS = {"submit_studio_edits", "chance_figure", "save_course_pack"}
STAFF_ANSWERS = {("staff_figures", "GET"): 405, ("staff_statistics_csv", "GET"): 404,
                 ("staff_statistics_csv", "POST"): 404}


def handlers(block_class) -> set[str]:
    return {name for name in dir(block_class) if getattr(getattr(block_class, name), "_is_xblock_handler", False)}


def staff_handlers(block_class) -> set[str]:
    return {name for name in handlers(block_class) if getattr(getattr(block_class, name), "staff_only", False)}


@pytest.mark.parametrize("block_class", [CompetencyAssessmentBlock, CompetencyGateBlock])
def test_every_handler_is_known_or_staff_only(block_class):
    unexplained = handlers(block_class) - LEARNER_HANDLERS - STUDIO_HANDLERS - staff_handlers(block_class)
    assert not unexplained, f"handlers neither for learners nor staff-only: {sorted(unexplained)}"


def test_the_assessment_has_staff_handlers():
    assert "staff_statistics_csv" in staff_handlers(CompetencyAssessmentBlock)


@pytest.mark.parametrize("handler", sorted(staff_handlers(CompetencyAssessmentBlock)))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_learners_get_403_from_every_staff_handler(learner, staff, pack, handler, method):
    block = learner.load('<competency_assessment pack_id="customer_service"/>')
    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    before = block.results
    for query in (b"", b'{"user_is_staff": true}'):
        status, body = learner.call(block, handler, query, method=method)
        assert status == 403, (handler, status)
        assert "staff" in body["error"]
    assert learner.block(block.scope_ids.usage_id).results == before
    status, _ = staff.call(staff.block(block.scope_ids.usage_id), handler, b"", method=method)
    # staff get an answer: 405 for a GET that would start a job, 404 for a CSV of figures not yet worked out
    assert status == STAFF_ANSWERS.get((handler, method), 200)
