"""
Contract: the package installs on Open edX's pinned stack and on the latest.

Platform: openedx/edx-platform, requirements/edx/base.txt (master of the Ulmo cycle, commit
000a5988) pins XBlock 5.3.0, edx-opaque-keys 3.0.0, web-fragments 3.1.0, Django 5.2.10;
requirements/platform.txt copies those pins (``make test-platform`` runs the unit and handler
tests on them) and requirements/base.txt and dev.txt pin the latest.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_PINS = {"xblock": "5.3.0", "edx-opaque-keys": "3.0.0", "web-fragments": "3.1.0", "django": "5.2.10"}


def install_requires() -> dict[str, Requirement]:
    tree = ast.parse((ROOT / "setup.py").read_text())
    call = next(node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setup")
    listed = next(keyword.value for keyword in call.keywords if keyword.arg == "install_requires")
    return {Requirement(item.value).name.lower(): Requirement(item.value) for item in listed.elts}


def pins(*files: str) -> dict[str, str]:
    found = {}
    for name in files:
        for line in (ROOT / "requirements" / name).read_text().splitlines():
            match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==([^\s#]+)", line)
            if match:
                found[match[1].lower()] = match[3]
    return found


def test_the_platform_file_pins_what_the_platform_pins():
    platform = pins("platform.txt")
    assert {name: platform.get(name) for name in PLATFORM_PINS} == PLATFORM_PINS


@pytest.mark.parametrize("stack", [("platform.txt",), ("base.txt", "dev.txt")], ids=["platform", "latest"])
def test_setup_ranges_admit_both_stacks(stack):
    pinned = pins(*stack)
    for name, requirement in install_requires().items():
        if name in pinned:
            assert requirement.specifier.contains(pinned[name]), f"{requirement} refuses {name}=={pinned[name]}"
    assert set(PLATFORM_PINS) <= set(install_requires())
