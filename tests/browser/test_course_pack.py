"""
A course designer writes the course's own pack in the Studio view: a broken save lists its problems
as "line N: message" beside the text (a click selects the line), nothing is stored; a valid one is
taken and graded by a learner. Keeps to its own scenario (settings are shared by its users).
"""
from __future__ import annotations

import yaml

from competency_xblock.domain.pack_loader import TEMPLATE_PATH, parse_pack

from ..conftest import answer_set
from .pages import AssessmentPage, scenario_url

SCENARIO = "Competency assessment: the course's own pack (teamwork)"


def open_studio(page, path, student):
    page.goto(scenario_url(path, student, view="studio_view"))
    studio = page.locator(".ca-studio")
    studio.locator("[data-course-pack-text]").wait_for()
    return studio


def check_and_save(page, studio):
    with page.expect_response(lambda r: "save_course_pack" in r.url) as info:
        studio.locator("[data-course-pack-save]").click()
    return info.value


def test_a_designer_writes_the_course_pack_and_a_learner_is_graded_by_it(new_page, scenarios, student):
    path = scenarios[SCENARIO]
    page = new_page()
    studio = open_studio(page, path, f"{student}-designer")
    box = studio.locator("[data-course-pack-text]")
    original = box.input_value()
    assert parse_pack(original).id == "teamwork"

    # A key the schema does not know, on line 8: refused, listed beside the text, nothing stored.
    lines = original.split("\n")
    broken = "\n".join(lines[:7] + ["colour: blue"] + lines[7:])
    box.fill(broken)
    response = check_and_save(page, studio)
    assert response.status == 400
    problems = studio.locator("[data-course-pack-problems]")
    problems.wait_for(state="visible")
    first = problems.locator("button").first
    assert first.inner_text().startswith("line 8: colour: unknown field")
    first.click()
    selected = box.evaluate("area => area.value.slice(area.selectionStart, area.selectionEnd)")
    assert selected == "colour: blue"
    assert open_studio(page, path, f"{student}-designer").locator("[data-course-pack-text]").input_value() == original

    # Start again from the empty template ("customise"), answer the confirmation, save: valid.
    studio = open_studio(page, path, f"{student}-designer")
    page.once("dialog", lambda dialog: dialog.accept())
    studio.locator("[data-pack-start]").select_option("")
    studio.locator("[data-pack-copy]").click()
    template = TEMPLATE_PATH.read_text(encoding="utf-8")
    assert studio.locator("[data-course-pack-text]").input_value() == template
    response = check_and_save(page, studio)
    assert response.ok, response.text()
    studio.locator("[data-course-pack-status]").filter(has_text="valid and saved").wait_for()

    # A learner now takes the template's competency and is graded by its key.
    pack = parse_pack(template)
    learner = new_page()
    assessment = AssessmentPage(learner).open(path, student)
    assert sorted(assessment.item_ids()) == sorted(item.id for item in pack.items)
    assessment.click_answers(answer_set(pack, "best"))
    assessment.submit()
    assert assessment.shown_level() == 3

    # Put the teamwork pack back for anyone opening the demo after this test.
    studio = open_studio(page, path, f"{student}-designer")
    studio.locator("[data-course-pack-text]").fill(original)
    assert check_and_save(page, studio).ok
    assert yaml.safe_load(original)["id"] == "teamwork"
    assert not page.errors and not learner.errors
