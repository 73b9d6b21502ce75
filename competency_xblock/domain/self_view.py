"""
The learner's self-view against their answers to the situations, per dimension.

The gap of a dimension is S_self - S_situational in percentage points: the share of
the self-rating points earned minus the share of the situational points earned
(each weighted as in ``scoring``). A gap above ``GAP_THRESHOLD`` reads "you rate
yourself higher than your answers to the situations suggest"; below
``-GAP_THRESHOLD``, lower. The gap is information only: it never enters a score or
a level.

Why 15 points: a self-rating is one of five steps, 25 points apart on the 0..4
scale; 15 points is more than half a step on every statement of a dimension, and
about one situational option (3 points of a dimension's 9-12) apart, so a smaller
gap is within the noise of three or four questions.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from .scoring import Result

GAP_THRESHOLD = 15.0
HIGHER, LOWER, ALIGNED = "higher", "lower", "aligned"


def gaps(result: Result) -> dict[str, float | None]:
    """Dimension id -> self-rating score minus situational score (points), None without both kinds."""
    # one pass over the item scores: this runs for every learner when staff ask for the cohort figures
    sums = {dimension.id: [0.0, 0.0, 0.0, 0.0] for dimension in result.dimensions}  # self, self max, sit., sit. max
    for score in result.item_scores:
        totals = sums.get(score.dimension)
        if totals is not None:
            offset = 2 if score.situational else 0
            totals[offset] += score.weight * score.points
            totals[offset + 1] += score.weight * score.max_points
    return {dimension_id: 100 * (own / own_max - situational / situational_max) if own_max and situational_max
            else None for dimension_id, (own, own_max, situational, situational_max) in sums.items()}


def reading(gap: float | None, threshold: float = GAP_THRESHOLD) -> str | None:
    """``higher`` / ``lower`` beyond ``threshold``, else ``aligned``; None without a gap."""
    if gap is None:
        return None
    if gap > threshold:
        return HIGHER
    if gap < -threshold:
        return LOWER
    return ALIGNED


def cohort_mean_gaps(learner_gaps: Iterable[Mapping], dimension_ids: Iterable[str]) -> dict[str, dict]:
    """Over learners' gap mappings: dimension id -> {"mean": points or None, "n": learners with a gap}."""
    sums = {dimension_id: [0.0, 0] for dimension_id in dimension_ids}
    for gaps_of_one in learner_gaps:
        if not isinstance(gaps_of_one, Mapping):
            continue
        for dimension_id, total in sums.items():
            gap = gaps_of_one.get(dimension_id)
            if isinstance(gap, (int, float)) and not isinstance(gap, bool):
                total[0] += gap
                total[1] += 1
    return {dimension_id: {"mean": total[0] / total[1] if total[1] else None, "n": total[1]}
            for dimension_id, total in sums.items()}
