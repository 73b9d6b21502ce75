"""
The layout of a learner's saved state, and how older layouts are brought up to date.

Learner state lives for years in the LMS, longer than any one release of the
block, so it carries a version (``state_version``) and is upgraded when read.
Each step takes the state of one version to the next and is a pure function of
plain data.

Version 1 is the layout before the version was recorded (a missing
``state_version`` reads as 1): self-ratings might be stored as strings ("4"),
and result records lacked ``borderline`` and ``pack_version``.
Version 2 (current): self-ratings are integers; every result record has
``submitted_at``, ``answers``, ``pack_version``, ``overall``, ``level``,
``borderline`` and ``dimensions``.
"""
from __future__ import annotations

CURRENT_VERSION = 2


def _rating(value):
    """A self-rating stored as a digit string becomes an integer; anything else is kept as is."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _v1_to_v2(state: dict) -> dict:
    answers = {item_id: _rating(value) for item_id, value in state.get("answers", {}).items()}
    results = []
    for record in state.get("results", []):
        record = dict(record)
        record["answers"] = {item_id: _rating(v) for item_id, v in record.get("answers", {}).items()}
        record.setdefault("borderline", False)
        record.setdefault("pack_version", None)
        record.setdefault("dimensions", {})
        record.setdefault("submitted_at", None)
        results.append(record)
    return {"answers": answers, "results": results}


STEPS = {1: _v1_to_v2}


def upgrade(version: int | None, state: dict) -> tuple[int, dict]:
    """Bring ``state`` ({"answers", "results"}) from ``version`` to :data:`CURRENT_VERSION`."""
    version = version or 1
    if version > CURRENT_VERSION:
        raise ValueError(f"saved state has version {version}, newer than this block ({CURRENT_VERSION})")
    while version < CURRENT_VERSION:
        state = STEPS[version](state)
        version += 1
    return version, state


def saved_results(state) -> list[dict]:
    """
    The kept attempts in a learner's stored state (a dict of field values), in the current layout.

    Read defensively, as reports and cohort figures must not stop at one odd record: a
    state that is not a dict, or results that are not a list, give no attempts; records
    that are not dicts are skipped; a layout newer than this code, or a record an upgrade
    step cannot read, is returned as stored.
    """
    if not isinstance(state, dict) or not isinstance(state.get("results"), list):
        return []
    records = [record for record in state["results"] if isinstance(record, dict)]
    if not records or state.get("state_version") == CURRENT_VERSION:
        return records
    try:
        return upgrade(state.get("state_version"), {"results": records})[1]["results"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return records


def stored_number(value) -> float:
    """A stored level or overall score as the grade reads it: anything but a number counts as 0."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0
