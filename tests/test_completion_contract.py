"""
Completion inside a level gate, as the platform does it (contract with edx-platform's source).

- openedx/edx-completion ``completion/services.py`` (``CompletionService``):
  ``completion_tracking_enabled()``; ``get_completions(candidates)`` maps each usage key to
  0.0..1.0, 0.0 when nothing is recorded; ``blocks_to_mark_complete_on_view(blocks)`` keeps the
  COMPLETABLE blocks without ``has_custom_completion`` or ``has_score`` not yet complete;
  ``get_complete_on_view_delay_ms()`` (5000 by default).
- openedx/edx-platform ``xmodule/vertical_block.py``: the vertical renders each such child with
  ``context["wrap_xblock_data"] = {"mark-completed-on-view-after-delay": delay}``, and the LMS's
  ``markBlocksCompletedOnViewIfNeeded`` looks for ``.xblock-student_view[data-mark-completed-on-
  view-after-delay]`` anywhere inside the unit; so a container such as the gate must do the same
  for its children, or a text lesson inside it is never completed.
"""
from __future__ import annotations

from xblock.completable import XBlockCompletionMode

from competency_xblock.blocks.gate import CompetencyGateBlock
from workbench_demo.services import DemoCompletionService

from .conftest import answer_set

UNIT = ('<vertical_demo><competency_assessment/><competency_gate levels="[1]">'
        '<html_demo><![CDATA[<p>One</p>]]></html_demo><html_demo><![CDATA[<p>Two</p>]]></html_demo>'
        '</competency_gate></vertical_demo>')


def rendered_contexts(learner, gate_id) -> dict:
    """Child usage id -> the context the gate rendered it with."""
    contexts = {}
    render_child = learner.runtime.render_child

    def recording(child, view, context=None):
        contexts[child.scope_ids.usage_id] = context
        return render_child(child, view, context)
    learner.runtime.render_child = recording
    try:
        learner.render(learner.block(gate_id))
    finally:
        learner.runtime.render_child = render_child
    return contexts


def test_the_gate_is_an_aggregator_for_completion():
    assert XBlockCompletionMode.get_mode(CompetencyGateBlock) == XBlockCompletionMode.AGGREGATOR


def test_an_open_gate_asks_for_its_lessons_to_be_marked_complete_on_view_until_they_are(learner, pack):
    root = learner.load(UNIT)
    assessment, gate = root.children
    assert learner.call(learner.block(assessment), "submit", {"answers": answer_set(pack, "worst")})[0] == 200
    first, second = learner.block(gate).children
    contexts = rendered_contexts(learner, gate)
    mark = {"mark-completed-on-view-after-delay": 5000}
    assert contexts[first].get("wrap_xblock_data") == mark and contexts[second].get("wrap_xblock_data") == mark

    completion = DemoCompletionService()
    completion.runtime = learner.runtime
    assert completion.get_completions([first, second]) == {first: 0.0, second: 0.0}
    completion.submit_completion(first, 1.0)
    contexts = rendered_contexts(learner, gate)
    assert "wrap_xblock_data" not in contexts[first] and contexts[second].get("wrap_xblock_data") == mark


def test_a_locked_gate_renders_no_child_and_marks_nothing(learner):
    root = learner.load(UNIT)
    assert rendered_contexts(learner, root.children[1]) == {}
