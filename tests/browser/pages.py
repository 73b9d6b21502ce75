"""
What the browser tests do on a page: open a scenario, answer by clicking, submit, check axe.

Answer keys never come from the page: tests build them from the pack
(``tests.conftest.answer_set``) and only tell the page which option to click.
"""
from __future__ import annotations

import json
from collections import Counter

# axe-core's own axe.min.js, as shipped inside the pinned axe-playwright-python wheel (nothing vendored here).
from axe_playwright_python.base import AXE_SCRIPT

ASSESSMENT = ".competency-assessment"
# The part of a workbench page that the course and its blocks produce (not the workbench's chrome).
BLOCK_AREA = ".workbench .main .preview"
BLOCKING_IMPACTS = ("serious", "critical")
# One line per axe run; conftest.py prints them in pytest's terminal summary.
AXE_SUMMARIES: list[str] = []


def scenario_url(path: str, student: str, view: str | None = None) -> str:
    """The workbench URL of a scenario path ("/scenario/<id>/") for ``student`` and ``view``."""
    if view:
        path = path.rstrip("/") + f"/{view}/"
    return f"{path}?student={student}"


class AssessmentPage:
    """The learner view of one competency assessment on a workbench page."""

    def __init__(self, page, root: str = ASSESSMENT):
        self.page = page
        self.root = page.locator(root).first
        self.form = self.root.locator("form.ca-form")
        self.result = self.root.locator(".ca-result")

    def open(self, path: str, student: str) -> "AssessmentPage":
        self.page.goto(scenario_url(path, student))
        self.root.wait_for()
        return self

    def question(self, item_id: str):
        return self.root.locator(f'fieldset[data-item="{item_id}"]')

    def choice(self, item_id: str, value) -> object:
        return self.question(item_id).locator(f'input[type="radio"][value="{value}"]')

    def item_ids(self) -> list[str]:
        return self.root.locator("fieldset[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")

    def click_answers(self, answers: dict, wait_for_save: bool = True):
        """Click the label of each chosen option, as a person would; wait until an autosave holds every answer."""
        if not answers:
            return
        expected = {**self.checked(), **{item: str(value) for item, value in answers.items()}}

        def saved_everything(response) -> bool:
            if "save_answers" not in response.url or response.request.method != "POST":
                return False
            sent = json.loads(response.request.post_data or "{}").get("answers", {})
            return response.ok and {k: str(v) for k, v in sent.items()} == expected

        def click_all():
            for item, value in answers.items():
                self.choice(item, value).locator("xpath=ancestor::label[1]").click()

        if wait_for_save:
            with self.page.expect_response(saved_everything, timeout=15_000):
                click_all()
        else:
            click_all()

    def checked(self) -> dict:
        """Item id -> checked value, as the page shows it now."""
        return self.root.locator("fieldset[data-item]").evaluate_all(
            """els => Object.fromEntries(els.map(e => [e.dataset.item, e.querySelector('input:checked')?.value])
                                       .filter(([, v]) => v !== undefined))""")

    def submit(self):
        """Submit; on a page with level gates the block reloads the page so that they follow the level."""
        reloads = self.page.locator(".competency-gate").count() > 0
        with self.page.expect_response(lambda r: "/submit" in r.url and r.request.method == "POST") as info:
            if reloads:
                with self.page.expect_navigation():
                    self.form.locator("button.ca-submit").click()
            else:
                self.form.locator("button.ca-submit").click()
        assert info.value.ok, info.value.text()
        self.result.locator(".ca-result-body").wait_for()

    def shown_level(self) -> int | None:
        level = self.result.locator(".ca-result-body").get_attribute("data-level")
        return int(level) if level else None

    def retake(self):
        self.result.locator("button.ca-retake").click()
        self.form.wait_for(state="visible")


def run_axe(page, view: str, include: str = BLOCK_AREA) -> dict:
    """
    axe-core (WCAG 2.2 A/AA and best practices) over the block area of ``page``.

    Records a one-line summary for the terminal report. Page-level rules (the title and
    lang of the workbench's own page) are outside the blocks' reach and out of scope.
    """
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate(
        """([include]) => axe.run({include: [[include]]},
               {resultTypes: ['violations'], runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""",
        [include])
    impacts = Counter(violation["impact"] for violation in results["violations"])
    details = [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} "
               f"e.g. {v['nodes'][0]['target']}" for v in results["violations"]]
    summary = (f"axe {results['testEngine']['version']} [{view}]: {len(results['violations'])} violations "
               f"(critical {impacts['critical']}, serious {impacts['serious']}, moderate {impacts['moderate']}, "
               f"minor {impacts['minor']}); {len(results.get('passes', []))} rules passed")
    print(summary, *details, sep="\n    ")
    AXE_SUMMARIES.append(summary)
    return {"summary": summary, "details": details, "impacts": dict(impacts),
            "blocking": [line for line, v in zip(details, results["violations"]) if v["impact"] in BLOCKING_IMPACTS]}
