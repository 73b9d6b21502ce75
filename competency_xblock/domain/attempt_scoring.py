"""
Stored attempts rescored fast, for the cohort pass (:mod:`cohort`), to the same bit as ``scoring.score``.

:class:`AttemptScorer` scores the usual attempt (every question answered, each answer a
valid value of the right type) from tables made once per pass: per dimension, its percent
for every combination of answers (or, for long dimensions, sum(w * x) per kind of
question), worked out with the same float operations in the same order as
``scoring.score``, so the figures agree to the last bit. Anything else takes the plain
route (``scoring.score`` itself). Each attempt's self-view gaps come from the same parts
as the dimension's percent (``self_view.gaps``' arithmetic).
"""
from __future__ import annotations

import operator
from itertools import product
from typing import TYPE_CHECKING, Mapping, NamedTuple, Sequence

from . import reports, scoring, self_view, state_layout
from .pack_model import SCALE_MAX, SCALE_MIN, Dimension, Item

if TYPE_CHECKING:
    from .cohort import CohortRules

DIMENSION_TABLE_LIMIT = 20_000  # answer combinations of a dimension's questions worked out in advance
PART_TABLE_LIMIT = 4_096  # answer combinations of a dimension's questions of one kind worked out in advance


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


def tuple_getter(indices: list[int]):
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
        self.ratings_of = tuple_getter(ratings) if ratings else (lambda values: ())
        self.rating_types = [int] * len(ratings)
        self.tables = item_point_tables(items)
        self.any_situational = any(item.is_situational for item in items)
        self.groups = [self._group(dimension, items, rules) for dimension in dimensions]
        self.counted_weights = [dimension.weight for dimension, group in zip(dimensions, self.groups) if group[0]]
        self.total_weight = sum(self.counted_weights)
        dimension_items = [[index for index, item in enumerate(items) if item.dimension == dimension.id]
                           for dimension in dimensions]
        self.dimension_getters = [tuple_getter(indices) for indices in dimension_items if indices]
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
        return tuple_getter(indices), table, possible, (indices, weights)

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

    def _ratio(self, part, values) -> float | None:
        """``scoring._ratio`` of a part: sum(w * x) / sum(w * max) over its items, in order; None if an answer is invalid."""
        getter, table, possible, _items = part
        numerator = table.get(getter(values)) if table is not None else self._numerator(part, values)
        return None if numerator is None else numerator / possible

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
            s = self._ratio(situational, values) if situational else None
            r = self._ratio(self_rated, values) if self_rated else None
            if (situational and s is None) or (self_rated and r is None):
                return None
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
