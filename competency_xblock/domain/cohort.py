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

How:

* :class:`AttemptScorer` scores the usual attempt (every question answered, each
  answer a valid value of the right type) from tables made once per pass: per
  dimension, its percent for every combination of answers (or, for long dimensions,
  sum(w * x) per kind of question), worked out with the same float operations in the
  same order as ``scoring.score``, so the figures agree to the last bit. Anything else
  takes the plain route.
* The loop figures (``growth.cohort_loop_figures``: growth between a learner's first and
  latest attempt, the mean self-view gap of the counted attempt) come from the same scored
  attempts: each gap from the same parts as the dimension's percent (``self_view.gaps``'
  arithmetic), added up learner by learner in the plain route's order; the changes of
  learners with two or more attempts are kept (8 bytes per dimension each) and handed to
  ``growth.mean_with_interval`` itself, which needs them all for its standard deviation.
* :class:`Tally` counts, per dimension, how many learners gave each tuple of answers
  (or, on the plain route, of item points), instead of adding pairwise products
  learner by learner. Points are whole numbers, so the sums, squares and cross
  products built from the counts at the end equal the learner-by-learner ones
  exactly. A dimension's counts are folded into running sums whenever they grow
  large (long dimensions), so memory stays flat.
"""
from __future__ import annotations

import hashlib
import json
import operator
from array import array
from dataclasses import dataclass
from itertools import combinations, product
from typing import Callable, Iterable, Mapping, NamedTuple, Sequence

from . import growth, reports, scoring, self_view, state_layout, statistics
from .overrides import OverridesError, apply_overrides
from .pack_model import SCALE_MAX, SCALE_MIN, Dimension, Item, Pack

DIMENSION_TABLE_LIMIT = 20_000  # answer combinations of a dimension's questions worked out in advance
PART_TABLE_LIMIT = 4_096  # answer combinations of a dimension's questions of one kind worked out in advance
MAX_PATTERNS = 50_000  # distinct point tuples a dimension's table holds before it is folded into sums
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


class Scored(NamedTuple):
    """One rescored attempt, as much of it as the figures need."""

    level: int | None
    overall: float | None
    percents: list  # dimension percents (None where not scored), in the pack's dimension order
    answers: tuple | None  # every answer, in question order, when all are valid (the usual attempt)
    points: tuple | None  # else the item points in question order, None where unanswered or invalid
    gaps: list  # self-view gaps (``self_view.gaps``; None without both kinds), in the pack's dimension order


def item_point_tables(items: Sequence[Item]) -> list[dict]:
    """Per question, the points of every valid answer (option ids, or the scale's values), as ``scoring.item_points``."""
    return [{option.id: float(option.points) for option in item.options} if item.is_situational
            else {value: scoring.item_points(item, value) for value in range(SCALE_MIN, SCALE_MAX + 1)}
            for item in items]


def _tuple_getter(indices: list[int]):
    """``operator.itemgetter`` of ``indices`` that gives a tuple even for one index."""
    if len(indices) == 1:
        index = indices[0]
        return lambda values: (values[index],)
    return operator.itemgetter(*indices)


class AttemptScorer:
    """Rescore stored attempts with today's questions, key and cut scores (see the module's docstring)."""

    def __init__(self, rules: CohortRules):
        self.rules = rules
        items, dimensions = rules.items, rules.pack.dimensions
        self.items = items
        self.items_by_id = {item.id: item for item in items}
        self.answers_of = operator.itemgetter(*[item.id for item in items]) if len(items) > 1 else None
        # A stored True or 3.0 equals a scale value (True == 1) but is no valid answer: ratings are checked
        # to be ints. Any other wrong value finds no entry in the tables (option ids are strings).
        ratings = [index for index, item in enumerate(items) if not item.is_situational]
        self.ratings_of = _tuple_getter(ratings) if ratings else (lambda values: ())
        self.rating_types = [int] * len(ratings)
        self.tables = item_point_tables(items)
        self.any_situational = any(item.is_situational for item in items)
        self.groups = [self._group(dimension, items, rules) for dimension in dimensions]
        self.counted_weights = [dimension.weight for dimension, group in zip(dimensions, self.groups) if group[0]]
        self.total_weight = sum(self.counted_weights)
        dimension_items = [[index for index, item in enumerate(items) if item.dimension == dimension.id]
                           for dimension in dimensions]
        self.dimension_getters = [_tuple_getter(indices) for indices in dimension_items if indices]
        self.gap_tables = None
        self.dimension_tables = self._dimension_tables(dimension_items)

    def _dimension_tables(self, dimension_items: list[list[int]]) -> list[dict] | None:
        """
        Per dimension, its percent for every combination of valid answers to its questions, worked
        out as :meth:`_score_complete` does (so to the same bit): one lookup per dimension instead of
        two and the arithmetic. Only when every dimension is scored and has few combinations
        (:data:`DIMENSION_TABLE_LIMIT`); None otherwise.
        """
        sizes = [1] * len(dimension_items)
        for number, indices in enumerate(dimension_items):
            for index in indices:
                sizes[number] *= len(self.tables[index])
        if not all(group[0] for group in self.groups) or not all(dimension_items) or \
                max(sizes, default=0) > DIMENSION_TABLE_LIMIT:
            return None
        weight = self.rules.self_assessment_weight
        tables, gap_tables = [], []
        for indices, (_scored, situational, self_rated) in zip(dimension_items, self.groups):
            table, gap_table = {}, ({} if situational and self_rated else None)
            places = {index: place for place, index in enumerate(indices)}
            for answers in product(*[list(self.tables[index]) for index in indices]):
                s = r = None
                if situational:
                    s = situational[1][tuple(answers[places[i]] for i in situational[3][0])] / situational[2] \
                        if situational[1] is not None else None
                if self_rated:
                    r = self_rated[1][tuple(answers[places[i]] for i in self_rated[3][0])] / self_rated[2] \
                        if self_rated[1] is not None else None
                if (situational and s is None) or (self_rated and r is None):
                    return None  # a part without a table: no dimension tables either
                share = r if s is None else s if r is None else (1 - weight) * s + weight * r
                table[answers] = None if share is None else 100 * share
                if gap_table is not None:
                    gap_table[answers] = 100 * (r - s)  # self_view.gaps: own / own max - situational / its max
            tables.append(table)
            gap_tables.append(gap_table)
        self.gap_tables = gap_tables
        return tables

    def _group(self, dimension: Dimension, items: Sequence[Item], rules: CohortRules):
        """(scored when all answered?, situational part, self-rated part): see :meth:`_part`."""
        indices = [index for index, item in enumerate(items) if item.dimension == dimension.id]
        return (len(indices) >= rules.min_items and len(indices) > 0,
                self._part(items, [index for index in indices if items[index].is_situational]),
                self._part(items, [index for index in indices if not items[index].is_situational]))

    def _part(self, items: Sequence[Item], indices: list[int]):
        """
        The items of one kind in a dimension, as (getter of their answers, table, sum(w * max), weights),
        or None when there is nothing to earn. The table gives sum(w * x) for every combination of
        valid answers, worked out as ``scoring._ratio`` does (so to the same bit); a part with too
        many combinations has none, and adds up its points per attempt.
        """
        possible = sum(items[index].weight * items[index].max_points for index in indices)
        if not possible:
            return None
        weights = [items[index].weight for index in indices]
        combinations_ = 1
        for index in indices:
            combinations_ *= len(self.tables[index])
        table = None
        if combinations_ <= PART_TABLE_LIMIT:
            table = {answers: sum(weight * self.tables[index][answer]
                                  for weight, index, answer in zip(weights, indices, answers))
                     for answers in product(*[list(self.tables[index]) for index in indices])}
        return _tuple_getter(indices), table, possible, (indices, weights)

    def score(self, answers) -> Scored:
        """The attempt with ``answers`` (as stored) rescored."""
        if answers.__class__ is dict and self.answers_of is not None:
            try:
                values = self.answers_of(answers)
            except KeyError:  # a question not answered: the plain route
                values = None
            if values is not None and list(map(type, self.ratings_of(values))) == self.rating_types:
                try:
                    scored = self._score_complete(values)
                except TypeError:  # an unhashable value ([1], {}) where an option id belongs
                    scored = None
                if scored is not None:
                    return scored
        return self._score_plainly(answers if isinstance(answers, dict) else {})

    def _numerator(self, part, values) -> float | None:
        """sum(w * x) of a part without a table, added up; None when an answer is no valid one."""
        _getter, _table, _possible, (indices, weights) = part
        points = [self.tables[index].get(values[index]) for index in indices]
        return None if None in points else sum(weight * point for weight, point in zip(weights, points))

    def _score_complete(self, values: tuple) -> Scored | None:
        """Every question answered (with values of the right types): ``scoring.score``'s arithmetic; None if one is invalid."""
        if self.dimension_tables is not None:  # the usual pack: a percent per dimension from its table
            keys = [getter(values) for getter in self.dimension_getters]
            percents = [table.get(key) for key, table in zip(keys, self.dimension_tables)]
            if None in percents:  # an answer no option or scale value has
                return None
            gaps = [None if table is None else table[key] for key, table in zip(keys, self.gap_tables)]
            overall = sum(map(operator.mul, self.counted_weights, percents)) / self.total_weight
            level = scoring.level_for(overall, self.rules.cut_scores) if self.any_situational else None
            return Scored(level, overall, percents, values, None, gaps)
        weight = self.rules.self_assessment_weight
        percents, gaps = [], []
        for scored, situational, self_rated in self.groups:
            # scoring._ratio: sum(w * x) / sum(w * max), over the dimension's items of one kind, in order
            s = r = None
            if situational:
                getter, table, possible, _items = situational
                s = table.get(getter(values)) if table is not None else self._numerator(situational, values)
                if s is None:
                    return None
                s /= possible
            if self_rated:
                getter, table, possible, _items = self_rated
                r = table.get(getter(values)) if table is not None else self._numerator(self_rated, values)
                if r is None:
                    return None
                r /= possible
            share = r if s is None else s if r is None else (1 - weight) * s + weight * r
            percents.append(None if share is None or not scored else 100 * share)
            gaps.append(100 * (r - s) if s is not None and r is not None else None)  # as self_view.gaps
        counted = [percent for percent in percents if percent is not None]
        overall = level = None
        if counted:
            if len(counted) == len(self.counted_weights):
                overall = sum(map(operator.mul, self.counted_weights, counted)) / self.total_weight
            else:  # a dimension with nothing to earn: weigh only those scored
                weights = [d.weight for d, p in zip(self.rules.pack.dimensions, percents) if p is not None]
                overall = sum(map(operator.mul, weights, counted)) / sum(weights)
            if self.any_situational:
                level = scoring.level_for(overall, self.rules.cut_scores)
        return Scored(level, overall, percents, values, None, gaps)

    def _score_plainly(self, answers: Mapping) -> Scored:
        """Missing, extra or odd answers: the block's own route (valid answers only, ``scoring.score``)."""
        valid = {}
        for key, value in answers.items():
            item = self.items_by_id.get(key)
            if item is not None:
                try:
                    valid[key] = scoring.clean_answer(item, value)
                except scoring.AnswerError:
                    continue
        rules = self.rules
        result = scoring.score(self.items, rules.pack.dimensions, valid, rules.cut_scores,
                               rules.self_assessment_weight, rules.min_items)
        response = reports.statistics_response(self.items, {"answers": valid})
        points = tuple(response["items"].get(item.id) for item in self.items)
        gaps = self_view.gaps(result)
        return Scored(result.level, result.overall, [d.percent for d in result.dimensions], None, points,
                      [gaps.get(dimension.id) for dimension in rules.pack.dimensions])

    def counted(self, records: list) -> Scored:
        """The counted attempt of a learner's kept ``records`` (not empty), rescored."""
        return self.learner(records)[0]

    def learner(self, records: list) -> tuple[Scored, Scored | None, Scored | None]:
        """
        A learner's kept ``records`` (not empty) rescored: the counted attempt, and for two or more
        attempts the first and the latest (growth); Nones for one attempt.
        """
        if len(records) == 1:
            return self.score(records[0].get("answers")), None, None
        if self.rules.retake_policy == "latest":
            latest = self.score(records[-1].get("answers"))
            return latest, self.score(records[0].get("answers")), latest
        by_level = self.rules.grading_mode == "level"
        best = best_key = first = scored = None
        for record in records:
            scored = self.score(record.get("answers"))
            if first is None:
                first = scored
            key = state_layout.stored_number(scored.level) if by_level else round(state_layout.stored_number(scored.overall), 2)
            if best is None or key > best_key:  # the first of equals, as max() picks
                best, best_key = scored, key
        return best, first, scored


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
        self.dimensions = [(dimension, indices, _tuple_getter(indices)) for dimension, indices in dimensions_.items()]
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
