"""Learner journeys in Chromium: each level with its lessons, leaving half way, keyboard only, retake."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import competency_xblock
from competency_xblock.domain import scoring
from competency_xblock.blocks.presenters import safe_href

from ..conftest import answer_set
from .pages import AssessmentPage

ASSESSMENT_SCENARIO = "Competency assessment: customer service"
UNIT_SCENARIO = "Customer service unit"
UNIT_XML = Path(competency_xblock.__file__).parent / "scenarios" / "customer_service_unit.xml"


@pytest.fixture
def assessment_path(scenarios):
    return scenarios[ASSESSMENT_SCENARIO]


@pytest.fixture
def unit_path(scenarios):
    return scenarios[UNIT_SCENARIO]


def unit_gates(dimension: bool | None = None) -> list[tuple[str, set[int]]]:
    """
    (title, levels that open it) of each gate in the unit scenario, in page order, from its XML;
    ``dimension``: True for only the gates that follow a dimension's level, False for the others.
    (The answer sets put every dimension at the overall level, so both kinds follow that level.)
    """
    root = ET.parse(UNIT_XML).getroot()
    return [(gate.get("display_name"), set(json.loads(gate.get("levels", "[1, 2, 3]"))))
            for gate in root.iter("competency_gate")
            if dimension is None or bool(gate.get("dimension")) == dimension]


def gate_states(page) -> list[str]:
    return page.locator(".competency-gate").evaluate_all("els => els.map(e => e.dataset.state)")


def assert_gates_follow(page, level: int | None):
    """Each gate of the unit is open exactly when ``level`` is one it names; a locked one shows no content."""
    gates = unit_gates()
    assert gate_states(page) == ["open" if level in levels else "locked" for _title, levels in gates]
    for index, (title, levels) in enumerate(gates):
        gate = page.locator(".competency-gate").nth(index)
        if level in levels:
            assert gate.locator(".cg-children").inner_text().strip(), f"open gate {title!r} shows its lesson"
        else:
            assert title in gate.locator(".cg-title").inner_text()
            assert gate.locator(".cg-children").count() == 0, f"locked gate {title!r} must not render its lesson"
            back = gate.locator("a.cg-back")
            target = back.get_attribute("href").split("#", 1)[1]
            assert page.locator(f'[id="{target}"]').count() == 1, "the link back reaches the assessment"


def expected_result(pack, answers) -> scoring.Result:
    """The result the pack's own key and cut scores give ``answers`` (the scenario keeps the pack's cuts)."""
    return scoring.score(pack.items, pack.dimensions, answers, pack.scoring.cut_scores,
                         pack.scoring.self_assessment_weight, pack.scoring.min_items_per_dimension)


@pytest.mark.parametrize("quality, level", [("worst", 1), ("middling", 2), ("best", 3)])
def test_a_learner_reaches_each_level_sees_what_it_means_and_the_lessons_for_it(
        page, unit_path, student, pack, quality, level):
    answers = answer_set(pack, quality)
    assert expected_result(pack, answers).level == level, "the answer set no longer reaches the level it is for"

    assessment = AssessmentPage(page).open(unit_path, student)
    assert_gates_follow(page, None)
    assessment.click_answers(answers)
    assessment.submit()

    assert assessment.shown_level() == level
    result = assessment.result
    level_text = result.locator(".ca-level").inner_text()
    assert f"Level {level} of 3" in level_text
    assert pack.level(level).name["en"] in level_text
    assert result.locator(".ca-level-description").inner_text().strip() == pack.level(level).description["en"].strip()
    assert assessment.form.is_hidden()

    expected_links = [link.url for link in pack.links_for(level) if safe_href(link.url)]
    assert expected_links, "the pack offers no training links at this level"
    assert result.locator(".ca-links a").evaluate_all("as => as.map(a => a.getAttribute('href'))") == expected_links
    external = result.locator(".ca-links a").first
    assert external.get_attribute("target") == "_blank" and "noopener" in external.get_attribute("rel")

    weakest = [pack.dimension(d.id).name["en"] for d in scoring.weakest_dimensions(expected_result(pack, answers))]
    assert result.locator(".ca-tips h5").all_inner_texts() == weakest
    for tips in result.locator(".ca-tips ul").all():
        assert tips.locator("li").count() > 0

    profile = dict(zip(result.locator(".ca-profile tbody th").all_inner_texts(),
                       result.locator(".ca-profile tbody td").all_inner_texts()))
    assert set(profile) == {dimension.name["en"] for dimension in pack.dimensions}

    opened = [title for title, levels in unit_gates(dimension=False) if level in levels]
    assert result.locator(".ca-follow-ups a").all_inner_texts() == opened
    areas = [title for title, levels in unit_gates(dimension=True) if level in levels]
    assert result.locator(".ca-area-lessons a").all_inner_texts() == areas
    # The submit reloads a page with gates, so they follow the new level at once,
    # and the learner is brought back to the result.
    assert page.evaluate("() => document.activeElement.classList.contains('ca-result')")
    assert_gates_follow(page, level)
    for link in result.locator(".ca-follow-ups a").all():
        target = link.get_attribute("href").split("#", 1)[1]
        assert page.locator(f'[id="{target}"]').get_attribute("data-state") == "open"
    assert not page.errors


def test_a_learner_who_leaves_half_way_finds_the_answers_kept(page, assessment_path, student, pack):
    answers = answer_set(pack, "middling")
    first_half = dict(list(answers.items())[: len(answers) // 2])

    assessment = AssessmentPage(page).open(assessment_path, student)
    assessment.click_answers(first_half)  # returns once the autosave holding all of them has answered
    page.goto("about:blank")

    assessment = AssessmentPage(page).open(assessment_path, student)
    assert assessment.checked() == {item: str(value) for item, value in first_half.items()}
    assert assessment.form.is_visible()
    total = len(assessment.item_ids())
    assert assessment.root.locator(".ca-progress").inner_text() == f"{len(first_half)} of {total} questions answered"

    rest = {item: value for item, value in answers.items() if item not in first_half}
    assessment.click_answers(rest)
    assessment.submit()
    assert assessment.shown_level() == expected_result(pack, answers).level
    assert not page.errors


def test_submitting_with_questions_left_says_how_many(page, assessment_path, student, pack):
    answers = answer_set(pack, "best")
    some = dict(list(answers.items())[:3])
    assessment = AssessmentPage(page).open(assessment_path, student)
    assessment.click_answers(some)
    assessment.form.locator("button.ca-submit").click()
    error = assessment.root.locator(".ca-error")
    error.wait_for(state="visible")
    assert f"({len(answers) - len(some)} questions left)" in error.inner_text()
    assert error.get_attribute("role") == "alert"
    assert assessment.result.locator(".ca-result-body").count() == 0


def test_keyboard_only_from_first_question_to_result_and_retake(page, assessment_path, student, pack):
    """Tab to each question, Space and arrow keys to choose, Enter to submit and to retake; no clicks."""
    answers = answer_set(pack, "best")
    assessment = AssessmentPage(page).open(assessment_path, student)
    order = assessment.item_ids()
    assert set(order) == set(answers)

    page.keyboard.press("Tab")
    for item in order:
        focused = page.evaluate("() => document.activeElement.name")
        assert focused == f"ca-{item}", f"Tab should reach the first option of {item}, not {focused}"
        values = assessment.question(item).locator("input").evaluate_all("els => els.map(e => e.value)")
        page.keyboard.press("Space")  # choose the focused (first) option
        for _ in range(values.index(str(answers[item]))):
            page.keyboard.press("ArrowDown")  # arrow keys move the choice within the group
        page.keyboard.press("Tab")

    assert assessment.checked() == {item: str(value) for item, value in answers.items()}
    assert page.evaluate("() => document.activeElement.classList.contains('ca-submit')")
    with page.expect_response(lambda r: "/submit" in r.url) as submitted:
        page.keyboard.press("Enter")
    assert submitted.value.ok
    assessment.result.locator(".ca-result-body").wait_for()
    assert assessment.shown_level() == 3
    assert page.evaluate("() => document.activeElement.classList.contains('ca-result')"), \
        "the result must take the focus so that a screen reader reads it"

    retake = assessment.result.locator("button.ca-retake")
    for _ in range(200):  # Tab through the result's links to the retake button
        if page.evaluate("() => document.activeElement.classList.contains('ca-retake')"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the retake button")
    assert retake.is_visible()
    page.keyboard.press("Enter")
    assessment.form.wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.name") == f"ca-{order[0]}"
    assert assessment.checked() == {}
    assert not page.errors


def test_retake_keeps_the_history_and_the_new_level_reopens_the_lessons(page, unit_path, student, pack):
    """The unit counts the latest attempt: the retake's level decides which lessons are open."""
    assessment = AssessmentPage(page).open(unit_path, student)
    assessment.click_answers(answer_set(pack, "worst"))
    assessment.submit()
    assert assessment.shown_level() == 1
    assert_gates_follow(page, 1)

    assessment.retake()
    assert assessment.checked() == {}
    assessment.click_answers(answer_set(pack, "best"))
    assessment.submit()
    assert assessment.shown_level() == 3

    page.reload()
    assessment.root.wait_for()
    assert assessment.shown_level() == 3, "after a reload the latest result shows"
    assert assessment.form.is_hidden()
    assert assessment.root.locator("fieldset[data-item]").count() == 0, "a result page comes without the questions"
    rows = assessment.result.locator(".ca-history tbody tr")
    assert rows.count() == 2
    assert [row.locator("td").nth(2).inner_text() for row in rows.all()] == ["1", "3"]
    assert_gates_follow(page, 3)
    assert not page.errors


def test_a_refused_retake_says_why_and_keeps_the_result(page, assessment_path, student, pack):
    """When the server refuses the questions (say the last attempt was used in another tab), the learner is told."""
    assessment = AssessmentPage(page).open(assessment_path, student)
    assessment.click_answers(answer_set(pack, "best"))
    assessment.submit()
    page.reload()
    assessment.root.wait_for()
    refusal = "You have used all your attempts."
    page.route("**/question_form/**", lambda route: route.fulfill(
        status=403, content_type="application/json", body=json.dumps({"error": refusal})))
    retake = assessment.result.locator("button.ca-retake")
    retake.focus()
    page.keyboard.press("Enter")
    error = assessment.root.locator(".ca-error")
    error.wait_for(state="visible")
    assert error.inner_text() == refusal and error.get_attribute("role") == "alert"
    assert assessment.form.is_hidden() and assessment.shown_level() == 3
    assert page.evaluate("() => document.activeElement.classList.contains('ca-retake')"), "the focus stays put"

    page.unroute("**/question_form/**")
    page.keyboard.press("Enter")  # once the server agrees, the same button brings the questions
    assessment.form.wait_for(state="visible")
    assert error.is_hidden()
    assert page.evaluate("() => document.activeElement.name") == f"ca-{assessment.item_ids()[0]}"
    assert not page.errors
