"""
Fixtures for the browser tests: a throw-away workbench, Debian's Chromium, one page per test.

Every test in this folder is marked ``browser``. Without Chromium the tests are skipped
on a developer's machine, but fail under CI (``CI=true``): a CI run must never pass by
silently testing nothing in a browser.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from .pages import AXE_SUMMARIES
from .workbench_server import CHROMIUM, WorkbenchServer, launch_chromium

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):  # pylint: disable=unused-argument
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if AXE_SUMMARIES:
        terminalreporter.section("axe-core accessibility, per view")
        for line in AXE_SUMMARIES:
            terminalreporter.write_line(line)


def _require_chromium():
    if os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    message = (f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's chromium "
               "(apt-get install -y chromium; .ci/run does this), or set CHROMIUM to another path.")
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def workbench():
    """The workbench, started for this test session on a free loopback port with an empty database."""
    server = WorkbenchServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    _require_chromium()
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def student(request):
    """A learner id of this test's own, so that no two tests share learner state."""
    return f"{request.node.name[:40]}-{uuid.uuid4().hex[:8]}".replace("[", "-").replace("]", "")


@pytest.fixture
def new_page(chromium, workbench):
    """``new_page(locale="en-US", width=1280)``: a page in a fresh browser context (own cookies)."""
    contexts = []

    def make(locale: str = "en-US", width: int = 1280, height: int = 900, **options):
        context = chromium.new_context(locale=locale, viewport={"width": width, "height": height},
                                       base_url=workbench.base_url, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def scenarios(workbench):
    """Scenario description -> URL path, read from the workbench's index page."""
    return workbench.scenarios()
