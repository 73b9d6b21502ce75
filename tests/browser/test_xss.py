"""Script in any authored setting never runs in the learner's browser."""
from __future__ import annotations

import json

from ..conftest import answer_set
from .pages import AssessmentPage, scenario_url

SCENARIO = "Competency assessment: customer service"
MARK = "window.__x=1"
PAYLOADS = [f"<script>{MARK}</script>", f"<img src=x onerror={MARK}>", f'"><svg onload={MARK}>']
EDITED_FIELDS = ["display_name", "intro", "follow_up_lessons", "extra_links", "item_overrides"]


def hostile_settings(pack) -> dict:
    text = " ".join(PAYLOADS)
    item = next(item for item in pack.items if item.is_situational)
    return {
        "display_name": f"Check {text}",
        "intro": f"Intro {text}",
        "follow_up_lessons": {str(level): [{"title": f"Lesson {text}", "url": "/lesson"}] for level in (1, 2, 3)},
        "extra_links": [{"levels": [1, 2, 3], "kind": "page", "title": f"Link {text}",
                         "url": "https://example.org/page"}],
        "item_overrides": {"edited": {item.id: {
            "scene": {language: f"Scene {text}" for language in pack.languages},
            "behaviour": {language: f"Behaviour {text}" for language in pack.languages},
            "options": {option.id: {language: f"Option {text}" for language in pack.languages}
                        for option in item.options}}}},
    }


def studio_save(page, base_url, usage_id, body):
    url = f"{base_url}/handler/{usage_id}/submit_studio_edits/?student=designer"
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(url, data=json.dumps(body),
                             headers={"Content-Type": "application/json", "X-CSRFToken": token, "Referer": base_url})


def test_script_in_authored_settings_never_runs(new_page, scenarios, workbench, student, pack):
    page = new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    path = scenarios[SCENARIO]
    page.goto(scenario_url(path, f"{student}-designer"))
    usage_id = page.locator("[data-block-type=\"competency_assessment\"][data-usage]").first.get_attribute("data-usage")
    base_url = page.url.split("/scenario/")[0]
    response = studio_save(page, base_url, usage_id, {"values": hostile_settings(pack)})
    assert response.status == 200, response.text()  # stored as text: escaping is what is tested
    try:
        assessment = AssessmentPage(page).open(path, student)
        assessment.click_answers(answer_set(pack, "middling"))
        assessment.submit()
        page.reload()
        assessment.root.wait_for()
        assessment.retake()  # the result page has no questions; a retake fetches them (question_form)
        html = assessment.root.inner_html()
        assert page.evaluate("() => window.__x || 0") == 0
        assert not dialogs
        assert page.locator(".competency-assessment script, .competency-assessment img[onerror], "
                            ".competency-assessment svg[onload]").count() == 0
        assert html.count("&lt;script&gt;") >= 5  # title, intro, scene, options, result: text, not run
    finally:
        restored = studio_save(page, base_url, usage_id, {"values": {}, "defaults": EDITED_FIELDS})
        assert restored.status == 200, restored.text()
