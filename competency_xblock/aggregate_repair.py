"""
Cohort statistics that drifted under concurrent submissions, rebuilt from the learners' records.

The block keeps its cohort figures in one shared value, ``cohort_statistics``
(``Scope.user_state_summary``; see ``staff.py``). Every submission reads it, adds the
learner's response and writes it back, and no runtime offers an atomic update of an
XBlock field: when two submissions overlap, both read the same old value and the later
write drops the other learner's update (a *lost update*). Two first submissions at once
may even start two epochs, so one learner's record names an epoch that was overwritten.

The authority is each learner's own ``statistics_counted`` (``Scope.user_state``, saved
with their results): the response that learner's last update meant to count. Nobody
else writes it, so it cannot be lost. The true figures are the sum of those records for
today's questions; this module computes that sum, measures how far the stored figures
drifted from it, and says what to write back. Plain data in and out: nothing here knows
of XBlock, Django or the workbench (``workbench_stats`` feeds it from the workbench's
database; an LMS command could feed it from its own store).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from . import statistics

# Field names of the block's state (``staff.CompetencyStaffMixin``).
COHORT_FIELD = "cohort_statistics"
COUNTED_FIELD = "statistics_counted"
SUM_TOLERANCE = 1e-9  # relative: float sums differ in the last bits when added in another order


@dataclass(frozen=True)
class Drift:
    """Stored figures minus true figures. Counts are exact; float sums are compared with a tolerance."""
    learners: int = 0
    levels: Mapping[str, int] = field(default_factory=dict)             # level key -> difference (non-zero only)
    item_responses: Mapping[str, int] = field(default_factory=dict)     # item id -> difference of n
    dimension_responses: Mapping[str, int] = field(default_factory=dict)  # dimension -> difference of complete n
    sums_off: int = 0                                                   # sums outside the tolerance

    @property
    def exact(self) -> bool:
        return not (self.learners or self.levels or self.item_responses or self.dimension_responses
                    or self.sums_off)

    def as_dict(self) -> dict:
        return {"exact": self.exact, "learners": self.learners, "levels": dict(self.levels),
                "item_responses": dict(self.item_responses),
                "dimension_responses": dict(self.dimension_responses), "sums_off": self.sums_off}


@dataclass(frozen=True)
class Repair:
    """What to write back: the rebuilt cohort value, and new records for learners of another epoch."""
    cohort_statistics: dict
    counted: Mapping[str, dict]   # learner -> new statistics_counted (only those that change)
    drift: Drift                  # of the stored figures, before the repair
    learners: int                 # learners counted in the rebuilt figures


def epoch_signature(epoch) -> str | None:
    """The question signature an epoch (``"<signature>@<since>"``) was started for."""
    return epoch.split("@", 1)[0] if isinstance(epoch, str) and "@" in epoch else None


def counted_response(state: Mapping, signature: str) -> dict | None:
    """
    The response a learner's state says is counted for questions ``signature``, or None.

    ``state`` is the learner's whole user state (a dict of field values). The epoch is
    matched by its signature only: a learner whose update started an epoch that a
    concurrent update overwrote still answered today's questions and is counted.
    """
    record = state.get(COUNTED_FIELD) if isinstance(state, Mapping) else None
    if not isinstance(record, Mapping) or not isinstance(record.get("response"), Mapping):
        return None
    return dict(record["response"]) if epoch_signature(record.get("epoch")) == signature else None


def rebuild_summary(responses: Iterable[Mapping], items_meta: Mapping) -> dict:
    """The summary of exactly these responses (see ``statistics.add_response``)."""
    summary = statistics.empty_summary()
    for response in responses:
        summary = statistics.add_response(summary, response, items_meta)
    return summary


def _leaves(node, path=()):
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _leaves(value, path + (str(key),))
    else:
        yield path, node


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def summary_drift(stored: Mapping, true: Mapping) -> Drift:
    """How far the ``stored`` summary is from the ``true`` one (stored minus true)."""
    stored_leaves, true_leaves = dict(_leaves(stored or {})), dict(_leaves(true or {}))
    learners, levels, items, dimensions, sums_off = 0, {}, {}, {}, 0
    for path in sorted(set(stored_leaves) | set(true_leaves)):
        have, want = _number(stored_leaves.get(path)), _number(true_leaves.get(path))
        difference = have - want
        if path == ("learners",):
            learners = int(round(difference))
        elif path[0] == "levels" and len(path) == 2:
            if difference:
                levels[path[1]] = int(round(difference))
        elif path[0] == "items" and path[-1] == "n":
            if difference:
                items[path[1]] = int(round(difference))
        elif path[0] == "dimensions" and len(path) == 3 and path[-1] == "n":
            if difference:
                dimensions[path[1]] = int(round(difference))
        elif path[-1] == "n" and len(path) <= 3:  # overall and dimension_percents counts
            sums_off += bool(difference)
        elif not math.isclose(have, want, rel_tol=SUM_TOLERANCE, abs_tol=SUM_TOLERANCE):
            sums_off += 1
    return Drift(learners, levels, items, dimensions, sums_off)


def plan_repair(stored_cohort, learner_states: Mapping[str, Mapping], items_meta: Mapping, signature: str,
                now: str) -> Repair:
    """
    Rebuild the cohort value from every learner's record, for questions ``signature``.

    ``stored_cohort`` is the block's ``cohort_statistics``; ``learner_states`` maps each
    learner to their user state; ``items_meta`` and ``signature`` describe today's
    questions (``reports.statistics_items`` and ``reports.items_signature``); ``now`` is an
    ISO time, used only when a new epoch must start. The stored epoch is kept when it is
    for today's questions, so learners' records that name it stay valid; every counted
    learner whose record names another epoch gets a new record naming the kept one, so
    that their next retake takes out exactly what was counted.
    """
    stored = dict(stored_cohort) if isinstance(stored_cohort, Mapping) else {}
    current = (stored.get("signature") == signature and epoch_signature(stored.get("epoch")) == signature
               and isinstance(stored.get("summary"), Mapping))
    epoch, since = (stored["epoch"], stored.get("since") or now) if current else (f"{signature}@{now}", now)
    stored_summary = stored["summary"] if current else statistics.empty_summary()
    responses, counted = [], {}
    for learner, state in sorted(learner_states.items()):
        response = counted_response(state, signature)
        if response is None:
            continue
        responses.append(response)
        if state[COUNTED_FIELD].get("epoch") != epoch:
            counted[learner] = {"epoch": epoch, "response": response}
    true = rebuild_summary(responses, items_meta)
    rebuilt = {**stored, "signature": signature, "epoch": epoch, "since": since, "summary": true}
    return Repair(rebuilt, counted, summary_drift(stored_summary, true), len(responses))
