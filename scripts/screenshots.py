#!/usr/bin/env python
"""
Screenshots for the README (``make screenshots``): docs/screenshots/*.png.

Starts its own throw-away workbench (as the browser tests do), lets a few learners answer
by clicking, and photographs the result, a locked and an open level gate, the Studio
editor and the staff figures in Debian's headless Chromium.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench_demo.settings")

import django  # noqa: E402  pylint: disable=wrong-import-position

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402  pylint: disable=wrong-import-position

from competency_xblock.platform.pack_sources import installed_library  # noqa: E402  pylint: disable=wrong-import-position
from tests.browser.pages import AssessmentPage, scenario_url  # noqa: E402  pylint: disable=wrong-import-position
from tests.browser.workbench_server import CHROMIUM, WorkbenchServer, launch_chromium  # noqa: E402
from tests.conftest import answer_set  # noqa: E402  pylint: disable=wrong-import-position

OUT = ROOT / "docs" / "screenshots"
WIDTH = 900
MAX_HEIGHT = 1100
HIDE_WORKBENCH_CHROME = ".workbench .banner, .workbench .debug { display: none !important; }"
UNIT = "Customer service unit"
ASSESSMENT = "Competency assessment: customer service"


def shoot(page, selector: str, name: str, max_height: int = MAX_HEIGHT) -> Path:
    """A PNG of the element ``selector``, cut at ``max_height`` pixels."""
    page.add_style_tag(content=HIDE_WORKBENCH_CHROME)
    element = page.locator(selector).first
    element.wait_for()
    box = element.evaluate("""e => { const r = e.getBoundingClientRect();
        return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }""")
    margin = 8
    clip = {"x": max(box["x"] - margin, 0), "y": max(box["y"] - margin, 0),
            "width": box["width"] + 2 * margin, "height": min(box["height"], max_height) + 2 * margin}
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, clip=clip)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")
    return path


def submit(page, path: str, student: str, quality: str, pack) -> AssessmentPage:
    assessment = AssessmentPage(page).open(path, student)
    assessment.click_answers(answer_set(pack, quality))
    assessment.submit()
    return assessment


def main() -> int:
    if not os.access(CHROMIUM, os.X_OK):
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    pack = installed_library().get("customer_service")
    with WorkbenchServer() as server, sync_playwright() as playwright:
        scenarios = server.scenarios()
        browser = launch_chromium(playwright)

        def new_page(locale="en-GB"):
            context = browser.new_context(base_url=server.base_url, locale=locale,
                                          viewport={"width": WIDTH, "height": 900})
            return context.new_page()

        page = new_page()
        submit(page, scenarios[UNIT], "screenshot-learner", "middling", pack)
        shoot(page, ".competency-assessment .ca-result", "result")
        page.reload()
        shoot(page, '.competency-gate[data-state="locked"]', "gate-locked")
        shoot(page, '.competency-gate[data-state="open"]', "gate-open", max_height=520)

        polish = new_page(locale="pl-PL")
        submit(polish, scenarios[UNIT], "screenshot-uczestnik", "best", pack)
        shoot(polish, ".competency-assessment .ca-result", "result-pl", max_height=700)

        # closing the loop: weak in one dimension (its lesson listed first), then growth after a retake
        loop = new_page()
        weak = {**answer_set(pack, "best"), **{item.id: answer_set(pack, "worst")[item.id] for item in pack.items
                                              if item.dimension == "communication"}}
        assessment = AssessmentPage(loop).open(scenarios[UNIT], "screenshot-growth")
        assessment.click_answers(weak)
        assessment.submit()
        shoot(loop, ".competency-assessment .ca-result", "result-areas", max_height=800)
        assessment.retake()
        assessment.click_answers(answer_set(pack, "best"))
        assessment.submit()
        shoot(loop, ".ca-growth-section", "result-growth")

        studio = new_page()
        studio.goto(scenario_url(scenarios[ASSESSMENT], "screenshot-designer", view="studio_view"))
        shoot(studio, ".ca-studio", "studio")

        for number, quality in enumerate(("worst", "middling", "middling", "best", "best", "best")):
            assessment = submit(new_page(), scenarios[ASSESSMENT], f"screenshot-cohort-{number}", quality, pack)
            if quality != "best":   # a retake, one step better: growth for the staff view
                assessment.retake()
                assessment.click_answers(answer_set(pack, {"worst": "middling", "middling": "best"}[quality]))
                assessment.submit()
        staff = new_page()
        staff.goto(scenario_url(scenarios[ASSESSMENT], "staff"))
        staff.locator(".ca-staff button.ca-staff-show").click()  # the figures are fetched on request
        staff.locator(".ca-staff .ca-staff-levels").wait_for()
        shoot(staff, ".ca-staff", "staff")
        shoot(staff, ".ca-staff-loop", "staff-loop")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
