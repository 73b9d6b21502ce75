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
database than the default SQLite file, ``WORKBENCH_DATABASES``.
"""
from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone

from . import aggregate_repair, reports
from .pack_loader import PackError

BLOCK_TYPE = "competency_assessment"


def _setup_django() -> None:
    """Set up Django with the workbench settings (``workbench_demo.settings`` unless told otherwise)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench_demo.settings")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # the settings module lives in the project folder
    import django  # pylint: disable=import-outside-toplevel
    try:
        django.setup()
    except ImportError as error:
        raise SystemExit(f"rebuild-stats: cannot load the Django settings {os.environ['DJANGO_SETTINGS_MODULE']!r} "
                         f"({error}); run it from the project folder or set DJANGO_SETTINGS_MODULE") from None


def _block(usage_id: str, user_id: str | None):
    """The assessment ``usage_id`` as ``user_id`` sees it (None: no learner, for the shared fields)."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    from xblock.fields import ScopeIds  # pylint: disable=import-outside-toplevel
    runtime = WorkbenchRuntime(user_id)
    # Built from its stored fields, without loading the scenarios (which may reset state).
    definition_id = usage_id.rsplit(".u", 1)[0]
    return runtime.construct_xblock_from_class(runtime.load_block_type(BLOCK_TYPE),
                                               ScopeIds(user_id, BLOCK_TYPE, definition_id, usage_id))


def assessment_usage_ids() -> list[str]:
    """Usage ids of every assessment with stored block state."""
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    rows = XBlockState.objects.filter(scope="usage", tag=BLOCK_TYPE, user_id__isnull=True)
    return sorted(set(rows.values_list("scope_id", flat=True)))


def learner_states(usage_id: str) -> dict[str, dict]:
    """Every learner's user state of the block, as stored (one JSON row per learner and block)."""
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    states = {}
    for user_id, text in (XBlockState.objects.filter(scope="usage", scope_id=usage_id, user_id__isnull=False)
                          .order_by("id").values_list("user_id", "state")):
        try:
            state = json.loads(text)
        except ValueError:
            continue  # an unreadable row counts nobody; the report shows fewer learners
        if isinstance(state, dict):
            states[user_id] = state
    return states


def rebuild_block(usage_id: str, write: bool) -> dict:
    """Check (and unless ``write`` is false, repair) one assessment; return its report."""
    block = _block(usage_id, None)
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
            learner_block = _block(usage_id, learner)
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
    _setup_django()
    results = [rebuild_block(usage_id, write=not check) for usage_id in (usage_ids or assessment_usage_ids())]
    if as_json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        for report in results:
            print(_line(report))
        if not results:
            print("no assessment has stored state", file=sys.stderr)
    drifted = any(not r["drift"]["exact"] for r in results if "drift" in r)
    return 1 if check and drifted else 0
