"""
Scoring: from a learner's answers to dimension scores, an overall score and a level.

Pure functions over the pack model; nothing here knows of XBlock. The formulas
(documented in the README's "Scoring" section):

* A situational answer earns its option's points (0..3). A self-rating x on the
  1..5 scale earns x - 1 points, or, reverse-keyed, (min + max - x) - 1.
* Per dimension and item type, S = sum(w * x) / sum(w * max), counted only when the
  dimension has at least ``min_items_per_dimension`` answers.
* A dimension's score mixes the two: (1 - a) * S_situational + a * S_self, where
  ``a`` is the pack's self-assessment weight; a dimension with one kind only uses it.
* The overall score is the dimension-weighted mean of dimension scores, in percent.
* Level 1 below C1, 2 from C1 up to C2, 3 from C2 up: a score at a cut gets the
  higher level. No level is given without situational answers: self-ratings run
  high, so a level never rests on them alone.
* The standard error is that of the mean item score (sample sd / sqrt(n), in
  percent); a result within one standard error of a cut is borderline.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping

from .pack_model import SCALE_MAX, SCALE_MIN, Dimension, Item

# An item counts as lowering the result below this share of its points, and as
# raising it from the upper one.
LOWERED_BELOW = 0.5
RAISED_FROM = 0.75


class AnswerError(ValueError):
    """Answers that cannot be scored; the message is meant for the learner."""


@dataclass(frozen=True)
class ItemScore:
    item_id: str
    dimension: str
    situational: bool
    points: float
    max_points: float
    weight: float

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


@dataclass(frozen=True)
class DimensionScore:
    id: str
    percent: float | None      # None when too few items were answered
    answered: int
    self_rated_only: bool


@dataclass(frozen=True)
class Result:
    overall: float | None
    level: int | None
    borderline: bool
    standard_error: float | None
    dimensions: tuple[DimensionScore, ...]
    item_scores: tuple[ItemScore, ...]

    def dimension(self, dimension_id: str) -> DimensionScore | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)


def clean_answer(item: Item, value) -> str | int:
    """Check one raw answer against its item; return it normalised or raise AnswerError."""
    if item.is_situational:
        if not isinstance(value, str) or item.option(value) is None:
            choices = ", ".join(option.id for option in item.options)
            raise AnswerError(f"Answer to {item.id!r} must be one of the option ids: {choices}.")
        return value
    if isinstance(value, bool) or not isinstance(value, int) or not SCALE_MIN <= value <= SCALE_MAX:
        raise AnswerError(f"Answer to {item.id!r} must be a whole number from {SCALE_MIN} to {SCALE_MAX}.")
    return value


def clean_answers(items: Mapping[str, Item], raw) -> dict[str, str | int]:
    """Check a mapping of item id to answer; unknown ids and bad values raise AnswerError."""
    if not isinstance(raw, dict):
        raise AnswerError("Answers must be an object mapping question ids to answers.")
    unknown = sorted(str(key) for key in raw if key not in items)
    if unknown:
        raise AnswerError(f"Unknown question id(s): {', '.join(unknown[:5])}.")
    return {item_id: clean_answer(items[item_id], value) for item_id, value in raw.items()}


def item_points(item: Item, answer: str | int) -> float:
    """Points earned by a checked answer, after reverse keying."""
    if item.is_situational:
        return float(item.option(answer).points)
    value = SCALE_MIN + SCALE_MAX - answer if item.reverse else answer
    return float(value - SCALE_MIN)


def level_for(percent: float, cut_scores: tuple[float, float]) -> int:
    """Level 1, 2 or 3 for a score in percent; a score at a cut gets the higher level."""
    low, high = cut_scores
    if percent >= high:
        return 3
    if percent >= low:
        return 2
    return 1


def _ratio(scores: list[ItemScore]) -> float | None:
    possible = sum(score.weight * score.max_points for score in scores)
    return sum(score.weight * score.points for score in scores) / possible if possible else None


def _dimension_score(dimension: Dimension, scores: list[ItemScore], self_weight: float,
                     min_items: int) -> DimensionScore:
    if len(scores) < min_items:
        return DimensionScore(dimension.id, None, len(scores), False)
    situational = _ratio([s for s in scores if s.situational])
    self_rated = _ratio([s for s in scores if not s.situational])
    if situational is None:
        share = self_rated
    elif self_rated is None:
        share = situational
    else:
        share = (1 - self_weight) * situational + self_weight * self_rated
    return DimensionScore(dimension.id, 100 * share, len(scores), situational is None)


def _standard_error(scores: list[ItemScore]) -> float | None:
    if len(scores) < 2:
        return None
    fractions = [score.fraction for score in scores]
    mean = sum(fractions) / len(fractions)
    variance = sum((f - mean) ** 2 for f in fractions) / (len(fractions) - 1)
    return 100 * math.sqrt(variance / len(fractions))


def score(items: Iterable[Item], dimensions: Iterable[Dimension], answers: Mapping[str, str | int],
          cut_scores: tuple[float, float], self_assessment_weight: float,
          min_items_per_dimension: int) -> Result:
    """Score checked ``answers`` (see :func:`clean_answers`) over the given items."""
    dimensions = tuple(dimensions)
    scored = [
        ItemScore(item.id, item.dimension, item.is_situational, item_points(item, answers[item.id]),
                  item.max_points, item.weight)
        for item in items if item.id in answers
    ]
    dimension_scores = tuple(
        _dimension_score(dimension, [s for s in scored if s.dimension == dimension.id],
                         self_assessment_weight, min_items_per_dimension)
        for dimension in dimensions
    )
    weights = {dimension.id: dimension.weight for dimension in dimensions}
    counted = [d for d in dimension_scores if d.percent is not None]
    overall = level = None
    if counted:
        total_weight = sum(weights[d.id] for d in counted)
        overall = sum(weights[d.id] * d.percent for d in counted) / total_weight
        if any(s.situational for s in scored):
            level = level_for(overall, cut_scores)
    error = _standard_error(scored)
    borderline = bool(level and error is not None and any(abs(overall - cut) <= error for cut in cut_scores))
    return Result(overall, level, borderline, error, dimension_scores, tuple(scored))


def lowered_and_raised(result: Result, limit: int = 5) -> tuple[list[ItemScore], list[ItemScore]]:
    """The items that most lowered the result, and those that most raised it."""
    by_loss = sorted(result.item_scores, key=lambda s: (s.fraction, -s.weight, s.item_id))
    lowered = [s for s in by_loss if s.fraction < LOWERED_BELOW][:limit]
    raised = [s for s in reversed(by_loss) if s.fraction >= RAISED_FROM][:limit]
    return lowered, raised


def weakest_dimensions(result: Result, count: int = 2) -> list[DimensionScore]:
    """The ``count`` lowest-scoring dimensions that have a score."""
    scored = [d for d in result.dimensions if d.percent is not None]
    return sorted(scored, key=lambda d: (d.percent, d.id))[:count]
