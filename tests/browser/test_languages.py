"""
The learner journey in Polish and in English.

The browser asks for a language (Accept-Language), the workbench picks it (LocaleMiddleware),
and both the UI strings (the block's text.mo through the i18n service, djangojs.mo through
the page's JavaScript catalog) and the pack's content follow. Expected strings come from the
compiled catalogs and the pack, never from the page.
"""
from __future__ import annotations

import gettext
from pathlib import Path

import pytest

import competency_xblock

from ..conftest import answer_set
from .pages import AssessmentPage
from .test_staff import show_figures

LOCALE_DIR = Path(competency_xblock.__file__).parent / "conf" / "locale"
UNIT_SCENARIO = "Customer service unit"


def catalog(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, str(LOCALE_DIR), [language])


@pytest.mark.parametrize("browser_locale, language", [("pl-PL", "pl"), ("en-GB", "en")])
def test_the_journey_in_each_language(new_page, scenarios, student, pack, browser_locale, language):
    text, js = catalog("text", language), catalog("djangojs", language)
    if language != "en":
        assert text.gettext("Submit answers") != "Submit answers", f"the {language} catalog is not compiled"
    page = new_page(locale=browser_locale)
    assessment = AssessmentPage(page).open(scenarios[UNIT_SCENARIO], student)
    root = assessment.root

    assert root.get_attribute("lang") == language
    assert root.locator(".ca-instructions").inner_text().strip() == text.gettext(
        "Answer every question. Your answers are saved as you go; you can leave and come back.")
    assert root.locator("button.ca-submit").inner_text().strip() == text.gettext("Submit answers")
    total = len(pack.items)
    assert root.locator(".ca-progress").inner_text() == js.gettext("%(done)s of %(total)s answered") % {
        "done": 0, "total": total}, "the JavaScript strings follow the language too"

    # The pack's content in the same language.
    assert root.locator(".ca-dimension h3").all_inner_texts() == [d.name[language] for d in pack.dimensions]
    first = pack.items[0]
    assert assessment.question(first.id).locator("legend").inner_text().strip() == first.prompt[language].strip()

    locked = page.locator('.competency-gate[data-state="locked"] .cg-lock').first
    assert locked.inner_text().strip() == text.gettext("Locked:")

    answers = answer_set(pack, "best")
    assessment.click_answers(answers)
    assert root.locator(".ca-progress").inner_text() == js.gettext("%(done)s of %(total)s answered") % {
        "done": total, "total": total}
    assessment.submit()

    result = assessment.result
    assert result.locator("h3").first.inner_text().strip() == text.gettext("Your result")
    level = assessment.shown_level()
    expected_line = text.gettext("Level %(number)s of 3: %(name)s") % {
        "number": level, "name": pack.level(level).name[language]}
    assert expected_line in result.locator(".ca-level").inner_text()
    assert result.locator(".ca-level-description").inner_text().strip() == pack.level(level).description[language].strip()
    assert result.locator("button.ca-retake").inner_text().strip() == text.gettext("Retake the assessment")
    assert result.locator(".ca-links a").first.inner_text().strip() == pack.links_for(level)[0].title[language]
    assert_chart_drawn(result.locator("svg.ca-chart"), ".ca-chart-bar", ".ca-chart-track",
                       [float(cell.rstrip("%")) / 100 for cell in result.locator(".ca-profile td:not(.ca-dimension-level)").all_inner_texts()])
    assert not page.errors


def assert_chart_drawn(chart, bar: str, track: str, shares: list[float]):
    """Each bar is as long, against its track, as the share it stands for (a localised number would break it)."""
    drawn = chart.evaluate(f"""svg => [...svg.querySelectorAll('{bar}')].map((bar, i) =>
        bar.getBBox().width / svg.querySelectorAll('{track}')[i].getBBox().width)""")
    assert len(drawn) == len(shares) > 0
    for got, want in zip(drawn, shares):
        assert abs(got - want) < 0.01, f"bars {drawn} for shares {shares}"


@pytest.mark.parametrize("browser_locale, language", [("pl-PL", "pl"), ("en-GB", "en")])
def test_the_staff_view_in_each_language(new_page, scenarios, student, pack, browser_locale, language):
    text = catalog("text", language)
    learner = new_page(locale=browser_locale)
    assessment = AssessmentPage(learner).open(scenarios[UNIT_SCENARIO], student)
    assessment.click_answers(answer_set(pack, "best"))
    assessment.submit()

    page = new_page(locale=browser_locale)
    page.goto(f"{scenarios[UNIT_SCENARIO]}?student=staff")
    staff = page.locator(".ca-staff")
    staff.wait_for()
    assert staff.locator("h3").first.inner_text().strip() == text.gettext("Cohort results (staff only)")
    assert staff.locator("button.ca-staff-show").inner_text().strip() == text.gettext("Show the cohort figures")
    show_figures(page)
    assert staff.locator("a.ca-staff-csv").inner_text().strip() == text.gettext("Download these figures (CSV)")
    assert staff.locator(".ca-staff-means tbody th").all_inner_texts() == [d.name[language] for d in pack.dimensions]
    counts = [int(cell) for cell in staff.locator(".ca-staff-levels tbody tr td:first-of-type").all_inner_texts()]
    bars = staff.locator("svg.ca-staff-chart .ca-staff-chart-bar").count()
    assert_chart_drawn(staff.locator("svg.ca-staff-chart"), ".ca-staff-chart-bar", ".ca-staff-chart-track",
                       [count / max(counts) for count in counts[:bars]])
