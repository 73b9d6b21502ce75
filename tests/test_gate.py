"""The level gate in the XBlock SDK's workbench runtime: who sees what, retakes, links, validation, the demo."""
from __future__ import annotations

import html as html_escaping
import re
from types import SimpleNamespace

import pytest
from opaque_keys.edx.keys import UsageKey
from xblock.fields import ScopeIds

from competency_xblock.blocks import followups
from competency_xblock.blocks.assessment import CompetencyAssessmentBlock
from competency_xblock.blocks.gate import CompetencyGateBlock, block_url

from .conftest import answer_set
from .workbench import Learner

# quality of answers -> level (tests/conftest.py's answer sets, checked in test_assessment_block.py)
LEVEL_OF = {"worst": 1, "middling": 2, "best": 3}

# gate name -> (levels, a sentence only that gate's child holds)
GATES = {
    "basics": ([1], "Greet every customer within ten seconds."),
    "listening": ([1, 2], "Let the customer finish the sentence."),
    "difficult": ([2], "An angry customer is angry at the situation."),
    "relations": ([3], "Speak for the customer in the product meeting."),
}


def unit_xml(assessment_attributes: str = "") -> str:
    gates = "".join(
        f'<competency_gate display_name="Lesson {name}" levels="{levels}">'
        f"<html_demo><![CDATA[<p>{text}</p>]]></html_demo></competency_gate>"
        for name, (levels, text) in GATES.items())
    return (f"<vertical_demo><html_demo><![CDATA[<p>Intro</p>]]></html_demo>"
            f"<competency_assessment {assessment_attributes}/>{gates}</vertical_demo>")


@pytest.fixture
def unit(learner):
    """A unit: intro, assessment, the four GATES; ids by name."""
    root = learner.load(unit_xml())
    intro, assessment, *gates = root.children
    return SimpleNamespace(root=root, intro=intro, assessment=assessment, gates=dict(zip(GATES, gates)))


def submit(user, unit, quality, pack):
    status, body = user.call(user.block(unit.assessment), "submit", {"answers": answer_set(pack, quality)})
    assert status == 200, body
    return body


def gate_states(user, unit) -> dict[str, str]:
    """Render every gate as ``user``; "open" / "locked" / ..., checking that locked ones leak nothing."""
    states = {}
    for name, usage_id in unit.gates.items():
        html = user.render(user.block(usage_id))
        states[name] = re.search(r'data-state="(\w+)"', html).group(1)
        child_text = GATES[name][1]
        if states[name] == "open":
            assert child_text in html
        else:
            assert child_text not in html
            assert "html_demo" not in html  # no child block was rendered at all
    return states


def expected_states(level) -> dict[str, str]:
    return {name: "open" if level in levels else "locked" for name, (levels, _) in GATES.items()}


# ----- learners ------------------------------------------------------------------------------------

def test_before_any_submission_every_gate_is_locked_and_says_why(learner, unit):
    assert gate_states(learner, unit) == expected_states(None)
    html = learner.render(learner.block(unit.gates["listening"]))
    assert "Level 1 or 2 in “Customer service self-check” opens this lesson." in html
    assert "Complete the assessment" in html
    assert f'href="#{followups.element_id("competency-assessment", unit.assessment)}"' in html


@pytest.mark.parametrize("quality", ["worst", "middling", "best"])
def test_each_level_opens_exactly_its_gates(learner, unit, pack, quality):
    submit(learner, unit, quality, pack)
    level = LEVEL_OF[quality]
    assert gate_states(learner, unit) == expected_states(level)
    locked = next(name for name, (levels, _) in GATES.items() if level not in levels)
    assert f"Your current level is {level}." in learner.render(learner.block(unit.gates[locked]))


def test_gates_follow_each_learner_separately(learner, unit, pack):
    other = Learner("another-learner")
    submit(learner, unit, "best", pack)
    submit(other, unit, "worst", pack)
    assert gate_states(learner, unit) == expected_states(3)
    assert gate_states(other, unit) == expected_states(1)


def test_retake_from_level_1_to_3_flips_the_gates(learner, unit, pack):
    submit(learner, unit, "worst", pack)
    assert gate_states(learner, unit) == expected_states(1)
    submit(learner, unit, "best", pack)
    assert gate_states(learner, unit) == expected_states(3)


def test_latest_policy_retake_down_closes_gates(learner, pack):
    root = learner.load(unit_xml('retake_policy="latest"'))
    unit = SimpleNamespace(assessment=root.children[1], gates=dict(zip(GATES, root.children[2:])))
    submit(learner, unit, "best", pack)
    submit(learner, unit, "middling", pack)
    assert gate_states(learner, unit) == expected_states(2)


def test_cut_score_change_moves_the_gates_like_the_grade(learner, unit, pack):
    submit(learner, unit, "middling", pack)
    assessment = learner.block(unit.assessment)
    assessment.cut_scores = [5, 10]
    assessment.save()
    assert learner.block(unit.assessment).current_level() == 3
    assert gate_states(learner, unit) == expected_states(3)


# ----- staff -------------------------------------------------------------------------------------

def test_staff_see_the_children_and_which_levels_open_them(staff, unit):
    for name, (levels, text) in GATES.items():
        html = staff.render(staff.block(unit.gates[name]))
        assert 'data-state="staff"' in html and text in html
    html = staff.render(staff.block(unit.gates["listening"]))
    assert "Learners at level 1 or 2 in “Customer service self-check” see the content below" in html


# ----- Open edX's <conditional> attributes -------------------------------------------------------

def conditional_value(block, attribute):
    """What Open edX's ConditionalBlock.is_condition_satisfied compares: str(attr), calling methods."""
    value = getattr(block, attribute)
    return str(value() if callable(value) else value)


def test_conditional_attributes_carry_the_level(learner, unit, pack):
    assessment = learner.block(unit.assessment)
    assert [conditional_value(assessment, a) for a in ("poll_answer", "is_attempted", "is_submitted")] \
        == ["", "False", "False"]
    learner.call(assessment, "save_answers", {"answers": dict(list(answer_set(pack, "best").items())[:2])})
    assessment = learner.block(unit.assessment)
    assert (conditional_value(assessment, "is_attempted"), conditional_value(assessment, "is_submitted")) \
        == ("True", "False")
    assert assessment.current_level() is None
    for quality in ("middling", "best"):
        submit(learner, unit, quality, pack)
        assessment = learner.block(unit.assessment)
        assert conditional_value(assessment, "poll_answer") == str(LEVEL_OF[quality])
        assert conditional_value(assessment, "is_submitted") == "True"
        assert conditional_value(assessment, "is_attempted") == "True"


# ----- follow-ups in the result view ---------------------------------------------------------------

@pytest.mark.parametrize("quality", ["worst", "best"])
def test_result_lists_the_open_gates_with_links_that_reach_them(learner, unit, pack, quality):
    body = submit(learner, unit, quality, pack)
    listed = re.findall(r'<ul class="ca-follow-ups">(.*?)</ul>', body["result_html"], re.S)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', listed[0]) if listed else []
    level = LEVEL_OF[quality]
    expected = [name for name, (levels, _) in GATES.items() if level in levels]
    assert [title for _, title in links] == [f"Lesson {name}" for name in expected]
    for (href, _), name in zip(links, expected):
        assert href.startswith("#")
        assert f'id="{href[1:]}"' in learner.render(learner.block(unit.gates[name]))


def test_finding_the_gates_builds_no_other_sibling(learner, unit, pack, monkeypatch):
    submit(learner, unit, "best", pack)
    assessment = learner.block(unit.assessment)
    parent = assessment.get_parent()
    built, real_get_child = [], parent.get_child
    monkeypatch.setattr(parent, "get_child", lambda usage_id: built.append(usage_id) or real_get_child(usage_id))
    lessons = assessment.open_gate_lessons(3)
    assert parent is assessment.get_parent()
    assert [lesson["title"] for lesson in lessons] == ["Lesson relations"]
    assert sorted(built) == sorted(unit.gates.values())  # neither the intro nor the assessment itself


def test_follow_up_lessons_setting_still_listed_beside_gates(learner, unit, pack):
    assessment = learner.block(unit.assessment)
    assessment.follow_up_lessons = {"3": [{"title": "Mentoring programme", "url": "https://example.org/mentor"}]}
    assessment.save()
    body = submit(learner, unit, "best", pack)
    assert '<a href="https://example.org/mentor">Mentoring programme</a>' in body["result_html"]
    assert ">Lesson relations</a>" in body["result_html"]


def test_gates_following_another_assessment_are_not_listed(learner, pack):
    root = learner.load('<vertical_demo><competency_assessment display_name="A"/>'
                        '<competency_assessment display_name="B"/>'
                        '<competency_gate display_name="After B" levels="[1, 2, 3]"><html_demo>x</html_demo>'
                        '</competency_gate></vertical_demo>')
    first, second, gate = root.children
    _, body = learner.call(learner.block(first), "submit", {"answers": answer_set(pack, "best")})
    assert "After B" not in body["result_html"]
    _, body = learner.call(learner.block(second), "submit", {"answers": answer_set(pack, "best")})
    assert ">After B</a>" in body["result_html"]
    assert learner.block(gate).find_assessment()[0].display_name == "B"


# ----- references --------------------------------------------------------------------------------

def test_explicit_reference_by_usage_id(learner, pack):
    assessment = learner.load("<competency_assessment/>")
    gate = learner.load('<competency_gate levels="[3]"><html_demo><![CDATA[<p>Deep dive</p>]]></html_demo>'
                        "</competency_gate>")
    gate.follows = str(assessment.scope_ids.usage_id)
    gate.save()
    assert gate.validate().empty
    assert "Deep dive" not in learner.render(learner.block(gate.scope_ids.usage_id))
    learner.call(assessment, "submit", {"answers": answer_set(pack, "best")})
    assert "Deep dive" in learner.render(learner.block(gate.scope_ids.usage_id))


def test_nearest_assessment_before_the_gate_is_followed(learner, pack):
    root = learner.load('<vertical_demo><competency_assessment display_name="First"/>'
                        '<competency_assessment display_name="Second"/>'
                        '<competency_gate levels="[1]"><html_demo>x</html_demo></competency_gate></vertical_demo>')
    assessment, _problem = learner.block(root.children[2]).find_assessment()
    assert assessment.display_name == "Second"


def lms_gate(learner, usage_key: str) -> CompetencyGateBlock:
    key = UsageKey.from_string(usage_key)
    return learner.runtime.construct_xblock_from_class(
        CompetencyGateBlock, ScopeIds("learner", key.block_type, key, key))


def test_lms_references_map_into_the_course(learner):
    gate = lms_gate(learner, "block-v1:edX+CS101+2025+type@competency_gate+block@gate1")
    by_id = gate._reference_key("self_check")
    assert str(by_id) == "block-v1:edX+CS101+2025+type@competency_assessment+block@self_check"
    other_run = gate._reference_key("block-v1:edX+CS101+2024+type@competency_assessment+block@self_check")
    assert other_run == by_id
    assert gate._reference_key("not a valid id!") is None


def test_lms_links_jump_to_the_block_and_workbench_links_are_anchors(learner):
    gate = lms_gate(learner, "block-v1:edX+CS101+2025+type@competency_gate+block@gate1")
    assert block_url(gate, "competency-gate") == "/courses/course-v1:edX+CS101+2025/jump_to_id/gate1"
    workbench_block = learner.load("<competency_gate/>")
    assert block_url(workbench_block, "competency-gate") == \
        "#" + followups.element_id("competency-gate", workbench_block.scope_ids.usage_id)


# ----- bad configuration -------------------------------------------------------------------------

def bad_gate(learner, follows=None, levels="[1]", with_assessment=True):
    assessment = '<competency_assessment/>' if with_assessment else ""
    root = learner.load(f'<vertical_demo>{assessment}<html_demo>not an assessment</html_demo>'
                        f'<competency_gate levels=\'{levels}\'><html_demo><![CDATA[<p>Hidden child</p>]]>'
                        f'</html_demo></competency_gate></vertical_demo>')
    gate = learner.block(root.children[-1])
    if follows is not None:
        gate.follows = follows(root) if callable(follows) else follows
        gate.save()
    return gate


BAD_GATES = [
    ({"follows": "no-such.competency_assessment.d9.u9"}, "cannot be found"),
    ({"follows": lambda root: str(root.children[-2])}, "is not a competency assessment"),
    ({"levels": "[0, 4]"}, "Levels must be 1, 2 or 3; these are not: 0, 4."),
    ({"levels": '["high"]'}, "Levels must be 1, 2 or 3; these are not: 'high'."),
    ({"levels": "[]"}, "Choose at least one level"),
    ({"with_assessment": False}, "This gate follows no assessment"),
]


@pytest.mark.parametrize("settings, message", BAD_GATES)
def test_bad_gates_get_studio_messages_and_a_friendly_learner_view(learner, staff, pack, settings, message):
    gate = bad_gate(learner, **settings)
    validation = gate.validate()
    assert not validation.empty
    assert [m.type for m in validation.messages] == ["error"]
    assert message in validation.messages[0].text
    html = learner.render(gate)
    assert 'data-state="unavailable"' in html and "not available right now" in html
    assert "Hidden child" not in html
    staff_html = staff.render(staff.block(gate.scope_ids.usage_id))
    assert "Hidden child" in staff_html and message.replace("'", "&#x27;") in staff_html


def test_good_gate_validates(learner):
    assert bad_gate(learner).validate().empty


def test_studio_editor_offers_the_settings(staff):
    gate = staff.load("<competency_gate/>")
    html = gate.studio_view({}).body_html()
    for field in CompetencyGateBlock.editable_fields:
        assert f'data-field-name="{field}"' in html


def test_studio_save_refuses_bad_levels(staff):
    gate = staff.load("<vertical_demo><competency_assessment/><competency_gate/></vertical_demo>")
    gate = staff.block(gate.children[1])
    status, body = staff.call(gate, "submit_studio_edits", {"values": {"levels": [4]}, "defaults": []})
    assert status == 400 and "Levels must be 1, 2 or 3" in str(body)
    assert staff.block(gate.scope_ids.usage_id).levels == [1, 2, 3]
    status, _ = staff.call(gate, "submit_studio_edits", {"values": {"levels": [2, 3]}, "defaults": []})
    assert status == 200 and staff.block(gate.scope_ids.usage_id).levels == [2, 3]


# ----- pure helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, levels, rejected", [
    ([3, 1, 3], (1, 3), []),
    (["2", " 3 "], (2, 3), []),
    ([0, 4, True, 1.0, None], (), [0, 4, True, 1.0, None]),
    ([], (), []),
    ("1,2", (), ["1,2"]),
])
def test_clean_levels(value, levels, rejected):
    assert followups.clean_levels(value) == (levels, rejected)


def test_link_helpers():
    assert followups.lesson_url("a", "course-v1:O+C+R", "b c") == "/courses/course-v1:O+C+R/jump_to_id/b%20c"
    assert followups.lesson_url("competency-gate-x") == "#competency-gate-x"
    assert followups.element_id("g", "s.competency_gate.d0.u1") == "g-s-competency_gate-d0-u1"
    assert followups.is_in_page_anchor("#g-1") and not followups.is_in_page_anchor("#\"><script>")
    assert followups.join_levels((1, 2, 3), "lub") == "1, 2 lub 3" and followups.join_levels((2,)) == "2"
    lessons = [followups.Lesson("A", (1, 2), "#a"), followups.Lesson("B", (3,), "#b")]
    assert followups.open_lessons(lessons, 2) == [{"title": "A", "url": "#a"}]
    assert followups.open_lessons(lessons, None) == []


# ----- the demo unit -------------------------------------------------------------------------------

DEMO_OPENS = {
    1: {"Service basics: customer orientation and service standards", "Listening before answering"},
    2: {"Listening before answering", "Difficult customers: tolerance and empathy"},
    3: {"Long-term relationships and the customer's voice inside the company"},
}
# the two lessons for a dimension at level 1; the answer sets put every dimension at the overall level
DEMO_DIMENSION_LESSONS = {"Communication practice: say what you can do", "Staying calm with an upset customer"}


def test_demo_unit_is_a_workbench_scenario():
    scenarios = dict(CompetencyAssessmentBlock.workbench_scenarios())
    assert "Customer service unit" in scenarios
    assert scenarios["Customer service unit"].count("<competency_gate") == 6
    assert scenarios["Customer service unit"].count(' dimension="') == 2


@pytest.mark.parametrize("quality", ["worst", "middling", "best"])
def test_demo_unit_loads_and_opens_the_lessons_of_each_level(learner, pack, quality):
    xml = dict(CompetencyAssessmentBlock.workbench_scenarios())["Customer service unit"]
    root = learner.load(xml)
    before = learner.render(root)
    assert before.count('data-state="locked"') == 6
    assessment = next(c for c in root.children if isinstance(learner.block(c), CompetencyAssessmentBlock))
    body = learner.call(learner.block(assessment), "submit", {"answers": answer_set(pack, quality)})[1]
    level = LEVEL_OF[quality]
    html = learner.render(learner.block(root.scope_ids.usage_id))
    sections = re.findall(r'<section class="competency-gate.*?</section>', html, re.S)
    opened = {re.search(r"<h3>(.*?)</h3>", s).group(1) for s in sections if 'data-state="open"' in s}
    dimension_lessons = DEMO_DIMENSION_LESSONS if level == 1 else set()
    assert set(learner.block(assessment).results[-1]["dimension_levels"].values()) == {level}
    assert opened == DEMO_OPENS[level] | dimension_lessons
    assert all(f">{html_escaping.escape(title)}</a>" in body["result_html"]
               for title in DEMO_OPENS[level] | dimension_lessons)
