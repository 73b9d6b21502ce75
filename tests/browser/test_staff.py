"""
The staff view in Chromium: its button fetches the figures, which follow new submissions,
and its CSV says the same.

The cohort figures of a scenario are shared by every test that submits there, so this
test reads them before and after its own three learners and checks the difference.
"""
from __future__ import annotations

import csv
import io

from ..conftest import answer_set
from .pages import AssessmentPage, scenario_url

SCENARIO = "Competency assessment: customer service"
STAFF = "staff"  # a staff user in the demo (COMPETENCY_DEMO_STAFF_USERS)


def show_figures(page):
    """
    Press the staff shell's button and wait for the figures of the job it started (the demo runs
    it in the press), not the kept ones the shell may show from an earlier visit; return the section.
    """
    staff = page.locator(".ca-staff")
    with page.expect_response(lambda response: "/staff_figures/" in response.url
                              and response.request.method == "POST") as answer:
        staff.locator("button.ca-staff-show").click()
    job_id = answer.value.json()["job_id"]
    staff.locator(f'.ca-staff-figures .ca-staff-computed[data-job="{job_id}"]').wait_for()
    return staff


def open_staff_view(page, path):
    page.goto(scenario_url(path, STAFF))
    page.locator(".ca-staff").wait_for()
    return show_figures(page)


def level_table(staff) -> dict[str, int]:
    return {row.get_attribute("data-level"): int(row.locator("td").first.inner_text())
            for row in staff.locator(".ca-staff-levels tbody tr").all()}


def levels_1_to_3(table: dict) -> dict:
    """Levels 1 to 3; learners with no level (key "none") are shown in one place only when there are any."""
    return {key: count for key, count in table.items() if key in ("1", "2", "3")}


def download_csv(page, staff) -> list[dict]:
    with page.expect_download() as info:
        staff.locator("a.ca-staff-csv").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))


def csv_figures(rows) -> dict:
    overall = next(row for row in rows if row["type"] == "overall")
    return {
        "learners": int(overall["responses"]),
        "mean": float(overall["mean_percent"] or 0),
        "levels": {row["id"]: int(row["responses"]) for row in rows if row["type"] == "level"},
        "items": {row["id"]: int(row["responses"]) for row in rows if row["type"] == "item"},
    }


def test_staff_see_the_cohort_figures_and_download_them(new_page, scenarios, student, pack):
    from competency_xblock.domain import scoring  # pylint: disable=import-outside-toplevel
    path = scenarios[SCENARIO]
    staff_page = new_page(accept_downloads=True)
    staff = open_staff_view(staff_page, path)
    before_table = level_table(staff)
    before = csv_figures(download_csv(staff_page, staff))
    assert levels_1_to_3(before["levels"]) == levels_1_to_3(before_table), "the CSV and the table agree"

    overall_sum = 0.0
    for quality in ("worst", "middling", "best"):
        learner_page = new_page()
        assessment = AssessmentPage(learner_page).open(path, f"{student}-{quality}")
        assert learner_page.locator(".ca-staff").count() == 0, "learners do not see the staff figures"
        answers = answer_set(pack, quality)
        assessment.click_answers(answers)
        assessment.submit()
        result = scoring.score(pack.items, pack.dimensions, answers, pack.scoring.cut_scores,
                               pack.scoring.self_assessment_weight, pack.scoring.min_items_per_dimension)
        overall_sum += result.overall

    staff_page.reload()
    staff_page.locator(".ca-staff").wait_for()
    staff = show_figures(staff_page)
    after_table = level_table(staff)
    for level in ("1", "2", "3"):
        assert after_table[level] == before_table[level] + 1, f"one more learner at level {level}"
    after = csv_figures(download_csv(staff_page, staff))
    assert levels_1_to_3(after["levels"]) == levels_1_to_3(after_table)
    assert after["learners"] == before["learners"] + 3
    expected_mean = (before["mean"] * before["learners"] + overall_sum) / after["learners"]
    assert abs(after["mean"] - expected_mean) < 0.01
    assert set(after["items"]) == {item.id for item in pack.items}
    assert all(after["items"][item] >= before["items"].get(item, 0) + 3 for item in after["items"])
    assert f"{after['learners']}" in staff.locator(".ca-staff-learners").inner_text()
    means = staff.locator(".ca-staff-means tbody th").all_inner_texts()
    assert means == [dimension.name["en"] for dimension in pack.dimensions]
    assert staff.locator(".ca-staff-items tbody tr").count() == len(pack.items)


def test_the_csv_is_for_staff_only(page, scenarios, student):
    path = scenarios[SCENARIO]
    staff_page_url = scenario_url(path, STAFF)
    page.goto(staff_page_url)
    href = show_figures(page).locator("a.ca-staff-csv").get_attribute("href")
    as_learner = href.replace(f"student={STAFF}", f"student={student}") if "student=" in href else None
    assert as_learner, f"the CSV link names its user: {href}"
    assert page.request.get(href).status == 200
    assert page.request.get(as_learner).status == 403


def test_the_button_fetches_the_figures_and_moves_the_focus_to_them(page, scenarios):
    with page.expect_response(lambda response: "staff_figures_status" in response.url) as shown:
        page.goto(scenario_url(scenarios[SCENARIO], STAFF))  # the shell shows the kept figures, if any
    staff = page.locator(".ca-staff")
    region = staff.locator(".ca-staff-figures")
    assert region.get_attribute("aria-live") == "polite"
    if shown.value.json()["kept"]:
        region.locator(".ca-staff-computed").wait_for()
    else:
        assert region.inner_text().strip() == "" and staff.locator("table").count() == 0
    with page.expect_response(lambda response: "/staff_figures/" in response.url
                              and response.request.method == "POST") as answer:
        staff.locator("button.ca-staff-show").focus()
        page.keyboard.press("Enter")  # the keyboard works as well as a click
    assert answer.value.status == 200 and answer.value.json()["state"] == "done"  # eager in the demo
    region.locator(f'.ca-staff-computed[data-job="{answer.value.json()["job_id"]}"]').wait_for()
    assert staff.locator("button.ca-staff-show").is_visible(), "the button stays, to work them out again"
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent.trim()]")
    assert focused == ["H4", region.locator("h4").first.inner_text().strip()], "the focus is on the figures' first heading"
    assert region.locator("svg.ca-staff-chart").count() == 1 and region.locator("a.ca-staff-csv").count() == 1


def test_a_failed_fetch_shows_its_error_in_the_region(page, scenarios):
    page.goto(scenario_url(scenarios[SCENARIO], STAFF))
    page.route(lambda url: "/staff_figures" in url, lambda route: route.fulfill(
        status=503, content_type="application/json", body='{"error": "The figures are resting."}'))
    staff = page.locator(".ca-staff")
    staff.locator("button.ca-staff-show").click()
    failed = staff.locator(".ca-staff-figures .ca-staff-failed")
    failed.wait_for()
    assert failed.inner_text().strip() == "The figures are resting."
    assert staff.locator("button.ca-staff-show").is_visible(), "the button stays for another try"
