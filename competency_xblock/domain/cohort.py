"""
The cohort pass: every learner's stored state to the summary that :mod:`statistics` reports from.

For each learner who submitted, the attempt that counts for the grade (under the
retake policy, every kept attempt rescored from its answers with today's questions,
key and cut scores) becomes one response of :func:`statistics.summarize`. The result
is exactly what the plain route gives (``scoring.score`` per attempt,
``reports.statistics_response``, ``statistics.summarize``; ``tests/test_cohort.py``
checks it on odd states too), only faster: this loop runs for every learner of a
course, on the platform's workers (``platform/tasks.py``), and should cost little more
than decoding the learners' stored JSON (``benchmarks/report_rows.py`` measures both).
The attempts are rescored by :mod:`attempt_scoring` and added up by :mod:`cohort_tally`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Callable, Iterable

from . import reports, state_layout, statistics
from .attempt_scoring import AttemptScorer
from .cohort_tally import Tally
from .overrides import OverridesError, apply_overrides
from .pack_model import Item, Pack

PROGRESS_EVERY = 2_000  # learners between two progress reports


@dataclass(frozen=True)
class CohortRules:
    """What decides the figures besides the learners' answers: the block's effective settings."""

    pack: Pack
    items: tuple[Item, ...]  # today's questions (the pack's after the Studio overrides)
    cut_scores: tuple[float, float]
    self_assessment_weight: float
    retake_policy: str  # "best" or "latest"
    grading_mode: str  # "score" or "level"

    @classmethod
    def from_settings(cls, pack: Pack, item_overrides, cut_scores: tuple[float, float],
                      self_assessment_weight: float, retake_policy: str, grading_mode: str) -> "CohortRules":
        """The rules of a block with these settings: the pack's questions after ``item_overrides``, as the block asks them."""
        try:
            items = apply_overrides(pack, item_overrides)
        except OverridesError:  # the block then asks the pack's own questions (``active_items``)
            items = pack.items
        return cls(pack, tuple(items), tuple(cut_scores), self_assessment_weight, retake_policy, grading_mode)

    @property
    def min_items(self) -> int:
        return self.pack.scoring.min_items_per_dimension

    def fingerprint(self) -> str:
        """
        A digest of everything the figures depend on besides the learners' states: kept figures
        whose fingerprint differs from today's are stale (the questions, key, cut scores, pack or
        retake policy changed since).
        """
        items = [[item.id, item.type, item.dimension, item.weight, item.reverse,
                  [[option.id, option.points] for option in item.options]] for item in self.items]
        dimensions = [[dimension.id, dimension.weight] for dimension in self.pack.dimensions]
        text = json.dumps([self.pack.id, self.pack.version, items, dimensions, list(self.cut_scores),
                           self.self_assessment_weight, self.min_items, self.retake_policy, self.grading_mode])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def summarize(rules: CohortRules, states: Iterable, progress: Callable[[int], None] | None = None) -> dict:
    """
    The :mod:`statistics` summary of every learner in ``states`` who submitted: objects with
    a ``state`` (a learner's stored field values, as the platform's user state client yields
    them). ``progress(learners read)`` is called every :data:`PROGRESS_EVERY` learners.
    """
    return tally_of(rules, states, progress).summary()


def tally_of(rules: CohortRules, states: Iterable, progress: Callable[[int], None] | None = None) -> Tally:
    """The :class:`Tally` of every learner in ``states`` who submitted (see :func:`summarize`)."""
    scorer, tally = AttemptScorer(rules), Tally(rules.items, rules.pack.dimensions)
    saved_results, score, learner = state_layout.saved_results, scorer.score, scorer.learner
    add, add_growth = tally.add, tally.add_growth
    read = 0
    for user_state in states:  # this loop runs for every learner of a course
        read += 1
        if progress is not None and read % PROGRESS_EVERY == 0:
            progress(read)
        records = saved_results(user_state.state)
        if records:
            if len(records) == 1:
                add(score(records[0].get("answers")))
            else:
                counted, first, latest = learner(records)
                add(counted)
                add_growth(first, latest)
    if progress is not None:
        progress(read)
    return tally


def figures(rules: CohortRules, states: Iterable, progress: Callable[[int], None] | None = None) -> dict:
    """
    The staff view's figures over ``states`` (see :func:`summarize`): ``statistics.report`` on the
    dimension score as learners see it (items weighted by the self-assessment weight in force),
    and under ``loop`` the growth and self-view gaps (``growth.cohort_loop_figures``).
    """
    items_meta = reports.statistics_items(rules.items, rules.self_assessment_weight)
    tally = tally_of(rules, states, progress)
    report = statistics.report(tally.summary(), items_meta, [dimension.id for dimension in rules.pack.dimensions])
    report["loop"] = tally.loop()
    return report
