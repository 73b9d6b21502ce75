"""
``competency-xblock rebuild-stats``: check, and repair, the cohort statistics of the
assessments stored in the XBlock SDK workbench's database.

Concurrent submissions can lose updates of the shared ``cohort_statistics`` value (see
``aggregate_repair``). This command reads every learner's state of each assessment from
the workbench's ``XBlockState`` table, rebuilds the figures from the learners' own
records, reports the drift of the stored figures, and (without ``--check``) writes the
rebuilt value back through the runtime. Run it when no learner is submitting: it is a
read-modify-write itself; running it again is harmless and converges.

It needs the workbench (``xblock-sdk``) and its Django settings: ``DJANGO_SETTINGS_MODULE``
(``workbench_demo.settings`` by default, from the project folder) and, for another
database than the default SQLite file, ``WORKBENCH_DATABASES``. The database is read,
and blocks are built, through ``workbench_store``; no scenario is loaded.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

from . import aggregate_repair, reports, workbench_store
from .pack_loader import PackError


def assessment_usage_ids() -> list[str]:
    """Usage ids of every assessment whose block state (settings, cohort figures) is stored, sorted."""
    return sorted({usage_id for _slug, usage_id in workbench_store.assessments(require_block_state=True)})


def learner_states(usage_id: str) -> dict[str, dict]:
    """Every learner's user state of the block, by user id, as ``aggregate_repair.plan_repair`` takes them."""
    # A row that is not a JSON object counts nobody; the report shows fewer learners.
    return {stored.user_id: stored.state for stored in workbench_store.learner_states(usage_id)
            if isinstance(stored.state, dict)}


def rebuild_block(usage_id: str, write: bool) -> dict:
    """Check (and unless ``write`` is false, repair) one assessment; return its report."""
    block = workbench_store.block_for(usage_id)
    try:
        pack = block.load_pack()
    except PackError as error:
        return {"usage_id": usage_id, "skipped": f"the pack cannot be loaded: {error}"}
    items_meta = reports.statistics_items(block.active_items(pack))
    signature = reports.items_signature(pack.id, items_meta)
    repair = aggregate_repair.plan_repair(block.cohort_statistics, learner_states(usage_id), items_meta,
                                          signature, datetime.now(timezone.utc).isoformat())
    stored_summary = (block.cohort_statistics or {}).get("summary") or {}
    report = {"usage_id": usage_id, "learners_stored": stored_summary.get("learners", 0),
              "learners_true": repair.learners, "levels_true": repair.cohort_statistics["summary"]["levels"],
              "drift": repair.drift.as_dict(), "records_renewed": len(repair.counted), "written": False}
    if write and (not repair.drift.exact or repair.counted):
        block.cohort_statistics = repair.cohort_statistics
        block.save()
        for learner, record in repair.counted.items():
            learner_block = workbench_store.block_for(usage_id, learner)
            setattr(learner_block, aggregate_repair.COUNTED_FIELD, record)
            learner_block.save()
        report["written"] = True
    return report


def _line(report: dict) -> str:
    if "skipped" in report:
        return f"{report['usage_id']}: skipped, {report['skipped']}"
    drift = report["drift"]
    state = "exact" if drift["exact"] else (
        f"DRIFT learners {drift['learners']:+d}, levels {drift['levels'] or '{}'}, "
        f"{len(drift['item_responses'])} item counts and {drift['sums_off']} sums off")
    action = "repaired" if report["written"] else ("not written (--check)" if not drift["exact"] else "unchanged")
    return (f"{report['usage_id']}: {report['learners_true']} learners counted, {report['learners_stored']} stored; "
            f"{state}; {action}")


def main(usage_ids: list[str], check: bool = False, as_json: bool = False) -> int:
    """The command: 0 when every block is exact (or was repaired), 1 when ``check`` found drift."""
    try:
        workbench_store.setup_django()
        usage_ids = usage_ids or assessment_usage_ids()
    except workbench_store.WorkbenchStoreError as error:
        raise SystemExit(f"rebuild-stats: {error}") from None
    results = [rebuild_block(usage_id, write=not check) for usage_id in usage_ids]
    if as_json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        for report in results:
            print(_line(report))
        if not results:
            print("no assessment has stored state", file=sys.stderr)
    drifted = any(not r["drift"]["exact"] for r in results if "drift" in r)
    return 1 if check and drifted else 0
