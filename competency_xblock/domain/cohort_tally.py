"""
The running sums of the cohort pass (:mod:`cohort`): what :func:`statistics.summarize` adds up, kept as counts.

:class:`Tally` counts, per dimension, how many learners gave each tuple of answers (or, on
the plain route, of item points), instead of adding pairwise products learner by learner.
Points are whole numbers, so the sums, squares and cross products built from the counts at
the end equal the learner-by-learner ones exactly. A dimension's counts are folded into
running sums whenever they grow large (long dimensions), so memory stays flat. The loop
figures (``growth.cohort_loop_figures``) are added up beside them: the mean self-view gap of
the counted attempt, learner by learner in the plain route's order, and the changes of
learners with two or more attempts, kept (8 bytes per dimension each) for
``growth.mean_with_interval``, which needs them all for its standard deviation.
"""
from __future__ import annotations

import operator
from array import array
from itertools import combinations
from typing import Sequence

from . import growth, statistics
from .attempt_scoring import Scored, item_point_tables, tuple_getter
from .pack_model import Dimension, Item

MAX_PATTERNS = 50_000  # distinct point tuples a dimension's table holds before it is folded into sums


class Tally:
    """
    The running sums of :func:`statistics.summarize`, kept as counts per dimension: of answer
    tuples (usual attempts) and of point tuples (the others' complete dimensions).
    """

    def __init__(self, items: Sequence[Item], dimensions: Sequence[Dimension]):
        self.dimension_ids = [str(dimension.id) for dimension in dimensions]
        self.item_ids = [item.id for item in items]
        self.tables = item_point_tables(items)
        self.learners = 0
        self.levels: dict = {}  # level (an int, or None) -> learners
        self.overall_n, self.overall_sum = 0, 0
        self.percent_n = [0] * len(self.dimension_ids)  # per dimension: learners with a percent, and their sum
        self.percent_sum = [0] * len(self.dimension_ids)
        self.all_percents = 0  # learners with a percent in every dimension, not yet in percent_n
        # Self-view gaps as self_view.cohort_mean_gaps adds them (from 0.0, learner by learner): per dimension
        # their sum and the learners with one, besides those with a gap in every dimension (all_gaps)
        self.gap_sum, self.gap_n, self.all_gaps = [0.0] * len(self.dimension_ids), [0] * len(self.dimension_ids), 0
        # Growth: per dimension, the changes (latest minus first) of learners with two or more attempts,
        # in learner order, as growth.cohort_growth collects them; 8 bytes each
        self.changes = [array("d") for _ in self.dimension_ids]
        self.item_n = [0] * len(items)
        self.item_sum = [0.0] * len(items)
        dimensions_: dict[str, list[int]] = {}
        for index, item in enumerate(items):
            if item.dimension is not None:
                dimensions_.setdefault(str(item.dimension), []).append(index)
        self.dimensions = [(dimension, indices, tuple_getter(indices)) for dimension, indices in dimensions_.items()]
        self.getters = [getter for _dimension, _indices, getter in self.dimensions]
        self.loose = [index for index, item in enumerate(items) if item.dimension is None]
        self.answer_patterns: list[dict] = [{} for _ in self.dimensions]  # answer tuple -> learners
        self.point_patterns: list[dict] = [{} for _ in self.dimensions]  # point tuple -> learners
        self.folded: list[dict | None] = [None] * len(self.dimensions)

    def add_growth(self, first: Scored, latest: Scored) -> None:
        """The changes of a learner with two or more attempts (``growth.learner_changes``: None where either has no score)."""
        for changes, before, now in zip(self.changes, first.percents, latest.percents):
            if before is not None and now is not None:
                changes.append(now - before)

    def loop(self) -> dict:
        """The loop figures ``growth.cohort_loop_figures`` gives for the same learners."""
        gaps = {dimension: {"mean": total / (n + self.all_gaps) if n + self.all_gaps else None, "n": n + self.all_gaps}
                for dimension, total, n in zip(self.dimension_ids, self.gap_sum, self.gap_n)}
        return {"growth": {dimension: growth.mean_with_interval(list(changes))
                           for dimension, changes in zip(self.dimension_ids, self.changes)},
                "self_gaps": gaps}

    def add(self, scored: Scored) -> None:
        """Count one learner's counted attempt (``statistics._add_into``, kept as counts)."""
        self.learners += 1
        level = scored.level
        self.levels[level] = self.levels.get(level, 0) + 1
        overall = scored.overall
        if overall.__class__ is float or statistics._num(overall) is not None:  # pylint: disable=protected-access
            self.overall_n += 1
            self.overall_sum = self.overall_sum + overall
        percents = scored.percents
        if None not in percents:  # the usual case: a percent in every dimension
            self.percent_sum = list(map(operator.add, self.percent_sum, percents))
            self.all_percents += 1
        else:
            for number, value in enumerate(percents):
                if value is not None:
                    self.percent_n[number] += 1
                    self.percent_sum[number] = self.percent_sum[number] + value
        gaps = scored.gaps
        if None not in gaps:  # every dimension has both kinds of question answered
            self.gap_sum = list(map(operator.add, self.gap_sum, gaps))
            self.all_gaps += 1
        else:
            for number, gap in enumerate(gaps):
                if gap is not None:
                    self.gap_n[number] += 1
                    self.gap_sum[number] += gap
        answers = scored.answers
        if answers is not None:  # every question answered validly: each dimension's answers are counted
            for getter, table in zip(self.getters, self.answer_patterns):
                pattern = getter(answers)
                table[pattern] = table.get(pattern, 0) + 1
        else:
            self._add_points(scored.points)
        if not self.learners % 1024:
            for number, (answer_table, point_table) in enumerate(zip(self.answer_patterns, self.point_patterns)):
                if len(answer_table) + len(point_table) > MAX_PATTERNS:
                    self._fold(number)

    def _add_points(self, points) -> None:
        """An attempt with questions unanswered: complete dimensions as point tuples, the rest item by item."""
        for index in self.loose:  # questions of no dimension (none in today's packs) count on their own
            if points[index] is not None:
                self.item_n[index] += 1
                self.item_sum[index] += points[index]
        for (_dimension, indices, getter), table in zip(self.dimensions, self.point_patterns):
            pattern = getter(points)
            if None in pattern:  # not complete for this dimension: its answered items count on their own
                for index, value in zip(indices, pattern):
                    if value is not None:
                        self.item_n[index] += 1
                        self.item_sum[index] += value
            else:
                table[pattern] = table.get(pattern, 0) + 1

    def _fold(self, number: int) -> None:
        """Add a dimension's tables of answer and point tuples into its running sums, and empty them."""
        _dimension, indices, _getter = self.dimensions[number]
        block = self.folded[number]
        if block is None:
            block = self.folded[number] = {"n": 0, "sum": [0.0] * len(indices), "sumsq": [0.0] * len(indices),
                                           "cross": [0.0] * (len(indices) * (len(indices) - 1) // 2)}
        tables = [self.tables[index] for index in indices]
        patterns = dict(self.point_patterns[number])
        for answers, count in self.answer_patterns[number].items():
            points = tuple(table[answer] for table, answer in zip(tables, answers))
            patterns[points] = patterns.get(points, 0) + count
        pairs = list(combinations(range(len(indices)), 2))
        for pattern, count in patterns.items():
            block["n"] += count
            for position, value in enumerate(pattern):
                block["sum"][position] += count * value
                block["sumsq"][position] += count * value * value
            for position, (a, b) in enumerate(pairs):
                block["cross"][position] += count * pattern[a] * pattern[b]
            for position, index in enumerate(indices):
                self.item_n[index] += count
                self.item_sum[index] += count * pattern[position]
        self.answer_patterns[number], self.point_patterns[number] = {}, {}

    def summary(self) -> dict:
        """The summary :func:`statistics.summarize` gives for the same responses (same keys, equal sums)."""
        for number in range(len(self.dimensions)):
            self._fold(number)
        summary = statistics.empty_summary()
        summary["learners"] = self.learners
        for level, count in self.levels.items():
            key = "none" if level is None else str(level)
            summary["levels"][key] = summary["levels"].get(key, 0) + count
        if self.overall_n:
            summary["overall"] = {"n": self.overall_n, "sum": self.overall_sum}
        summary["dimension_percents"] = {dimension: {"n": n + self.all_percents, "sum": total}
                                         for dimension, n, total in zip(self.dimension_ids, self.percent_n,
                                                                        self.percent_sum) if n + self.all_percents}
        summary["items"] = {item_id: {"n": n, "sum": total}
                            for item_id, n, total in zip(self.item_ids, self.item_n, self.item_sum) if n}
        for (dimension, indices, _getter), block in zip(self.dimensions, self.folded):
            if not block or not block["n"]:
                continue
            ids = [self.item_ids[index] for index in indices]
            summary["dimensions"][dimension] = {
                "n": block["n"],
                "sum": dict(zip(ids, block["sum"])),
                "sumsq": dict(zip(ids, block["sumsq"])),
                "cross": {statistics._pair(a, b): value  # pylint: disable=protected-access
                          for (a, b), value in zip(combinations(ids, 2), block["cross"])},
            }
        return summary
