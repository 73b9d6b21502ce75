"""
The assessment in a phone's webview: 360 px wide, no jQuery, no LMS page around it.

The mobile apps show a ``multi_device`` block in a webview (tests/platform/test_mobile.py
holds that contract); the demo's ``/webview/<scenario>/`` page (workbench_demo/webview.py)
serves the block's own fragment alone with a runtime that has only ``handlerUrl``. A
Polish learner answers by tapping, submits and reads the result, in Polish, with no
sideways scrolling and no script error.
"""
from __future__ import annotations

import gettext
from pathlib import Path

from playwright.sync_api import expect

import competency_xblock

from ..conftest import answer_set
from .pages import AssessmentPage

PHONE_WIDTH = 360
SCENARIO = "Competency assessment: customer service"
TRANSLATIONS = Path(competency_xblock.__file__).parent / "translations"


def test_a_learner_answers_and_submits_in_a_phone_webview(new_page, scenarios, student, pack):
    text = gettext.translation("text", str(TRANSLATIONS), ["pl"])
    scenario_id = scenarios[SCENARIO].strip("/").split("/")[-1]
    page = new_page(locale="pl-PL", width=PHONE_WIDTH, height=740, is_mobile=True, has_touch=True)
    page.goto(f"/webview/{scenario_id}/?student={student}")
    assessment = AssessmentPage(page)
    assessment.root.wait_for()
    assert page.evaluate("typeof window.jQuery === 'undefined' && typeof window.$ === 'undefined'")
    assert assessment.root.locator("button.ca-submit").inner_text().strip() == text.gettext("Submit answers")

    assessment.click_answers(answer_set(pack, "best"))
    expect(assessment.root.locator(".ca-progress")).to_contain_text(str(len(pack.items)))
    assessment.submit()
    assert assessment.shown_level() == 3
    assert assessment.result.locator("h3").first.inner_text().strip() == text.gettext("Your result")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, "the page scrolls sideways"
    assert not page.errors
