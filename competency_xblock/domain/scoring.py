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
  higher level. A score within 10^-LEVEL_DECIMALS of a cut counts as on it, which
  removes float noise (a score that is 50 in exact arithmetic may add up to
  49.99999999999999) and nothing else: distinct exact scores lie much further apart.
  The learner is shown the score cut down (never rounded up) to one decimal, so the
  figure shown never reaches a cut the score has not. No level is given without
  situational answers: self-ratings run high, so a level never rests on them alone.
* The overall score is a weighted mean of the answered items' fractions f_i (points
  over maximum) with shares v_i summing to 1 (:func:`item_shares`). Its standard
  error is 100 * s_v * sqrt(sum v_i^2), where s_v^2 is the v-weighted variance of the
  f_i around the score (with the unbiased correction 1 / (1 - sum v_i^2)); with equal
  shares that is the familiar sd / sqrt(n). A result within BORDERLINE_Z standard
  errors of a cut is borderline.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Iterable, Mapping

from .pack_model import SCALE_MAX, SCALE_MIN, Dimension, Item

# An item counts as lowering the result below this share of its points, and as
# raising it from the upper one.
LOWERED_BELOW = 0.5
RAISED_FROM = 0.75
# Scores closer to a cut than 10^-LEVEL_DECIMALS are on it (float noise; see above).
LEVEL_DECIMALS = 9
CUT_TOLERANCE = 10 ** -LEVEL_DECIMALS
# A result this many standard errors or closer to a cut is borderline; checked by the
# simulation in tests/test_borderline_simulation.py (README "Scoring").
BORDERLINE_Z = 1.0


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
    # A score within float noise of C2 reaches it, unless it is exactly C1 of two cuts closer than the noise.
    # (The tolerance is written out here: the cohort figures call this for every attempt of a course.)
    if percent >= high or (abs(percent - high) <= CUT_TOLERANCE and percent > low):
        return 3
    if percent >= low or abs(percent - low) <= CUT_TOLERANCE:
        return 2
    return 1


def shown_score(percent: float, decimals: int = 1) -> Decimal:
    """
    ``percent`` as it is shown beside a level: float noise removed, then cut down (never
    rounded up) to ``decimals``, so a shown score never reaches a cut its level did not.
    """
    if not math.isfinite(percent):
        return Decimal(percent)  # nothing to cut down (a stored score no scorer made)
    return Decimal(repr(round(percent, LEVEL_DECIMALS))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_FLOOR)


def shown_percent(percent: float | None) -> str:
    """The score as the learner sees it: cut down to one decimal, "64.1", or "50" when whole."""
    if percent is None:
        return ""
    return f"{shown_score(percent):f}".removesuffix(".0")


def item_shares(scored, dimensions, self_weight, min_items: int, number=float) -> dict[str, float]:
    """The share v_i of the overall score each answered item's fraction carries.

    ``scored`` are objects with ``item_id``, ``dimension``, ``situational``, ``weight``
    and ``max_points`` (ItemScore or Item-like). The overall score is 100 * sum v_i * f_i,
    the shares sum to 1 (or the dict is empty when no dimension is scored). ``number``
    converts the pack's figures: ``float``, or an exact conversion for ``chance``.
    """
    by_dimension: dict[str, list] = {}
    for entry in scored:
        by_dimension.setdefault(entry.dimension, []).append(entry)
    counted = [d for d in dimensions if len(by_dimension.get(d.id, ())) >= min_items]
    total_weight = sum(number(d.weight) for d in counted)
    a = number(self_weight)
    shares = {}
    for dimension in counted:
        entries = by_dimension[dimension.id]
        kinds = [[e for e in entries if e.situational], [e for e in entries if not e.situational]]
        kind_share = (1 - a, a) if all(kinds) else (1, 1)
        for kind, share in zip(kinds, kind_share):
            possible = sum(number(e.weight) * number(e.max_points) for e in kind)
            for e in kind:
                shares[e.item_id] = (number(dimension.weight) / total_weight * share
                                     * number(e.weight) * number(e.max_points) / possible) if possible else 0
    return shares


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


def standard_error(scores: list[ItemScore], shares: Mapping[str, float]) -> float | None:
    """The standard error, in percent, of the weighted score 100 * sum v_i f_i (see above)."""
    weighted = [(shares[s.item_id], s.fraction) for s in scores if shares.get(s.item_id)]
    concentration = sum(v * v for v, _ in weighted)   # sum v_i^2: 1/n for equal shares
    if len(weighted) < 2 or concentration >= 1:
        return None
    mean = sum(v * f for v, f in weighted)
    variance = sum(v * (f - mean) ** 2 for v, f in weighted) / (1 - concentration)
    return 100 * math.sqrt(variance * concentration)


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
    error = None
    if level:
        shares = item_shares(scored, dimensions, self_assessment_weight, min_items_per_dimension)
        error = standard_error(scored, shares)
    borderline = bool(level and error is not None
                      and any(abs(overall - cut) <= BORDERLINE_Z * error for cut in cut_scores))
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
