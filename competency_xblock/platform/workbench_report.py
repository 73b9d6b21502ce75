"""
``competency-xblock report``: the learners' results stored by the XBlock SDK workbench, as CSV.

Designers can see what Open edX's problem responses report would show without an
LMS: every competency assessment the workbench has state for is built from its
stored settings, and its ``generate_report_data`` runs over the stored learner
states, handed over in the shape of the platform's ``XBlockUserState``.

Only reads the workbench database, through ``workbench_store``; it never loads
scenarios, which could reset state. ``cli`` imports this module only for the
command, so that it and the pure modules import no Django.
"""
from __future__ import annotations

import csv
import sys
from typing import TextIO

from . import workbench_store
from .workbench_store import WorkbenchStoreError

FIXED_COLUMNS = ["username", "scenario", "block", "title"]

class ReportError(Exception):
    """The report cannot be made; the message says why and what to do."""


def _assessments(scenario: str | None) -> list[tuple[str, str]]:
    """(scenario slug, usage id) of every assessment with stored state, filtered by ``scenario``."""
    found = workbench_store.assessments()
    if scenario:
        found = [(slug, usage) for slug, usage in found if scenario in (slug or "")]
    if not found:
        raise ReportError(f"no competency assessment with stored state{f' in scenarios matching {scenario!r}' if scenario else ''}")
    return found


def report_rows(scenario: str | None = None) -> list[dict]:
    """One row per learner and assessment: where it is, then the block's own report columns."""
    rows = []
    for slug, usage_id in _assessments(scenario):
        block = workbench_store.block_for(usage_id)
        try:
            learner_rows = list(block.generate_report_data(workbench_store.user_states(usage_id)))
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
        workbench_store.setup_django()
        rows = report_rows(scenario)
    except (ReportError, WorkbenchStoreError) as error:
        print(f"competency-xblock report: {error}", file=sys.stderr)
        return 1
    if output:
        with open(output, "w", encoding="utf-8", newline="") as out:
            write_csv(rows, out)
        print(f"{output}: {len(rows)} learner rows", file=sys.stderr)
    else:
        write_csv(rows, sys.stdout)
    return 0
