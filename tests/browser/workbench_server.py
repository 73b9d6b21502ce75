"""
The XBlock SDK workbench as a throw-away server, and a headless Debian Chromium to drive it.

Used by the browser tests and by ``scripts/screenshots.py``. Nothing here downloads a
browser: Playwright drives the system's ``chromium`` (``CHROMIUM`` overrides the path).
The server's life cycle (port, folder, migrate, wait, stop, die with the parent) is
``workbench_demo.server_process``'s, shared with the load test's gunicorn workbench.
"""
from __future__ import annotations

import html
import os
import re
import sys
import urllib.request

from workbench_demo.server_process import REPO_ROOT, WorkbenchProcess, free_port

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "REPO_ROOT", "WorkbenchServer", "free_port", "launch_chromium"]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


class WorkbenchServer(WorkbenchProcess):
    """
    ``django-admin runserver`` on a free loopback port, with its own temporary ``var/`` and SQLite file.

    ``stop()`` removes the temporary folder (database, logs) with the server.
    """

    def __init__(self, startup_timeout: float = 90.0):
        super().__init__(databases=None, startup_timeout=startup_timeout)  # SQLite in the working folder

    def command(self) -> list[str]:
        return [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}", "--noreload"]

    def scenarios(self) -> dict[str, str]:
        """Scenario description -> path, as the workbench's index page lists them."""
        with urllib.request.urlopen(self.base_url + "/", timeout=10) as response:
            page = response.read().decode("utf-8")
        return {html.unescape(text).strip(): href
                for href, text in re.findall(r'<a href="(/scenario/[^"]+)">([^<]+)</a>', page)}


def launch_chromium(playwright):
    """Debian's Chromium, headless, with a fresh profile that Playwright creates and removes."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
