"""
``competency-xblock report``: the learners' results stored by the XBlock SDK workbench, as CSV.

Designers can see what Open edX's problem responses report would show without an
LMS: every competency assessment the workbench has state for is built from its
stored settings, and its ``generate_report_data`` runs over the stored learner
states, handed over in the shape of the platform's ``XBlockUserState``.

Only reads the workbench database (``workbench.models.XBlockState``); it never
loads scenarios, which could reset state. The Django part of the command lives
here so that ``cli`` and the pure modules import no Django.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from collections import namedtuple
from typing import TextIO

BLOCK_TYPE = "competency_assessment"
FIXED_COLUMNS = ["username", "scenario", "block", "title"]

# The shape of edx-platform's xblock_user_state client records.
UserState = namedtuple("UserState", ["username", "block_key", "state", "updated", "scope"])


class ReportError(Exception):
    """The report cannot be made; the message says why and what to do."""


def setup_django() -> None:
    """Set up Django with the workbench settings, as ``manage.py`` would from the project folder."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench_demo.settings")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # the settings module lives in the project folder
    import django  # pylint: disable=import-outside-toplevel
    try:
        django.setup()
    except ImportError as error:
        raise ReportError(f"cannot load the Django settings {os.environ['DJANGO_SETTINGS_MODULE']!r} ({error}); "
                          "run the command from the project folder or set DJANGO_SETTINGS_MODULE") from None


def _states(usage_id: str):
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    rows = XBlockState.objects.filter(scope="usage", scope_id=usage_id, user_id__isnull=False).order_by("user_id")
    for row in rows.iterator():
        try:
            state = json.loads(row.state)
        except ValueError:
            continue
        yield UserState(row.user_id, usage_id, state, row.created, "user_state")


def _assessments(scenario: str | None) -> list[tuple[str, str]]:
    """(scenario slug, usage id) of every assessment with stored state, filtered by ``scenario``."""
    from django.db import DatabaseError  # pylint: disable=import-outside-toplevel
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    try:
        found = sorted(set(XBlockState.objects.filter(scope="usage", tag=BLOCK_TYPE)
                           .values_list("scenario", "scope_id")))
    except DatabaseError as error:
        raise ReportError(f"cannot read the workbench database ({error}); run `make dev` (or `make migrate`) "
                          "first and answer an assessment in the workbench") from None
    if scenario:
        found = [(slug, usage) for slug, usage in found if scenario in (slug or "")]
    if not found:
        raise ReportError(f"no competency assessment with stored state{f' in scenarios matching {scenario!r}' if scenario else ''}")
    return found


def _block(usage_id: str):
    from xblock.fields import ScopeIds  # pylint: disable=import-outside-toplevel
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    runtime = WorkbenchRuntime()
    block_class = runtime.load_block_type(BLOCK_TYPE)
    definition_id = usage_id.rsplit(".u", 1)[0]
    return runtime.construct_xblock_from_class(block_class, ScopeIds(None, BLOCK_TYPE, definition_id, usage_id))


def report_rows(scenario: str | None = None) -> list[dict]:
    """One row per learner and assessment: where it is, then the block's own report columns."""
    rows = []
    for slug, usage_id in _assessments(scenario):
        block = _block(usage_id)
        try:
            learner_rows = list(block.generate_report_data(_states(usage_id)))
        except NotImplementedError as error:
            print(f"{usage_id}: skipped ({error})", file=sys.stderr)
            continue
        for username, row in learner_rows:
            rows.append({"username": username, "scenario": slug, "block": usage_id,
                         "title": block.display_name, **row})
    return rows


def write_csv(rows: list[dict], out: TextIO) -> None:
    columns = list(FIXED_COLUMNS)
    for row in rows:
        columns += [key for key in row if key not in columns]
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)


def run(scenario: str | None, output: str | None) -> int:
    """The ``report`` command: 0 when written, 1 with a message on stderr otherwise."""
    try:
        setup_django()
        rows = report_rows(scenario)
    except ReportError as error:
        print(f"competency-xblock report: {error}", file=sys.stderr)
        return 1
    if output:
        with open(output, "w", encoding="utf-8", newline="") as out:
            write_csv(rows, out)
        print(f"{output}: {len(rows)} learner rows", file=sys.stderr)
    else:
        write_csv(rows, sys.stdout)
    return 0
