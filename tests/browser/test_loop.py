"""
Closing the loop in Chromium: a learner weak in one dimension opens that dimension's lesson,
a retake shows growth per dimension, and staff see cohort growth and managers' tips; axe
finds no serious or critical violation in any of these views.
"""
from __future__ import annotations

from ..conftest import answer_set
from .pages import AssessmentPage, run_axe, scenario_url
from .test_accessibility import assert_no_blocking_violations, assert_no_violations
from .test_staff import show_figures

UNIT_SCENARIO = "Customer service unit"
WEAK = "communication"
LESSON = "Communication practice: say what you can do"


def weak_in(pack, dimension_id):
    best, worst = answer_set(pack, "best"), answer_set(pack, "worst")
    return {item.id: worst[item.id] if item.dimension == dimension_id else best[item.id] for item in pack.items}


def test_a_learner_weak_in_one_dimension_opens_its_lesson_then_sees_growth(page, scenarios, student, pack):
    assessment = AssessmentPage(page).open(scenarios[UNIT_SCENARIO], student)
    assessment.click_answers(weak_in(pack, WEAK))
    assessment.submit()
    result = assessment.result
    assert assessment.shown_level() == 3
    levels = dict(zip(result.locator(".ca-profile tbody tr").evaluate_all("rows => rows.map(r => r.dataset.dimension)"),
                      result.locator(".ca-dimension-level").all_inner_texts()))
    assert levels[WEAK] == "1" and set(levels.values()) == {"1", "3"}
    areas = result.locator(".ca-area-lessons")
    assert "Communication (level 1)" in areas.inner_text()
    assert_no_blocking_violations(run_axe(page, "result with lessons for the areas to work on"))

    areas.get_by_role("link", name=LESSON).click()
    gate = page.locator(".competency-gate", has_text=LESSON)
    assert gate.get_attribute("data-state") == "open"
    assert page.evaluate("() => location.hash") == "#" + gate.get_attribute("id")
    assert "Second habit" in gate.locator(".cg-children").inner_text()
    tolerance = page.locator(".competency-gate", has_text="Staying calm with an upset customer")
    assert tolerance.get_attribute("data-state") == "locked"

    assessment.retake()
    assessment.click_answers(answer_set(pack, "best"))
    assessment.submit()
    growth = assessment.result.locator("table.ca-growth")
    rows = {row.locator("th").inner_text(): row.locator(".ca-change").inner_text()
            for row in growth.locator("tbody tr").all()}
    assert len(rows) == len(pack.dimensions)
    assert rows[pack.dimension(WEAK).name["en"]].startswith("+")
    assert rows[pack.dimension("tolerance").name["en"]] == "0"
    chart = assessment.result.locator('svg[aria-labelledby="ca-growth-title"]')
    assert chart.get_attribute("role") == "img" and chart.locator(".ca-growth-first").count() == len(pack.dimensions)
    assert page.locator(".competency-gate", has_text=LESSON).get_attribute("data-state") == "locked"
    assert_no_blocking_violations(run_axe(page, "result with growth"))
    assert not page.errors


def test_staff_see_cohort_growth_and_managers_tips(new_page, scenarios, student, pack):
    learner_page = new_page()
    assessment = AssessmentPage(learner_page).open(scenarios[UNIT_SCENARIO], student)
    assessment.click_answers(answer_set(pack, "worst"))
    assessment.submit()
    assessment.retake()
    assessment.click_answers(weak_in(pack, WEAK))
    assessment.submit()

    page = new_page()
    page.goto(scenario_url(scenarios[UNIT_SCENARIO], "staff"))
    page.locator(".ca-staff").wait_for()
    staff = show_figures(page)
    growth = staff.locator("table.ca-staff-growth")
    rows = growth.locator("tbody tr")
    assert rows.count() == len(pack.dimensions)
    learners = [int(text) for text in growth.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert min(learners) >= 1, "this test's learner has two attempts"
    tips = staff.locator(".ca-staff-manager-tips")
    assert tips.count() == 2
    names = {d.name["en"]: d for d in pack.dimensions}
    for section in tips.all():
        dimension = names[section.locator("h5").inner_text()]
        assert section.locator("li").all_inner_texts() == list(dimension.manager_tips["en"])
    assert_no_violations(run_axe(page, "staff view with growth and managers' tips"))
    assert not page.errors
