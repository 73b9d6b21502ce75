"""
Accessibility in Chromium: axe-core on every view, the structure a screen reader relies on,
and a phone-sized screen.

Each axe run prints a one-line summary (collected in the terminal report at the end).
The bar: no serious or critical violation in the blocks' part of the page.
"""
from __future__ import annotations

import pytest

from ..conftest import answer_set
from .pages import AssessmentPage, run_axe, scenario_url
from .test_staff import show_figures

UNIT_SCENARIO = "Customer service unit"
ASSESSMENT_SCENARIO = "Competency assessment: customer service"
# The workbench's own banner and debug panel (which prints the scenario XML in a <pre>) are
# development chrome around the course page, not part of it; the narrow-screen checks hide them.
HIDE_WORKBENCH_CHROME = ".workbench .banner, .workbench .debug { display: none !important; }"
PHONE = 360


def assert_no_blocking_violations(report):
    assert not report["blocking"], "serious or critical axe violations:\n" + "\n".join(report["blocking"])


def test_learner_view(page, scenarios, student):
    assessment = AssessmentPage(page).open(scenarios[UNIT_SCENARIO], student)
    assert_no_blocking_violations(run_axe(page, "learner view"))

    questions = assessment.root.locator("fieldset[data-item]")
    assert questions.count() == len(assessment.item_ids()) > 0
    for question in questions.all():
        assert question.locator(":scope > legend").inner_text().strip(), "every question is named by its legend"
        radios = question.locator('input[type="radio"]')
        assert radios.count() >= 2
        assert len(set(radios.evaluate_all("els => els.map(e => e.name)"))) == 1, "one radio group per question"
        for radio in radios.all():
            assert radio.evaluate("e => e.labels.length === 1 && e.labels[0].innerText.trim().length > 0")
    progress = assessment.root.locator(".ca-progress")
    assert progress.get_attribute("aria-live") == "polite"


def test_result_view(page, scenarios, student, pack):
    assessment = AssessmentPage(page).open(scenarios[UNIT_SCENARIO], student)
    assessment.click_answers(answer_set(pack, "middling"))
    assessment.submit()
    assert_no_blocking_violations(run_axe(page, "result view"))

    assert assessment.result.get_attribute("aria-live") == "polite", "the result is announced"
    assert page.evaluate("() => document.activeElement.classList.contains('ca-result')"), "and it takes the focus"

    # The level is said in words and digits, not by the badge's colour alone.
    level = assessment.shown_level()
    level_line = assessment.result.locator(".ca-level").inner_text()
    assert f"Level {level} of 3" in level_line and pack.level(level).name["en"] in level_line

    # The chart is an image with a name, and the table after it gives the same figures.
    chart = assessment.result.locator("svg.ca-chart")
    assert chart.get_attribute("role") == "img"
    assert chart.evaluate("svg => document.getElementById(svg.getAttribute('aria-labelledby')).textContent.trim()")
    bars = chart.locator(".ca-chart-value").evaluate_all("els => els.map(e => e.textContent.trim())")
    cells = assessment.result.locator(".ca-profile tbody td:not(.ca-dimension-level)").all_inner_texts()
    assert bars == cells and len(cells) == len(pack.dimensions)
    assert assessment.result.locator(".ca-profile caption").inner_text().strip()


def test_locked_gate_view(page, scenarios, student):
    page.goto(scenario_url(scenarios[UNIT_SCENARIO], student))
    locked = page.locator('.competency-gate[data-state="locked"]')
    locked.first.wait_for()
    assert locked.count() >= 1
    assert_no_blocking_violations(run_axe(page, "locked gate"))
    for gate in locked.all():
        title_id = gate.get_attribute("aria-labelledby")
        assert gate.locator(f'[id="{title_id}"]').inner_text().strip(), "a locked panel is named by its title"
        assert gate.locator("a.cg-back").inner_text().strip()


def assert_no_violations(report):
    assert not report["details"], "axe violations:\n" + "\n".join(report["details"])


def test_staff_view(page, scenarios):
    page.goto(scenario_url(scenarios[ASSESSMENT_SCENARIO], "staff"))
    page.locator(".ca-staff").wait_for()
    assert_no_violations(run_axe(page, "staff shell"))
    show_figures(page)
    assert_no_violations(run_axe(page, "staff view with the figures"))
    chart = page.locator("svg.ca-staff-chart")
    assert chart.get_attribute("role") == "img"
    assert page.locator(".ca-staff-levels caption").inner_text().strip(), "the chart has a table equivalent"


def test_studio_view(page, scenarios, student):
    page.goto(scenario_url(scenarios[ASSESSMENT_SCENARIO], student, view="studio_view"))
    page.locator(".ca-studio form").wait_for()
    assert_no_blocking_violations(run_axe(page, "studio view"))
    unlabelled = page.locator(".preview input:not([type=hidden]), .preview select, .preview textarea").evaluate_all(
        "els => els.filter(e => !e.labels?.length && !e.getAttribute('aria-label')"
        " && !e.getAttribute('aria-labelledby')).map(e => e.outerHTML.slice(0, 120))")
    assert unlabelled == [], "every Studio field has a label"


@pytest.mark.parametrize("view", ["learner", "result"])
def test_nothing_scrolls_sideways_on_a_phone(new_page, scenarios, student, pack, view):
    page = new_page(width=PHONE, height=740)
    assessment = AssessmentPage(page).open(scenarios[UNIT_SCENARIO], student)
    page.add_style_tag(content=HIDE_WORKBENCH_CHROME)
    if view == "result":
        assessment.click_answers(answer_set(pack, "middling"))
        assessment.submit()  # reloads the page: the unit has level gates
        page.add_style_tag(content=HIDE_WORKBENCH_CHROME)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    too_wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('.preview *')]
             .filter(e => e.getBoundingClientRect().right > limit + 0.5)
             .map(e => e.tagName.toLowerCase() + '.' + e.className).slice(0, 10)""", PHONE)
    assert width <= PHONE, f"the page is {width}px wide at {PHONE}px; too wide: {too_wide}"
    assert too_wide == []
