"""
A course designer edits cut scores and follow-up lessons in the Studio view; learners follow.

Settings are shared by every user of a workbench scenario, so this journey keeps to a
scenario no other browser test uses.
"""
from __future__ import annotations

import math

from competency_xblock.domain import chance, scoring

from ..conftest import answer_set
from .pages import AssessmentPage, scenario_url

SCENARIO = "Competency assessment: a unit with an introduction"
LESSON = {"title": "Going further: service that builds loyalty", "url": "https://example.org/loyalty-lesson"}


def open_studio(page, path, student):
    page.goto(scenario_url(path, student, view="studio_view"))
    studio = page.locator(".ca-studio")
    studio.locator("form").wait_for()
    return studio


def save(page, studio):
    with page.expect_response(lambda r: "submit_studio_edits" in r.url) as info:
        studio.locator("button.save-button").click()
    return info.value


def test_a_designer_changes_cut_scores_and_follow_ups_and_the_learner_view_follows(new_page, scenarios, student, pack):
    path = scenarios[SCENARIO]
    middling = answer_set(pack, "middling")
    with_pack_cuts = scoring.score(pack.items, pack.dimensions, middling, pack.scoring.cut_scores,
                                   pack.scoring.self_assessment_weight, pack.scoring.min_items_per_dimension)
    # Lower cuts that still keep random answering below level 2 in 95 % of cases (worked out
    # from the pack, so a re-keying moves them with it).
    fair_from = chance.pack_chance(pack).lowest_fair_c1
    new_cuts = (math.ceil(fair_from + 0.5), round(with_pack_cuts.overall) - 5)
    assert with_pack_cuts.level == 2 and new_cuts[0] < new_cuts[1] <= with_pack_cuts.overall - 4, \
        "the cuts must move the level"
    unfair = chance.pack_chance(pack, (50, 80))
    fair = chance.pack_chance(pack, new_cuts)

    page = new_page()
    studio = open_studio(page, path, f"{student}-designer")

    # A bad pair of cut scores is refused with a message, and nothing is saved.
    studio.locator('input[data-cut="0"]').fill("90")
    studio.locator('input[data-cut="1"]').fill("40")
    response = save(page, studio)
    assert response.status == 400
    errors = studio.locator(".ca-studio-errors")
    errors.wait_for(state="visible")
    assert errors.inner_text().strip()
    studio = open_studio(page, path, f"{student}-designer")
    assert studio.locator('input[data-cut="0"]').input_value() == ""

    # Cut scores that random answering reaches too often: the figure beside them says so as
    # they are typed, and the save is refused naming the field.
    chance_line = studio.locator("[data-chance]")
    studio.locator('input[data-cut="0"]').fill("50")
    studio.locator('input[data-cut="1"]').fill("80")
    chance_line.filter(has_text=f"reaches level 2 in {chance.percent(unfair.level_2_or_3)} % of cases").wait_for()
    assert "ca-studio-chance-unfair" in chance_line.get_attribute("class")
    response = save(page, studio)
    assert response.status == 400
    errors = studio.locator(".ca-studio-errors")
    errors.wait_for(state="visible")
    assert "Cut scores: random answering reaches level 2" in errors.inner_text()

    # Good ones, and a follow-up lesson for level 3.
    studio.locator('input[data-cut="0"]').fill(str(new_cuts[0]))
    studio.locator('input[data-cut="1"]').fill(str(new_cuts[1]))
    chance_line.filter(has_text=f"reaches level 2 in {chance.percent(fair.level_2_or_3)} % of cases").wait_for()
    assert "ca-studio-chance-unfair" not in chance_line.get_attribute("class")
    level_3 = studio.locator('[data-list="lessons"][data-level="3"]')
    level_3.locator('button[data-add="lesson"]').click()
    row = level_3.locator("[data-row]").last
    row.locator('input[data-key="title"]').fill(LESSON["title"])
    row.locator('input[data-key="url"]').fill(LESSON["url"])
    response = save(page, studio)
    assert response.ok, response.text()
    page.locator(".ca-studio-status").filter(has_text="Saved").wait_for()

    studio = open_studio(page, path, f"{student}-designer")
    assert studio.locator('input[data-cut="0"]').input_value() == str(new_cuts[0])
    assert studio.locator('[data-list="lessons"][data-level="3"] input[data-key="title"]').last.input_value() \
        == LESSON["title"]

    # A learner with middling answers now reaches level 3 and is shown the designer's lesson.
    learner = new_page()
    assessment = AssessmentPage(learner).open(path, student)
    assessment.click_answers(middling)
    assessment.submit()
    assert assessment.shown_level() == 3
    lesson = assessment.result.locator(".ca-follow-ups a", has_text=LESSON["title"])
    assert lesson.get_attribute("href") == LESSON["url"]
    assert not page.errors and not learner.errors


AREA_LESSON = {"title": "Say what you can do", "url": "https://example.org/say-what-you-can-do"}


def test_a_designer_sets_a_lesson_per_dimension_and_a_wait_and_the_learner_view_follows(
        new_page, scenarios, student, pack):
    path = scenarios[SCENARIO]
    page = new_page()
    studio = open_studio(page, path, f"{student}-designer")
    areas = studio.locator('[data-list="dimension-lessons"]')

    # A lesson with no level chosen is refused, naming what is missing; nothing is saved.
    areas.locator('button[data-add="dimension_lesson"]').click()
    row = areas.locator("[data-row]").last
    row.locator('select[data-key="dimension"]').select_option("communication")
    row.locator('input[data-key="title"]').fill(AREA_LESSON["title"])
    row.locator('input[data-key="url"]').fill(AREA_LESSON["url"])
    studio.locator('input[data-field="retake_wait_days"]').fill("7")
    response = save(page, studio)
    assert response.status == 400
    errors = studio.locator(".ca-studio-errors")
    errors.wait_for(state="visible")
    assert "choose the level (1, 2 or 3)" in errors.inner_text()
    studio = open_studio(page, path, f"{student}-designer")
    assert studio.locator('[data-list="dimension-lessons"] [data-row]').count() == 0
    assert studio.locator('input[data-field="retake_wait_days"]').input_value() == "0"

    # With the level chosen it is saved, with the wait.
    areas = studio.locator('[data-list="dimension-lessons"]')
    areas.locator('button[data-add="dimension_lesson"]').click()
    row = areas.locator("[data-row]").last
    row.locator('select[data-key="dimension"]').select_option("communication")
    row.locator('select[data-key="level"]').select_option("1")
    row.locator('input[data-key="title"]').fill(AREA_LESSON["title"])
    row.locator('input[data-key="url"]').fill(AREA_LESSON["url"])
    studio.locator('input[data-field="retake_wait_days"]').fill("7")
    response = save(page, studio)
    assert response.ok, response.text()
    page.locator(".ca-studio-status").filter(has_text="Saved").wait_for()
    studio = open_studio(page, path, f"{student}-designer")
    saved = studio.locator('[data-list="dimension-lessons"] [data-row]')
    assert saved.count() == 1 and saved.locator('select[data-key="level"]').input_value() == "1"

    try:
        # A learner weak in communication gets the lesson first, and is told when a retake opens.
        best, worst = answer_set(pack, "best"), answer_set(pack, "worst")
        weak = {item.id: worst[item.id] if item.dimension == "communication" else best[item.id] for item in pack.items}
        learner = new_page()
        assessment = AssessmentPage(learner).open(path, student)
        assessment.click_answers(weak)
        assessment.submit()
        lesson = assessment.result.locator(".ca-area-lessons a", has_text=AREA_LESSON["title"])
        assert lesson.get_attribute("href") == AREA_LESSON["url"]
        assert "You can retake the assessment from" in assessment.result.locator(".ca-wait").inner_text()
        assert assessment.result.locator("button.ca-retake").count() == 0
        assert not page.errors and not learner.errors
    finally:   # the scenario's settings are shared: leave them as they were
        studio = open_studio(page, path, f"{student}-designer")
        studio.locator('[data-list="dimension-lessons"] [data-remove]').click()
        studio.locator('input[data-field="retake_wait_days"]').fill("0")
        assert save(page, studio).ok
