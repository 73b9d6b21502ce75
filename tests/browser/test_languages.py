"""
The learner journey, the staff view and the Studio editor in Polish, English, Russian and Latvian.

The browser asks for a language (Accept-Language), the workbench picks it (LocaleMiddleware),
and both the UI strings and the pack's content follow: the block's text.mo through the demo's
i18n service, which finds it only where Open edX's XBlockI18nService does
(competency_xblock/translations/<lang>/LC_MESSAGES/text.mo), and its JavaScript strings
through the block's own catalogue script (the platform gives no URL for it). Expected
strings come from the compiled catalogs and the pack, never from the page. In Russian and
Latvian every view also passes axe (no serious or critical violation), and at 360 px the
result chart's labels are whole and readable.
"""
from __future__ import annotations

import gettext
from pathlib import Path

import pytest

import competency_xblock

from ..conftest import answer_set
from .pages import AssessmentPage, run_axe, scenario_url
from .test_accessibility import HIDE_WORKBENCH_CHROME, PHONE, assert_no_blocking_violations
from .test_staff import show_figures

PACKAGE_DIR = Path(competency_xblock.__file__).parent
# where Open edX reads the text domain, and the djangojs sources' compiled catalogue
LOCALE_DIRS = {"text": PACKAGE_DIR / "translations", "djangojs": PACKAGE_DIR / "conf" / "locale"}
UNIT_SCENARIO = "Customer service unit"
ASSESSMENT_SCENARIO = "Competency assessment: customer service"
LANGUAGES = [("pl-PL", "pl"), ("en-GB", "en"), ("ru-RU", "ru"), ("lv-LV", "lv")]
NEW_LANGUAGES = [("ru-RU", "ru"), ("lv-LV", "lv")]
PROGRESS = ("%(done)s of %(total)s question answered", "%(done)s of %(total)s questions answered")


def catalog(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, str(LOCALE_DIRS[domain]), [language])


def progress_text(js, done: int, total: int) -> str:
    return js.ngettext(*PROGRESS, total) % {"done": done, "total": total}


@pytest.mark.parametrize("browser_locale, language", LANGUAGES)
def test_the_journey_in_each_language(new_page, scenarios, student, pack, browser_locale, language):
    text, js = catalog("text", language), catalog("djangojs", language)
    if language != "en":
        assert text.gettext("Submit answers") != "Submit answers", f"the {language} catalog is not compiled"
    page = new_page(locale=browser_locale)
    assessment = AssessmentPage(page).open(scenarios[UNIT_SCENARIO], student)
    root = assessment.root

    assert root.get_attribute("lang") == language
    assert page.evaluate("typeof window.CompetencyXBlockI18N?.gettext") == "function", "the block's JS catalogue"
    assert root.locator(".ca-instructions").inner_text().strip() == text.gettext(
        "Answer every question. Your answers are saved as you go; you can leave and come back.")
    assert root.locator("button.ca-submit").inner_text().strip() == text.gettext("Submit answers")
    total = len(pack.items)
    assert root.locator(".ca-progress").inner_text() == progress_text(js, 0, total), \
        "the JavaScript strings follow the language too"

    # The pack's content in the same language.
    assert root.locator(".ca-dimension h3").all_inner_texts() == [d.name[language] for d in pack.dimensions]
    first = pack.items[0]
    assert assessment.question(first.id).locator("legend").inner_text().strip() == first.prompt[language].strip()

    locked = page.locator('.competency-gate[data-state="locked"] .cg-lock').first
    assert locked.inner_text().strip() == text.gettext("Locked:")

    answers = answer_set(pack, "best")
    assessment.click_answers(answers)
    assert root.locator(".ca-progress").inner_text() == progress_text(js, total, total)
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
    if language != "en":
        assert_no_english(page.locator(".competency-assessment").first.inner_text(), pack)
    assert not page.errors


def assert_no_english(shown: str, pack):
    """Nothing the block or the pack would say in English is on the page (a missed translation)."""
    english_ui = [message.id for message in catalog_messages("text", "en")]
    english_pack = [d.name["en"] for d in pack.dimensions] + [level.name["en"] for level in pack.levels] + [
        item.behaviour["en"] for item in pack.items] + [link.title["en"] for link in pack.links]
    left = [text for text in english_ui + english_pack
            if len(text.split()) >= 2 and "%(" not in text and "{" not in text and text in shown]
    assert left == [], f"English left on the page: {left}"


def catalog_messages(domain: str, language: str):
    from babel.messages.pofile import read_po  # pylint: disable=import-outside-toplevel
    with (PACKAGE_DIR / "conf" / "locale" / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return [message for message in read_po(handle, locale=language) if isinstance(message.id, str) and message.id]


def assert_chart_drawn(chart, bar: str, track: str, shares: list[float]):
    """Each bar is as long, against its track, as the share it stands for (a localised number would break it)."""
    drawn = chart.evaluate(f"""svg => [...svg.querySelectorAll('{bar}')].map((bar, i) =>
        bar.getBBox().width / svg.querySelectorAll('{track}')[i].getBBox().width)""")
    assert len(drawn) == len(shares) > 0
    for got, want in zip(drawn, shares):
        assert abs(got - want) < 0.01, f"bars {drawn} for shares {shares}"


@pytest.mark.parametrize("browser_locale, language", LANGUAGES)
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
    assert_no_blocking_violations(run_axe(page, f"staff view with the figures ({language})"))


@pytest.mark.parametrize("browser_locale, language", NEW_LANGUAGES)
def test_learner_result_and_gates_pass_axe_in_russian_and_latvian(new_page, scenarios, student, pack,
                                                                 browser_locale, language):
    page = new_page(locale=browser_locale)
    assessment = AssessmentPage(page).open(scenarios[UNIT_SCENARIO], student)
    assert_no_blocking_violations(run_axe(page, f"learner view and locked gates ({language})"))
    assessment.click_answers(answer_set(pack, "middling"))
    assessment.submit()
    assert assessment.root.get_attribute("lang") == language
    assert_no_blocking_violations(run_axe(page, f"result view and gates ({language})"))


@pytest.mark.parametrize("browser_locale, language", NEW_LANGUAGES)
def test_the_javascript_catalogue_counts_in_the_languages_forms(new_page, scenarios, student, browser_locale, language):
    """The page's ngettext (Django's /jsi18n/ here, the block's compiled catalogue in Open edX) picks each form."""
    js = catalog("djangojs", language)
    page = new_page(locale=browser_locale)
    AssessmentPage(page).open(scenarios[ASSESSMENT_SCENARIO], student)
    counts = [1, 2, 5, 21, 0]
    shown = page.evaluate("""([singular, plural, counts]) => {
        const ngettext = window.CompetencyXBlockI18N?.ngettext ?? window.ngettext;
        return counts.map((n) => ngettext(singular, plural, n));
    }""", [*PROGRESS, counts])
    assert shown == [js.ngettext(*PROGRESS, n) for n in counts]
    assert len(set(shown)) >= 2, "the forms differ by count"


@pytest.mark.parametrize("browser_locale, language", NEW_LANGUAGES)
def test_the_studio_editor_in_russian_and_latvian(new_page, scenarios, student, pack, browser_locale, language):
    text = catalog("text", language)
    page = new_page(locale=browser_locale)
    page.goto(scenario_url(scenarios[ASSESSMENT_SCENARIO], student, view="studio_view"))
    studio = page.locator(".ca-studio")
    studio.locator("form").wait_for()
    assert_no_blocking_violations(run_axe(page, f"studio view ({language})"))

    legends = studio.locator("legend, h3, h4").all_inner_texts()
    for heading in ("Basics", "Attempts and grading", "Levels", "Added questions"):
        assert any(text.gettext(heading) == shown.strip() for shown in legends), heading
    assert studio.locator("button.save-button").inner_text().strip() == text.gettext("Save")
    # The content-language choice offers the pack's four languages.
    offered = studio.locator('select[data-field="content_language"] option').evaluate_all(
        "els => els.map(e => e.value).filter(Boolean)")
    assert offered == list(pack.languages) == ["pl", "en", "ru", "lv"]
    # Each question's texts can be edited in this language, pre-filled from the pack, with the
    # options' points counted in the language's plural forms.
    item = next(i for i in pack.items if i.is_situational)
    scene = studio.locator(f'textarea[data-text="scene"][data-lang="{language}"]').first
    assert scene.input_value().strip() == item.prompt[language].strip()
    labels = studio.locator("label.ca-studio-field > span").evaluate_all(  # folded questions too
        "els => els.map(e => e.textContent.trim())")
    for option in item.options:
        assert text.ngettext("Option %(id)s (%(counter)s point)", "Option %(id)s (%(counter)s points)",
                             option.points) % {"id": option.id, "counter": option.points} in labels
    assert_no_english(studio.inner_text(), pack)
    assert not page.errors


@pytest.mark.parametrize("browser_locale, language", NEW_LANGUAGES)
def test_the_result_chart_labels_are_whole_and_readable_at_360_px(new_page, scenarios, student, pack,
                                                                  browser_locale, language):
    page = new_page(locale=browser_locale, width=PHONE, height=740)
    assessment = AssessmentPage(page).open(scenarios[UNIT_SCENARIO], student)
    assessment.click_answers(answer_set(pack, "middling"))
    assessment.submit()
    page.add_style_tag(content=HIDE_WORKBENCH_CHROME)
    chart = assessment.result.locator("svg.ca-chart")
    chart.scroll_into_view_if_needed()
    labels = chart.evaluate("""svg => {
        const box = svg.getBoundingClientRect();
        const rows = [];
        let current = null;
        for (const el of svg.children) {
            if (el.classList.contains('ca-chart-label')) {
                if (!current) { current = {text: [], inside: true, minHeight: Infinity}; rows.push(current); }
                const r = el.getBoundingClientRect();
                current.text.push(el.textContent);
                current.inside = current.inside && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
                const scale = box.width / svg.viewBox.baseVal.width;  // the type as drawn on the screen
                current.minHeight = Math.min(current.minHeight, parseFloat(getComputedStyle(el).fontSize) * scale);
            } else { current = null; }
        }
        return rows.map(r => ({text: r.text.join(' '), inside: r.inside, height: r.minHeight}));
    }""")
    names = [d.name[language] for d in pack.dimensions]
    assert [label["text"] for label in labels] == names, "every name whole, nothing cut off"
    assert all(label["inside"] for label in labels), f"a label runs outside the chart: {labels}"
    assert min(label["height"] for label in labels) >= 11.5, f"labels too small to read at {PHONE} px: {labels}"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE
